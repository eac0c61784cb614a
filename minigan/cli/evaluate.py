"""`minigan evaluate`: measure a trained model.

    --parzen   the paper's Table 1 number: a Gaussian Parzen window fitted on G's samples,
               σ chosen on validation images, mean test log-likelihood ± std/√N; and, next
               to it, the same estimator with training images as the centres, so that the
               number has something to be compared with.
    --modes    for the toy sets: how many of the mixture's modes G's samples cover, and
               what share of them lies within 3σ of a mode.
With neither, images get --parzen and toys get --modes.
"""
import time

import numpy

from .. import backend
from ..checkpoint import load_gan
from .errors import reported
from .types import positive_int

CAVEAT = """\
What these numbers mean. A Parzen window is a poor density estimate in 784 dimensions:
its log-likelihood is biased, depends strongly on σ and on the number of samples, and can
rank models wrongly - a model that samples badly can score well and one that samples well
can score badly (Theis, van den Oord & Bethge 2016, "A note on the evaluation of generative
models"). Read the GAN's number against the training-image line above it, not as a
likelihood. The paper's 225 ± 2 is on the full MNIST test set (10 000 images) with 10 000
samples; numbers on the bundled mnist-5k's 500 test images are not comparable to it."""


def add_parser(sub):
    p = sub.add_parser("evaluate", help="measure a checkpoint (Parzen likelihood, mode coverage)",
                       description="Measure a trained model: the paper's Parzen-window "
                                   "log-likelihood (--parzen) and, for the toy sets, mode "
                                   "coverage (--modes). With neither, images get --parzen "
                                   "and toys get --modes.")
    p.add_argument("--checkpoint", required=True, help="a checkpoint-*.npz written by `minigan train`")
    p.add_argument("--parzen", action="store_true",
                   help="Parzen-window log-likelihood of the test set (the paper's Table 1)")
    p.add_argument("--modes", action="store_true",
                   help="modes covered and high-quality fraction (toy checkpoints only)")
    p.add_argument("--samples", type=positive_int, default=10_000,
                   help="samples drawn from G, the Parzen centres (default: %(default)s, "
                        "the paper's)")
    p.add_argument("--validation", type=positive_int, default=1_000,
                   help="validation images that choose σ, at most the split's size "
                        "(default: %(default)s, the paper's)")
    p.add_argument("--batch-size", type=positive_int, default=1_000,
                   help="rows (and centres) per block of the Parzen sums (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed for the noise and the training-image subset (default: %(default)s)")
    p.add_argument("--backend", choices=("numpy", "cupy"), default=None,
                   help="array library (default: $MINIGAN_BACKEND or numpy)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(run=run)


@reported
def run(args):
    from ..data import load
    if args.backend:
        backend.use(args.backend)
    started = time.time()
    gan, meta = load_gan(args.checkpoint)
    config = meta.get("config", {})
    dataset = load(config["dataset"], seed=config.get("seed", 0))
    is_toy = dataset.distribution is not None
    parzen, modes = args.parzen, args.modes
    if not parzen and not modes:
        parzen, modes = not is_toy, is_toy
    if modes and not is_toy:
        raise ValueError(f"--modes needs a toy checkpoint (a known mixture of modes); "
                         f"{dataset.name!r} has none")
    print(f"checkpoint {args.checkpoint}: {dataset.name}, iteration {meta.get('iteration')}, "
          f"backend {backend.name()}")
    print(f"data: {dataset!r}")
    gan.rng = backend.rng(args.seed)
    samples = _draw(gan, args.samples)
    if parzen:
        _parzen(args, dataset, samples)
    if modes:
        from ..metrics import mode_coverage
        print(f"\nmode coverage of {args.samples} samples: "
              f"{mode_coverage(samples, dataset.distribution)}")
        print(f"the test split itself:       {mode_coverage(dataset.test, dataset.distribution)}")
    print(f"\nevaluated in {time.time() - started:.1f} s")
    return 0


def _draw(gan, n, batch=1000):
    """n samples of G, drawn `batch` at a time, on the active backend."""
    xp = backend.xp()
    return xp.concatenate([gan.sample(min(batch, n - i)) for i in range(0, n, batch)])


def _parzen(args, dataset, samples):
    from ..metrics import parzen_estimate
    progress = not args.no_progress
    validation = backend.to_device(dataset.validation[:args.validation])
    test = backend.to_device(dataset.test)
    n_train = min(len(samples), len(dataset.train))
    rows = numpy.random.default_rng(args.seed).choice(len(dataset.train), n_train, replace=False)
    train = backend.to_device(dataset.train[numpy.sort(rows)])
    print(f"\nParzen-window log-likelihood of the {len(test)} test images (σ chosen on "
          f"{len(validation)} validation images from logspace(-1, 0, 10)):")
    labels = [f"GAN samples as centres ({len(samples)}):",
              f"training images as centres ({n_train}):"]
    width = max(map(len, labels))
    gan_result = parzen_estimate(samples, validation, test, batch_size=args.batch_size,
                                 progress=progress)
    print(f"  {labels[0]:<{width}} {gan_result}")
    train_result = parzen_estimate(train, validation, test, batch_size=args.batch_size,
                                   progress=progress)
    print(f"  {labels[1]:<{width}} {train_result}")
    print("\nσ chosen by validation, GAN samples:\n" + _indent(gan_result.table()))
    print("σ chosen by validation, training images:\n" + _indent(train_result.table()))
    print("\n" + CAVEAT)


def _indent(text):
    return "\n".join("  " + line for line in text.splitlines())
