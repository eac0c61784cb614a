"""The loop around Algorithm 1: epochs, logging, figures, checkpoints and exact resume.

Each epoch visits the training set in a fresh random order (drawn from the seed and the
epoch number, so a resumed run sees the same order); every iteration takes k·m examples,
one minibatch of m per discriminator step. After every epoch: a sample grid from fixed
noise, the training curves, and a checkpoint. Every iteration appends one JSON line of
statistics to log.jsonl.

Resuming restores parameters, optimiser state, every random generator and the counters,
so a run that was killed and resumed ends bit-identical to one that never stopped.
"""
import dataclasses
import json
import math
import os
import time

import numpy
from tqdm import tqdm

from . import backend, checkpoint, models
from .data import load
from .errors import CheckpointError, TrainingDiverged
from .fileio import atomic_write
from .noise import fixed
from .plotting import save_curves, save_samples


@dataclasses.dataclass
class TrainConfig:
    dataset: str = "mnist"
    epochs: int = 25
    batch_size: int = 100
    k: int = 1
    lr: float = None            # None: the preset's (0.1 for the paper's MNIST model)
    g_loss: str = "non_saturating"
    backend: str = "numpy"
    seed: int = 0
    out: str = "runs/mnist"
    checkpoint_every: int = 0   # also checkpoint every this many iterations (0: epoch ends only)
    keep: int = 3               # checkpoints kept
    progress: bool = True


def epoch_order(seed, epoch, n):
    """The order the training set is visited in during `epoch`: a function of (seed, epoch)."""
    return numpy.random.default_rng([seed, epoch]).permutation(n)


def train(config, resume=False):
    """Train as `config` says (continuing from the newest checkpoint if `resume`); return a summary."""
    paths = _prepare_output(config.out)
    backend.use(config.backend)
    dataset = load(config.dataset, seed=config.seed)
    gan = models.for_dataset(config.dataset, dataset, seed=config.seed, k=config.k,
                             g_loss=config.g_loss, lr=config.lr)
    per_iteration = config.k * config.batch_size
    iters_per_epoch = len(dataset.train) // per_iteration
    if iters_per_epoch == 0:
        raise ValueError(f"the training split has {len(dataset.train)} examples, fewer than "
                         f"k·batch_size = {per_iteration}: lower --batch-size or --k")
    iteration = _resume(gan, paths, config) if resume else _fresh_log(paths)
    train_x = backend.to_device(dataset.train)
    z_fixed = fixed(gan.noise, 100 if dataset.image_shape else 2000, seed=config.seed + 1)
    total = config.epochs * iters_per_epoch
    bar = tqdm(total=total, initial=iteration, disable=not config.progress, unit="it",
               desc=f"{dataset.name} k={config.k}", dynamic_ncols=True)
    last_checkpoint, started = None, time.time()
    with open(paths["log"], "a") as log:
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
                if end_of_epoch or (config.checkpoint_every and iteration % config.checkpoint_every == 0):
                    log.flush()
                    last_checkpoint = checkpoint.save(
                        gan, paths["checkpoints"], config=dataclasses.asdict(config),
                        epoch=epoch, iteration=iteration, keep=config.keep)
            _epoch_figures(gan, dataset, z_fixed, paths, epoch)
    bar.close()
    summary = {"dataset": dataset.name, "source": dataset.source, "iterations": iteration,
               "epochs": config.epochs, "seconds": round(time.time() - started, 1),
               "checkpoint": last_checkpoint, "samples": paths["samples"], "curves": paths["curves"]}
    with atomic_write(os.path.join(config.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    return gan, summary


def _prepare_output(out):
    paths = {"checkpoints": os.path.join(out, "checkpoints"), "log": os.path.join(out, "log.jsonl"),
             "samples": os.path.join(out, "samples.png"), "curves": os.path.join(out, "curves.png"),
             "epochs": os.path.join(out, "samples")}
    try:
        for folder in (out, paths["checkpoints"], paths["epochs"]):
            os.makedirs(folder, exist_ok=True)
        probe = os.path.join(out, ".write-test")
        open(probe, "w").close()
        os.remove(probe)
    except OSError as exc:
        raise OSError(f"cannot write to the output folder {out!r}: {exc.strerror or exc}") from exc
    return paths


def _fresh_log(paths):
    open(paths["log"], "w").close()
    return 0


def _resume(gan, paths, config):
    """Restore the newest checkpoint; cut the log back to the iterations it covers."""
    found = checkpoint.list_checkpoints(paths["checkpoints"])
    if not found:
        raise CheckpointError(f"--resume: no checkpoint in {paths['checkpoints']!r} to resume from")
    meta = checkpoint.restore(gan, found[-1])
    saved = {k: v for k, v in meta["config"].items() if k not in ("epochs", "progress", "out")}
    mine = {k: v for k, v in dataclasses.asdict(config).items() if k in saved}
    if saved != mine:
        differ = sorted(k for k in saved if saved[k] != mine.get(k))
        raise CheckpointError(f"--resume: {found[-1]!r} was trained with other settings "
                              f"({', '.join(f'{k}={saved[k]!r}' for k in differ)}); pass the same ones")
    iteration = int(meta["iteration"])
    with open(paths["log"]) as f:
        kept = [line for line in f if line.strip() and json.loads(line)["iteration"] <= iteration]
    with atomic_write(paths["log"], "w") as f:
        f.writelines(kept)
    return iteration


def _check_finite(stats, iteration, last_checkpoint):
    for name in ("d_loss", "g_loss"):
        if not math.isfinite(stats[name]):
            kept = f"the last good checkpoint is {last_checkpoint}" if last_checkpoint else "no checkpoint was written yet"
            raise TrainingDiverged(f"training diverged at iteration {iteration}: {name} = {stats[name]}; "
                                   f"{kept}. Try a smaller --lr.")


def _epoch_figures(gan, dataset, z_fixed, paths, epoch):
    samples = gan.sample(z=z_fixed)
    title = f"{dataset.name}, epoch {epoch + 1}"
    save_samples(samples, os.path.join(paths["epochs"], f"epoch-{epoch + 1:04d}.png"), dataset, title)
    save_samples(samples, paths["samples"], dataset, title)
    save_curves(paths["log"], paths["curves"], title=f"{dataset.name}: Algorithm 1, k = {gan.k}")
