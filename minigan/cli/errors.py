"""Turn minigan's documented errors into one line on stderr and an exit code.

    3 TrainingDiverged    a loss or parameter became NaN/Inf (the iteration is named)
    4 CheckpointError     missing, unreadable, corrupt or incompatible checkpoint
    5 DataError           malformed data: bad file, NaN/Inf, wrong checksum, unknown name
    6 BackendUnavailable  --backend cupy without a usable GPU
    7 OSError             a folder or file that cannot be written or read
    8 ValueError          settings that cannot work together (e.g. batch larger than the data)
"""
import functools
import sys

from ..backend import BackendUnavailable
from ..errors import CheckpointError, DataError, TrainingDiverged

CODES = {TrainingDiverged: 3, CheckpointError: 4, DataError: 5, BackendUnavailable: 6, OSError: 7,
         ValueError: 8}


def one_line(exc):
    """The exception's message on one line (a message never spans lines on the console)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def reported(run):
    """Wrap a subcommand: a documented error prints 'minigan <command>: error: <message>'
    on stderr and returns its exit code (above); anything else is a bug and keeps its traceback."""
    @functools.wraps(run)
    def wrapper(args):
        try:
            return run(args)
        except tuple(CODES) as exc:
            print(f"minigan {args.command}: error: {one_line(exc)}", file=sys.stderr)
            return next(code for kind, code in CODES.items() if isinstance(exc, kind))
    return wrapper
