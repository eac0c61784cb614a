"""`minigan gradcheck`: prove every backward in the library against finite differences."""
from .. import backend
from ..gradcheck.suite import run_suite


def add_parser(sub):
    p = sub.add_parser("gradcheck", help="check every gradient against finite differences",
                       description="Check every layer kind, every loss, the D step and the G step "
                                   "through a frozen D (the paper's MNIST architecture, narrower) "
                                   "against float64 centred finite differences. Exits 1 on any failure.")
    p.add_argument("--backend", choices=("numpy", "cupy"), default=None,
                   help="array library to check on (default: $MINIGAN_BACKEND or numpy)")
    p.add_argument("--seed", type=int, default=0, help="seed for inputs and weights (default: %(default)s)")
    p.set_defaults(run=run)


def run(args):
    if args.backend:
        backend.use(args.backend)
    failed = 0
    for report in run_suite(args.seed):
        print(report, end="\n\n")
        failed += not report.ok
    print(f"gradcheck on {backend.name()}: {'all passed' if not failed else f'{failed} FAILED'}")
    return 1 if failed else 0
