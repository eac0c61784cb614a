"""The loop around Algorithm 1: epochs, logging, figures, checkpoints and exact resume.

Each epoch visits the training set in a fresh random order (drawn from the seed and the
epoch number, so a resumed run sees the same order); every iteration takes k·m examples,
one minibatch of m per discriminator step. Every iteration appends one JSON line of
statistics to log.jsonl. At the end of every epoch: a sample grid from fixed noise, then,
once a tenth of the run has passed since they were last made (and at the end of the run),
the training curves and a checkpoint. Short epochs would otherwise pay for them far too
often: the bundled subset's 40-iteration epoch takes about as long as drawing the curves
(0.4 s), and each checkpoint is ~30 MB. With checkpoint_every = N there is also one every
N iterations. A checkpoint is always the last thing written for its iteration, so
whatever a kill interrupts is redone on resume.

Resuming restores parameters, optimiser state (its step and epoch counters drive the
learning-rate and momentum schedules), every random generator and the counters, and cuts
log.jsonl back to the checkpoint's iteration, so a run that was killed at any point and
resumed ends bit-identical to one that never stopped (NumPy backend). If the newest
checkpoint cannot be read, it is moved aside (checkpoint-….npz.corrupt) with a warning and
the previous one is used.

A NaN or Inf loss (or parameter) stops the run with TrainingDiverged naming the iteration;
no checkpoint is written after it, so the last one on disk is the last good state.
"""
import dataclasses
import json
import math
import os
import shutil
import sys
import tempfile
import time

import numpy
from tqdm import tqdm

from . import backend, checkpoint, models
from .data import load
from .errors import CheckpointError, TrainingDiverged
from .fileio import atomic_write, stale_temporaries
from .noise import fixed

# The default length: enough whole epochs for this many iterations (about three minutes on
# two CPU cores for the paper's model: 8 epochs of MNIST, 100 of the bundled 4,000 digits).
DEFAULT_ITERATIONS = 4000

# Settings a resumed run may change; every other one must match the checkpoint's.
FREE_ON_RESUME = ("epochs", "out", "progress", "checkpoint_every", "keep")


@dataclasses.dataclass
class TrainConfig:
    dataset: str = "mnist"
    epochs: int = None          # None: enough epochs for DEFAULT_ITERATIONS iterations
    batch_size: int = 100
    k: int = 1
    lr: float = None            # None: the preset's (0.1 for the paper's MNIST model)
    g_init: float = None        # None: the preset's range for G's initial weights (0.05)
    g_loss: str = "non_saturating"
    backend: str = None         # None: the active backend (MINIGAN_BACKEND, else numpy)
    seed: int = 0
    out: str = "runs/mnist"
    checkpoint_every: int = 0   # also checkpoint every this many iterations (0: epoch ends only)
    keep: int = 3               # checkpoints kept
    progress: bool = True


def epoch_order(seed, epoch, n):
    """The order the training set is visited in during `epoch`: a function of (seed, epoch)."""
    return numpy.random.default_rng([seed, epoch]).permutation(n)


def train(config, resume=False):
    """Train as `config` says (continuing from the newest checkpoint if `resume`); return (gan, summary)."""
    paths = _prepare_output(config.out)
    if config.backend:
        backend.use(config.backend)
    config = dataclasses.replace(config, backend=backend.name())   # recorded in checkpoints
    dataset = load(config.dataset, seed=config.seed)
    gan = models.for_dataset(dataset, seed=config.seed, k=config.k,
                             g_loss=config.g_loss, lr=config.lr, g_init=config.g_init)
    per_iteration = config.k * config.batch_size
    iters_per_epoch = len(dataset.train) // per_iteration
    if iters_per_epoch == 0:
        raise ValueError(f"the training split has {len(dataset.train)} examples, fewer than "
                         f"k·batch_size = {per_iteration}: lower --batch-size or --k")
    _remove_stale_temporaries(paths)
    if resume:
        iteration, last_checkpoint = _resume(gan, paths, config)
    else:
        iteration, last_checkpoint = _fresh_start(paths), None
    train_x = backend.to_device(dataset.train)
    z_fixed = fixed(gan.noise, 100 if dataset.image_shape else 2000, seed=config.seed + 1)
    epochs = config.epochs or math.ceil(DEFAULT_ITERATIONS / iters_per_epoch)
    total = epochs * iters_per_epoch
    started = time.time()
    curves_drawn = saved = iteration    # the iterations the curves were drawn, a checkpoint saved
    # NaN/Inf are caught by the checks below, with a sentence; NumPy's warnings add nothing.
    with numpy.errstate(over="ignore", invalid="ignore", divide="ignore"), \
            open(paths["log"], "a", encoding="utf-8") as log, \
            tqdm(total=total, initial=iteration, disable=not config.progress, unit="it",
                 desc=f"{dataset.name} k={config.k}", dynamic_ncols=True) as bar:
        try:
            while iteration < total:
                epoch, position = divmod(iteration, iters_per_epoch)
                gan.set_epoch(epoch)
                order = backend.to_device(epoch_order(config.seed, epoch, len(train_x)))
                for i in range(position, iters_per_epoch):
                    rows = order[i * per_iteration:(i + 1) * per_iteration]
                    batches = [train_x[rows[j * config.batch_size:(j + 1) * config.batch_size]]
                               for j in range(config.k)]
                    stats = gan.train_step(batches)
                    iteration += 1
                    _check_finite(stats, iteration, last_checkpoint)
                    log.write(json.dumps({"iteration": iteration, "epoch": epoch, **stats}) + "\n")
                    bar.update(1)
                    bar.set_postfix(D=f"{stats['d_loss']:.3f}", G=f"{stats['g_loss']:.3f}",
                                    Dx=f"{stats['d_real']:.2f}", DGz=f"{stats['d_fake']:.2f}", refresh=False)
                    end_of_epoch = i == iters_per_epoch - 1
                    if end_of_epoch:
                        log.flush()
                        curves = _due(iteration, curves_drawn, total)
                        _epoch_figures(gan, dataset, z_fixed, paths, epoch, curves)
                        if curves:
                            curves_drawn = iteration
                    if ((end_of_epoch and _due(iteration, saved, total))
                            or (config.checkpoint_every and iteration % config.checkpoint_every == 0)):
                        last_checkpoint = _checkpoint(gan, paths, log, config, epoch, iteration,
                                                      last_checkpoint)
                        saved = iteration
        except KeyboardInterrupt as exc:   # Ctrl-C, or SIGTERM through the CLI: say what is kept
            raise type(exc)(f"after iteration {iteration}; {_kept(last_checkpoint)}; "
                            f"continue with --resume") from None
    summary = {"dataset": dataset.name, "source": dataset.source, "iterations": iteration,
               "epochs": epochs, "seconds": round(time.time() - started, 1),
               "checkpoint": last_checkpoint, "samples": paths["samples"], "curves": paths["curves"]}
    with atomic_write(os.path.join(config.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    return gan, summary


# -- the output folder ----------------------------------------------------------------------
def _prepare_output(out):
    """Create the output folders and prove they are writable, or say which one is not."""
    paths = {"checkpoints": os.path.join(out, "checkpoints"), "log": os.path.join(out, "log.jsonl"),
             "samples": os.path.join(out, "samples.png"), "curves": os.path.join(out, "curves.png"),
             "epochs": os.path.join(out, "samples"), "out": out}
    for folder in (out, paths["checkpoints"], paths["epochs"]):
        if os.path.exists(folder) and not os.path.isdir(folder):
            raise OSError(f"cannot write to the output folder {folder!r}: it is a file, not a folder")
        try:
            os.makedirs(folder, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            raise OSError(f"cannot write to the output folder {folder!r}: {exc.strerror or exc}") from exc
    return paths


def _remove_stale_temporaries(paths):
    """Delete the temporary files of writes that a kill interrupted (never a finished file)."""
    stale = stale_temporaries(paths["checkpoints"], "checkpoint-*.npz")
    for name in ("log.jsonl", "summary.json", "samples.png"):
        stale += stale_temporaries(paths["out"], name)
    for path in stale:
        os.remove(path)


def _fresh_start(paths):
    """An empty log for a new run; refuse to mix it with an earlier run's checkpoints."""
    found = checkpoint.list_checkpoints(paths["checkpoints"])
    if found:
        raise CheckpointError(f"{paths['out']!r} already holds checkpoints of a run (newest: "
                              f"{found[-1]}); pass --resume to continue it, or choose another --out")
    with atomic_write(paths["log"], "w"):
        pass
    return 0


# -- resuming -------------------------------------------------------------------------------
def _resume(gan, paths, config):
    """Restore the newest readable checkpoint into `gan`; cut the log back; return (iteration, path)."""
    folder = paths["checkpoints"]
    found = checkpoint.list_checkpoints(folder)
    if not found:
        raise CheckpointError(f"--resume: no checkpoint in {folder!r} to resume from; "
                              f"run without --resume to start afresh")
    unreadable = []
    for path in reversed(found):
        try:
            meta, arrays = checkpoint.read(path)
            break
        except CheckpointError as exc:
            unreadable.append((path, exc))
    else:
        raise CheckpointError(f"--resume: none of the {len(found)} checkpoints in {folder!r} "
                              f"can be read; the newest: {unreadable[0][1]}")
    for bad, exc in unreadable:       # aside, so that saving and pruning never see them again
        os.replace(bad, bad + ".corrupt")
        _warn(f"{exc}; moved it to {bad + '.corrupt'} and resuming from the previous checkpoint")
    _check_same_settings(path, meta["config"], config)
    checkpoint.apply(gan, path, meta, arrays)
    if any(state is None for state in meta["rng"].values()):
        _warn("this checkpoint holds no random-generator state (CuPy); the resumed run draws "
              "fresh random numbers and is not bit-identical to an uninterrupted one")
    iteration = meta["iteration"]
    _cut_log(paths["log"], iteration)
    print(f"minigan: resuming from {path} (iteration {iteration})", file=sys.stderr)
    return iteration, path


def _check_same_settings(path, saved, config):
    """Refuse to resume with settings that would change the run (the data, the model, the seed...)."""
    mine = dataclasses.asdict(config)
    differ = sorted(k for k in saved if k not in FREE_ON_RESUME and k in mine and saved[k] != mine[k])
    if differ:
        was = ", ".join(f"--{k.replace('_', '-')} {saved[k]}" for k in differ)
        now = ", ".join(f"--{k.replace('_', '-')} {mine[k]}" for k in differ)
        raise CheckpointError(f"--resume: {path!r} was trained with {was}, but this run asks for "
                              f"{now}; pass the same settings to resume it")


def _cut_log(log_path, iteration):
    """Keep the log's rows up to `iteration`: rows written after the checkpoint, and a row cut
    short by the kill, are dropped (the resumed run writes them again)."""
    kept = []
    if os.path.exists(log_path):
        with open(log_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    row = json.loads(line)
                except ValueError:
                    break
                if not isinstance(row, dict) or row.get("iteration", math.inf) > iteration:
                    break
                kept.append(line if line.endswith("\n") else line + "\n")
    if len(kept) != iteration:
        _warn(f"{log_path} holds {len(kept)} rows for the checkpoint's {iteration} iterations; "
              f"the training curves will miss the others")
    with atomic_write(log_path, "w") as f:
        f.writelines(kept)


# -- checks and checkpoints -----------------------------------------------------------------
def _kept(last_checkpoint):
    if last_checkpoint:
        return f"the last good checkpoint is {last_checkpoint}"
    return "no checkpoint was written yet"


def _check_finite(stats, iteration, last_checkpoint):
    """Stop at the first NaN/Inf loss, naming the iteration, the loss and what is kept."""
    for name in ("d_loss", "g_loss"):
        if not math.isfinite(stats[name]):
            raise TrainingDiverged(f"training diverged at iteration {iteration}: {name} = {stats[name]}; "
                                   f"{_kept(last_checkpoint)}. Try a smaller --lr.")


def _check_parameters_finite(gan, iteration, last_checkpoint):
    """A checkpoint must never hold NaN/Inf: the loss of the step that broke them was still finite."""
    for net in ("G", "D"):
        for key, p in getattr(gan, net).params.items():
            if not bool(backend.array_module(p).isfinite(p).all()):
                raise TrainingDiverged(f"training diverged at iteration {iteration}: parameter "
                                       f"{net}/{key} holds NaN/Inf; {_kept(last_checkpoint)}. "
                                       f"Try a smaller --lr.")


def _due(iteration, last, total):
    """At an epoch's end: has a tenth of the run passed since `last`, or is the run over?"""
    return iteration - last >= total / 10 or iteration == total


def _checkpoint(gan, paths, log, config, epoch, iteration, last_checkpoint):
    """Save a checkpoint once the log rows it covers are on disk; return its path."""
    _check_parameters_finite(gan, iteration, last_checkpoint)
    log.flush()
    os.fsync(log.fileno())
    return checkpoint.save(gan, paths["checkpoints"], config=dataclasses.asdict(config),
                           epoch=epoch, iteration=iteration, keep=config.keep)


def _warn(message):
    print(f"minigan: warning: {message}", file=sys.stderr)


def _epoch_figures(gan, dataset, z_fixed, paths, epoch, curves):
    """samples/epoch-NNNN.png (copied to samples.png) and, if `curves`, curves.png."""
    from .plotting import save_curves, save_samples   # matplotlib: only when there is a figure
    samples = gan.sample(z=z_fixed)
    title = f"{dataset.name}, epoch {epoch + 1}"
    epoch_png = os.path.join(paths["epochs"], f"epoch-{epoch + 1:04d}.png")
    save_samples(samples, epoch_png, dataset, title)
    with open(epoch_png, "rb") as src, atomic_write(paths["samples"]) as dst:
        shutil.copyfileobj(src, dst)
    if curves:
        save_curves(paths["log"], paths["curves"], title=f"{dataset.name}: Algorithm 1, k = {gan.k}")
