"""`minigan train | sample | evaluate | gradcheck | figures` — each subcommand lives in its
own module with `add_parser(subparsers)` and `run(args) -> exit code`.

Exit codes: 0 done; 2 bad arguments (argparse, with a sentence); 3–8 a documented error,
printed as one line `minigan <command>: error: ...` (see minigan.cli.errors); 130 Ctrl-C
and 143 SIGTERM, printed as `minigan <command>: interrupted ...`. An interrupted `train`
says which checkpoint it keeps; `minigan train --resume` continues from it.
"""
import argparse
import contextlib
import signal
import sys

from .. import __version__
from . import evaluate, figures, gradcheck, sample, train

COMMANDS = (train, sample, evaluate, gradcheck, figures)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a job scheduler, `kill`), raised like Ctrl-C so that every `finally` and
    atomic write cleans up on the way out."""


def _raise_terminated(signum, frame):
    raise Terminated()


@contextlib.contextmanager
def _sigterm_as_interrupt():
    try:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    except (ValueError, AttributeError):   # not the main thread, or no SIGTERM here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def parser():
    p = argparse.ArgumentParser(
        prog="minigan",
        description="Generative Adversarial Nets (Goodfellow et al., 2014) from scratch in NumPy/CuPy.")
    p.add_argument("--version", action="version", version=f"minigan {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    with _sigterm_as_interrupt():
        try:
            return args.run(args)
        except KeyboardInterrupt as exc:
            detail = f" {exc}" if str(exc) else ""
            print(f"minigan {args.command}: interrupted{detail}", file=sys.stderr)
            return 143 if isinstance(exc, Terminated) else 130
