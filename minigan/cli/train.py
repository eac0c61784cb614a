"""`minigan train`: Algorithm 1 on a dataset, with the paper's settings as defaults."""
from ..data import DATASETS
from ..losses import G_LOSSES
from ..train import DEFAULT_ITERATIONS, TrainConfig, train
from .errors import reported
from .types import non_negative_int, positive_float, positive_int

DEFAULTS = TrainConfig()


def add_parser(sub):
    p = sub.add_parser("train", help="train a GAN (the paper's MNIST model by default)",
                       description="Train a GAN with Algorithm 1. Defaults are the paper's MNIST "
                                   "settings; full MNIST is used when cached or downloadable, "
                                   "else the bundled 5,000-digit subset.")
    p.add_argument("--dataset", default=DEFAULTS.dataset, metavar="NAME|PATH",
                   help=f"data to learn: one of {', '.join(DATASETS)}, a folder of IDX files, "
                        f"or an .npz file (default: %(default)s)")
    p.add_argument("--epochs", type=positive_int, default=None,
                   help="passes over the training split (default: enough for about "
                        f"{DEFAULT_ITERATIONS:,} iterations, ~3 minutes on 2 CPU cores: "
                        "8 on MNIST, 100 on the bundled subset)")
    p.add_argument("--batch-size", type=positive_int, default=DEFAULTS.batch_size,
                   help="m, examples (and noise samples) per minibatch (default: %(default)s, the paper's)")
    p.add_argument("--k", type=positive_int, default=DEFAULTS.k,
                   help="discriminator steps per generator step (default: %(default)s, the paper's)")
    p.add_argument("--lr", type=positive_float, default=None,
                   help="initial learning rate (default: the model's: 0.1 for MNIST as in the paper, "
                        "1e-3 with Adam for the toys)")
    p.add_argument("--g-init", type=positive_float, default=None, metavar="R",
                   help="G's initial weights are drawn from U(-R, R) (default: the paper's 0.05; "
                        "0.2 makes the MNIST model draw diverse digits within minutes)")
    p.add_argument("--g-loss", choices=G_LOSSES, default=DEFAULTS.g_loss,
                   help="generator loss: −log D(G(z)) as the paper trained, or the minimax "
                        "log(1 − D(G(z))) (default: %(default)s)")
    p.add_argument("--backend", choices=("numpy", "cupy"), default=DEFAULTS.backend,
                   help="array library: numpy (CPU) or cupy (NVIDIA GPU) (default: $MINIGAN_BACKEND, else numpy)")
    p.add_argument("--seed", type=non_negative_int, default=DEFAULTS.seed,
                   help="seed for every random draw; same seed and backend, same run (default: %(default)s)")
    p.add_argument("--out", default=DEFAULTS.out,
                   help="folder for samples, curves, log and checkpoints (default: %(default)s)")
    p.add_argument("--resume", action="store_true",
                   help="continue from the newest checkpoint in --out, exactly where it stopped "
                        "(with the same settings; --epochs may grow). An unreadable newest "
                        "checkpoint is moved aside and the one before it is used")
    p.add_argument("--checkpoint-every", type=non_negative_int, default=DEFAULTS.checkpoint_every,
                   metavar="N",
                   help="also checkpoint every N iterations; with 0, only at the ends of epochs, once a "
                        "tenth of the run has passed since the last checkpoint, and at the end "
                        "(default: %(default)s)")
    p.add_argument("--keep", type=positive_int, default=DEFAULTS.keep,
                   help="how many of the newest checkpoints to keep (default: %(default)s)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


@reported
def run(args):
    config = TrainConfig(dataset=args.dataset, epochs=args.epochs, batch_size=args.batch_size,
                         k=args.k, lr=args.lr, g_init=args.g_init, g_loss=args.g_loss, backend=args.backend,
                         seed=args.seed, out=args.out, checkpoint_every=args.checkpoint_every,
                         keep=args.keep, progress=not args.no_progress)
    _, summary = train(config, resume=args.resume)
    print(f"trained {summary['iterations']} iterations on {summary['dataset']} in "
          f"{summary['seconds']} s; samples: {summary['samples']}; curves: {summary['curves']}; "
          f"checkpoint: {summary['checkpoint']}")
    return 0
