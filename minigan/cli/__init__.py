"""`minigan train | sample | evaluate | gradcheck` — each subcommand lives in its own module
with `add_parser(subparsers)` and `run(args) -> exit code`."""
import argparse
import sys

from .. import __version__
from . import evaluate, gradcheck, sample, train

COMMANDS = (train, sample, evaluate, gradcheck)


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
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("minigan: interrupted", file=sys.stderr)
        return 130
