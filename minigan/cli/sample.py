"""`minigan sample`: draw from a trained generator into a PNG.

    minigan sample --checkpoint F --n 100 --out samples.png                 samples
    minigan sample --checkpoint F --n 30 --nearest --out figure2.png        the paper's Figure 2
    minigan sample --checkpoint F --n 100 --interpolate --out figure3.png   the paper's Figure 3
"""
import os

from .. import backend
from ..checkpoint import load_gan
from .errors import reported
from .types import non_negative_int, positive_int


def add_parser(sub):
    p = sub.add_parser("sample", help="draw samples from a checkpoint into a PNG",
                       description="Draw samples from a trained generator and save them as a PNG; "
                                   "--nearest and --interpolate draw the paper's Figures 2 and 3 instead.")
    p.add_argument("--checkpoint", required=True, help="a checkpoint-*.npz written by `minigan train`")
    p.add_argument("--n", type=positive_int, default=100, help="how many samples (default: %(default)s)")
    p.add_argument("--out", default="samples.png", help="PNG to write (default: %(default)s)")
    p.add_argument("--seed", type=non_negative_int, default=0, help="seed for the noise (default: %(default)s)")
    figure = p.add_mutually_exclusive_group()
    figure.add_argument("--nearest", action="store_true",
                        help="Figure 2: rows of 5 samples, each row ending (on an amber band) with the "
                             "training image nearest in L2 distance to the sample beside it")
    figure.add_argument("--interpolate", action="store_true",
                        help="Figure 3: each row shows G(z) along the straight line from z₀ to z₁ in "
                             "noise space, --steps images per row, --n images in all")
    p.add_argument("--steps", type=positive_int, default=10,
                   help="with --interpolate: images per row, both ends included (default: %(default)s)")
    p.set_defaults(run=run)


@reported
def run(args):
    from ..data import load
    from ..plotting import interpolation_grid, nearest_grid, save_samples
    if args.interpolate and args.steps < 2:
        raise ValueError(f"--steps must be at least 2 (the two ends), got {args.steps}")
    gan, meta = load_gan(args.checkpoint)
    gan.rng = backend.rng(args.seed)
    dataset = load(meta["config"]["dataset"], seed=meta["config"].get("seed", 0))
    folder = os.path.dirname(os.path.abspath(args.out))
    if not os.access(folder, os.W_OK):
        raise OSError(f"cannot write {args.out!r}: the folder {folder!r} is not writable")
    if args.nearest:
        if dataset.image_shape is None:
            raise ValueError(f"--nearest shows images beside their nearest training image; "
                             f"{dataset.name!r} is not an image data set")
        nearest_grid(gan.sample(args.n), dataset.train, args.out, dataset.image_shape)
        what = f"{args.n} samples, each row ending with the nearest of {len(dataset.train)} training images"
    elif args.interpolate:
        rows = max(1, args.n // args.steps)
        interpolation_grid(gan, args.out, rows=rows, steps=args.steps, seed=args.seed,
                           shape=dataset.image_shape, data=dataset.test)
        what = f"{rows} rows of {args.steps} images from G(z₀) to G(z₁)"
    else:
        save_samples(gan.sample(args.n), args.out, dataset, title=f"{args.n} samples")
        what = f"{args.n} samples"
    print(f"wrote {args.out} ({what})")
    return 0
