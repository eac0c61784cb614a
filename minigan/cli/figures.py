"""`minigan figures`: the figures that need no checkpoint, made from short runs on the toys.

    figure1.png, figure1.gif   the paper's Figure 1 redrawn from a run on gaussian-1d: data
                               density, p_g, D and the mapping z → x = G(z), over training
    collapse-<toy>.png         G's samples with 1 vs 10 generator steps per D step
    game.png                   simultaneous vs alternating gradient play on v(a, b) = a·b

`--quick` (or MINIGAN_QUICK=1) shortens every run so the whole command takes well under two
minutes on a laptop CPU.
"""
import contextlib
import ctypes
import os
import sys
import time

from .errors import reported

PARTS = ("figure1", "collapse", "game")

# How long each run is.  Figure 1's panels are taken at fixed iterations: its learning
# rates are fixed, so the story (a narrow p_g; D pushing it outwards; p_g = p_data, D = ½)
# happens on the same time scale however long the run.
SETTINGS = {
    "quick": dict(fig1_iterations=1500, fig1_frames=30, collapse_iterations=1000,
                  collapse_sets=("ring-2d",), game_steps=200),
    "full": dict(fig1_iterations=4000, fig1_frames=60, collapse_iterations=3000,
                 collapse_sets=("ring-2d", "grid-2d"), game_steps=200),
}
FIG1_PANELS = (0, 50, 150)          # and the last iteration
G_STEPS = (1, 10)


def add_parser(sub):
    p = sub.add_parser("figures", help="make Figure 1 (+ GIF), the mode-collapse plot and the game plot",
                       description="Train small GANs on the toy data sets and draw the figures that "
                                   "need no checkpoint: the paper's Figure 1 and an animated GIF of it, "
                                   "mode collapse with many generator steps, and gradient play on "
                                   "v(a, b) = a·b. Prints the path of every file written.")
    p.add_argument("--out", default="figures", metavar="DIR",
                   help="folder to write the PNGs and the GIF into, created if missing "
                        "(default: %(default)s)")
    p.add_argument("--quick", action="store_true",
                   help="shorter runs (also set by MINIGAN_QUICK=1): the whole command takes well "
                        "under two minutes on a CPU, with rougher figures")
    p.add_argument("--only", choices=PARTS, action="append", metavar="PART",
                   help=f"make only this figure (one of {', '.join(PARTS)}); repeat for several "
                        f"(default: all)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed for the data, the models and the noise (default: %(default)s)")
    p.set_defaults(run=run)


def quick_requested(args):
    """--quick, or MINIGAN_QUICK set to anything but "", "0", "false", "no"."""
    env = os.environ.get("MINIGAN_QUICK", "").strip().lower()
    return bool(args.quick) or env not in ("", "0", "false", "no")


@reported
def run(args):
    settings = SETTINGS["quick" if quick_requested(args) else "full"]
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as exc:
        raise OSError(f"cannot create the output folder {args.out!r}: {exc.strerror or exc}") from exc
    started, failed = time.time(), []
    with blas_threads(1):     # the toy nets are tiny: BLAS threads only add overhead
        for part in args.only or PARTS:
            try:
                paths = MAKERS[part](args.out, settings, args.seed)
            except ImportError as exc:      # a module this figure needs is not installed yet
                print(f"minigan figures: skipped {part}: {exc}", file=sys.stderr)
                failed.append(part)
                continue
            for path in paths:
                print(path, flush=True)
    print(f"minigan figures: done in {time.time() - started:.0f} s"
          + (f"; skipped {', '.join(failed)}" if failed else ""), file=sys.stderr)
    return 1 if failed else 0


def make_figure1(out, settings, seed):
    from ..data import load
    from ..plotting import figure1, figure1_animation, train_snapshots
    from ..plotting.fig1 import frame_iterations
    dataset = load("gaussian-1d", seed=seed)
    n = settings["fig1_iterations"]
    panels = (*FIG1_PANELS, n)
    frames = frame_iterations(n, settings["fig1_frames"])
    snaps = train_snapshots(dataset, iterations=n, snapshot_at=sorted({*frames, *panels}), seed=seed)
    chosen = [s for s in snaps if s.iteration in panels]
    png = figure1(chosen, dataset, os.path.join(out, "figure1.png"),
                  title="Figure 1 on gaussian-1d: D (blue, dashed), p_data (black, dotted), "
                        "p_g (green, solid); below, x = G(z)")
    gif = figure1_animation([s for s in snaps if s.iteration in frames], dataset,
                            os.path.join(out, "figure1.gif"))
    return [png, gif]


def make_collapse(out, settings, seed):
    from ..data import load
    from ..metrics.modes import collapse_experiment
    from ..plotting import collapse_plot
    paths = []
    for name in settings["collapse_sets"]:
        runs = collapse_experiment(name, g_steps_list=G_STEPS, iterations=settings["collapse_iterations"],
                                   seed=seed)
        dataset = load(name, seed=seed)
        panels = [(f"{g} G step{'s' if g > 1 else ''} per D step" + (" (the paper's)" if g == 1 else ""),
                   run.samples, run.report) for g, run in sorted(runs.items())]
        paths.append(collapse_plot(
            panels, dataset.distribution.means, os.path.join(out, f"collapse-{name}.png"),
            data=dataset.test, title=f"{name}: mode collapse when G trains more than D "
                                     f"({settings['collapse_iterations']} iterations)"))
    return paths


def make_game(out, settings, seed):
    from ..game import play
    from ..plotting import game_plot
    steps, start, lr = settings["game_steps"], (1.0, 1.0), 0.1
    trajectories = {mode: play(mode=mode, a0=start[0], b0=start[1], lr=lr, steps=steps)
                    for mode in ("simultaneous", "alternating")}
    return [game_plot(trajectories, os.path.join(out, "game.png"),
                      title=f"gradient play on v(a, b) = a·b from (a, b) = {start}, "
                            f"learning rate {lr}, {steps} steps")]


MAKERS = {"figure1": make_figure1, "collapse": make_collapse, "game": make_game}


# -- BLAS threads --------------------------------------------------------------------------
def _openblas():
    """(get, set) of the OpenBLAS that NumPy loaded, or None when there is none to be found."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                if get is not None and put is not None:
                    get.restype, put.argtypes = ctypes.c_int, [ctypes.c_int]
                    return get, put
    return None


@contextlib.contextmanager
def blas_threads(n):
    """Run the block with OpenBLAS limited to `n` threads, restored after; a no-op elsewhere.

    The toys' matrices are (100 × 64): splitting them across threads costs more than it saves,
    and on a busy machine it makes training ~10× slower.
    """
    found = _openblas()
    if found is None:
        yield
        return
    get, put = found
    before = get()
    put(n)
    try:
        yield
    finally:
        put(before)
