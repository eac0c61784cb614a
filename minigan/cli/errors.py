"""Turn minigan's documented errors into one line on stderr and an exit code."""
import functools
import sys

from ..backend import BackendUnavailable
from ..errors import CheckpointError, DataError, TrainingDiverged

CODES = {TrainingDiverged: 3, CheckpointError: 4, DataError: 5, BackendUnavailable: 6, OSError: 7,
         ValueError: 8}


def reported(run):
    """Wrap a subcommand: a documented error prints 'minigan: <message>' and exits non-zero."""
    @functools.wraps(run)
    def wrapper(args):
        try:
            return run(args)
        except tuple(CODES) as exc:
            print(f"minigan {args.command}: error: {exc}", file=sys.stderr)
            return next(code for kind, code in CODES.items() if isinstance(exc, kind))
    return wrapper
