"""Checkpoints: everything a run needs to continue bit for bit, in one .npz.

Saved: G's and D's parameters, both optimisers' state (counters and buffers), every
random generator's state (noise and each dropout layer), the run's config, the epoch
and iteration counters, and a description of the architecture so that loading a
checkpoint into a different model fails with a sentence rather than a shape error.

Files are written atomically (temporary file, fsync, rename): a run killed mid-write
leaves the previous checkpoint intact. `save` keeps the newest `keep` of them.
"""
import glob
import json
import os
import zipfile

import numpy

from . import backend
from .errors import CheckpointError
from .fileio import atomic_write

PATTERN = "checkpoint-{:08d}.npz"


def architecture(gan):
    """Parameter names and shapes of G and D: what must match for a checkpoint to load."""
    return {net: {k: list(v.shape) for k, v in getattr(gan, net).params.items()} for net in ("G", "D")}


def _generator_state(generator):
    bitgen = getattr(generator, "bit_generator", None)
    return bitgen.state if bitgen is not None else None   # CuPy generators: not restorable


def save(gan, folder, *, config, epoch, iteration, keep=3):
    """Write checkpoint-<iteration>.npz into `folder`, keep the newest `keep`, return its path."""
    os.makedirs(folder, exist_ok=True)
    arrays = {f"G/{k}": backend.to_numpy(v) for k, v in gan.G.params.items()}
    arrays.update({f"D/{k}": backend.to_numpy(v) for k, v in gan.D.params.items()})
    for name, opt in (("opt_d", gan.d_optimizer), ("opt_g", gan.g_optimizer)):
        arrays.update({f"{name}/{k}": numpy.asarray(v) for k, v in opt.state_dict().items()})
    meta = {"config": config, "epoch": epoch, "iteration": iteration,
            "gan_iteration": gan.iteration, "architecture": architecture(gan),
            "rng": {n: _generator_state(g) for n, g in gan.generators().items()}}
    arrays["meta"] = numpy.array(json.dumps(meta))
    path = os.path.join(folder, PATTERN.format(iteration))
    with atomic_write(path) as f:
        numpy.savez(f, **arrays)
    for old in list_checkpoints(folder)[:-keep]:
        os.remove(old)
    return path


def list_checkpoints(folder):
    """Checkpoint files in `folder`, oldest first."""
    return sorted(glob.glob(os.path.join(folder, PATTERN.replace("{:08d}", "*"))))


def read(path):
    """(meta dict, {key: numpy array}) from a checkpoint file, or CheckpointError naming it."""
    if not os.path.isfile(path):
        raise CheckpointError(f"checkpoint {path!r} does not exist")
    try:
        with numpy.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        meta = json.loads(str(arrays.pop("meta")))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, json.JSONDecodeError,
            UnicodeDecodeError, TypeError) as exc:
        raise CheckpointError(f"checkpoint {path!r} is unreadable or not a minigan checkpoint "
                              f"({type(exc).__name__}: {exc})") from exc
    if not isinstance(meta, dict) or "architecture" not in meta:
        raise CheckpointError(f"checkpoint {path!r} has no minigan metadata")
    return meta, arrays


def restore(gan, path, *, exact=True):
    """Load parameters (and with exact=True optimiser and random state) into `gan`; return meta."""
    meta, arrays = read(path)
    expected = architecture(gan)
    if meta["architecture"] != expected:
        raise CheckpointError(
            f"checkpoint {path!r} was saved from a different architecture: it has "
            f"{_describe(meta['architecture'])}, this model has {_describe(expected)}")
    try:
        for net in ("G", "D"):
            for k, p in getattr(gan, net).params.items():
                p[...] = backend.to_device(arrays[f"{net}/{k}"], dtype=p.dtype)
        if exact:
            for name, opt in (("opt_d", gan.d_optimizer), ("opt_g", gan.g_optimizer)):
                prefix = name + "/"
                opt.load_state_dict({k[len(prefix):]: (v if v.ndim else v.item())
                                     for k, v in arrays.items() if k.startswith(prefix)})
            for name, generator in gan.generators().items():
                state = meta["rng"].get(name)
                if state is not None and hasattr(generator, "bit_generator"):
                    generator.bit_generator.state = state
            gan.iteration = int(meta["gan_iteration"])
    except (KeyError, ValueError, TypeError) as exc:
        raise CheckpointError(f"checkpoint {path!r} is incomplete or corrupt ({type(exc).__name__}: {exc})") from exc
    return meta


def _describe(arch):
    return ", ".join(f"{net} " + " ".join(f"{k}{tuple(s)}" for k, s in params.items() if k.endswith("W"))
                     for net, params in arch.items())


def load_gan(path):
    """Rebuild the model a checkpoint was trained as and load its parameters: (gan, meta)."""
    from . import models
    from .data.toys import TOYS
    meta, _ = read(path)
    config, arch = meta.get("config", {}), meta["architecture"]
    try:
        if config.get("dataset") in TOYS:
            gan = models.toy(arch["G"]["4.W"][1], noise_dim=arch["G"]["0.W"][0],
                             hidden=arch["G"]["0.W"][1], seed=config.get("seed", 0))
        else:
            gan = models.paper_mnist(noise_dim=arch["G"]["0.W"][0], hidden=arch["G"]["0.W"][1],
                                     n_pixels=arch["G"]["4.W"][1], d_units=arch["D"]["3.W"][0],
                                     d_pieces=arch["D"]["3.W"][1] // arch["D"]["3.W"][0],
                                     seed=config.get("seed", 0))
    except (KeyError, IndexError, TypeError, ZeroDivisionError) as exc:
        raise CheckpointError(f"checkpoint {path!r} does not describe a minigan model ({exc!r})") from exc
    restore(gan, path, exact=False)
    return gan, meta
