"""What every tutorial does first: find minigan, read MINIGAN_QUICK, make its figure folder.

    from _setup import QUICK, output_folder
    OUT = output_folder("01_layers_by_hand")   # tutorials/out/01_layers_by_hand/, printed

MINIGAN_QUICK=1 asks for short training runs (the test suite sets it); the environment
variable MINIGAN_TUTORIAL_OUT, when set, is the figure folder instead.
"""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:
    import minigan  # noqa: F401
except ImportError:                      # running from a checkout without `pip install .`
    sys.path.insert(0, str(HERE.parent))
import minigan.plotting  # noqa: E402,F401  (selects matplotlib's file-only Agg backend)

QUICK = os.environ.get("MINIGAN_QUICK", "0") not in ("", "0")


def output_folder(name):
    """The folder this tutorial's figures go to: made, printed, returned."""
    out = Path(os.environ.get("MINIGAN_TUTORIAL_OUT") or HERE / "out" / name)
    out.mkdir(parents=True, exist_ok=True)
    print(f"figures go to {out}" + ("  (MINIGAN_QUICK: short run)" if QUICK else ""))
    return out
