"""`minigan sample`: draw from a trained generator into a PNG."""
import os

from .. import backend
from ..checkpoint import load_gan
from .errors import reported
from .types import positive_int


def add_parser(sub):
    p = sub.add_parser("sample", help="draw samples from a checkpoint into a PNG",
                       description="Draw samples from a trained generator and save them as a PNG.")
    p.add_argument("--checkpoint", required=True, help="a checkpoint-*.npz written by `minigan train`")
    p.add_argument("--n", type=positive_int, default=100, help="how many samples (default: %(default)s)")
    p.add_argument("--out", default="samples.png", help="PNG to write (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="seed for the noise (default: %(default)s)")
    p.set_defaults(run=run)


@reported
def run(args):
    from ..data import load
    from ..plotting import save_samples
    gan, meta = load_gan(args.checkpoint)
    gan.rng = backend.rng(args.seed)
    dataset = load(meta["config"]["dataset"], seed=meta["config"].get("seed", 0))
    folder = os.path.dirname(os.path.abspath(args.out))
    if not os.access(folder, os.W_OK):
        raise OSError(f"cannot write {args.out!r}: the folder {folder!r} is not writable")
    save_samples(gan.sample(args.n), args.out, dataset, title=f"{args.n} samples")
    print(f"wrote {args.out}")
    return 0
