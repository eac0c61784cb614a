"""`minigan evaluate`: measure a trained model."""
from .errors import reported


def add_parser(sub):
    p = sub.add_parser("evaluate", help="measure a checkpoint",
                       description="Measure a trained model.")
    p.add_argument("--checkpoint", required=True, help="a checkpoint-*.npz written by `minigan train`")
    p.set_defaults(run=run)


@reported
def run(args):
    raise NotImplementedError("evaluate is being written")
