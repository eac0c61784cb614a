"""Checkpoints: everything a run needs to continue bit for bit, in one .npz.

Saved: G's and D's parameters, both optimisers' state (counters and buffers), every
random generator's state (noise and each dropout layer), the run's config, the epoch
and iteration counters, and a description of the architecture so that loading a
checkpoint into a different model fails with a sentence rather than a shape error.

Files are written atomically (temporary file, fsync, rename): a run killed mid-write
leaves the previous checkpoint intact. `save` keeps the newest `keep` of them.

Reading trusts nothing: `read` checks the zip, each array's header against its size, the
metadata's structure and every parameter's shape before anything is loaded, and `restore`
prepares everything before it changes the model. Whatever the bytes, the readers
(`read`, `restore`, `load_gan`) return or raise CheckpointError naming the file.

On NumPy every generator's state is saved; CuPy's generators expose no state, so a CuPy
run resumes with the right parameters and optimiser state but fresh random streams.
"""
import glob
import io
import json
import math
import os
import re
import zipfile

import numpy

from . import backend
from .errors import CheckpointError
from .fileio import atomic_write

PATTERN = "checkpoint-{:08d}.npz"
_NAME = re.compile(r"checkpoint-(\d+)\.npz")
_META_INTS = ("epoch", "iteration", "gan_iteration")


# -- writing --------------------------------------------------------------------------------
def architecture(gan):
    """Parameter names and shapes of G and D: what must match for a checkpoint to load."""
    return {net: {k: list(v.shape) for k, v in getattr(gan, net).params.items()} for net in ("G", "D")}


def _generator_state(generator):
    """The JSON-able state of a NumPy Generator; None for generators that expose none (CuPy)."""
    try:
        state = generator.bit_generator.state
    except AttributeError:
        return None
    return state if isinstance(state, dict) else None


def save(gan, folder, *, config, epoch, iteration, keep=3):
    """Write checkpoint-<iteration>.npz into `folder`, keep the newest `keep`, return its path.

    An OSError (full disk, read-only folder) is re-raised naming the checkpoint; the file
    is then not written and the older checkpoints are untouched.
    """
    arrays = {f"G/{k}": backend.to_numpy(v) for k, v in gan.G.params.items()}
    arrays.update({f"D/{k}": backend.to_numpy(v) for k, v in gan.D.params.items()})
    for name, opt in (("opt_d", gan.d_optimizer), ("opt_g", gan.g_optimizer)):
        arrays.update({f"{name}/{k}": numpy.asarray(v) for k, v in opt.state_dict().items()})
    meta = {"config": config, "epoch": int(epoch), "iteration": int(iteration),
            "gan_iteration": int(gan.iteration), "architecture": architecture(gan),
            "rng": {n: _generator_state(g) for n, g in gan.generators().items()}}
    arrays["meta"] = numpy.array(json.dumps(meta))
    path = os.path.join(folder, PATTERN.format(iteration))
    try:
        os.makedirs(folder, exist_ok=True)
        with atomic_write(path) as f:
            numpy.savez(f, **arrays)
    except OSError as exc:
        previous = list_checkpoints(folder) if os.path.isdir(folder) else []
        kept = f"; {previous[-1]} is intact" if previous else ""
        raise OSError(f"cannot write the checkpoint {path} ({exc.strerror or exc}){kept}") from exc
    older = [p for p in list_checkpoints(folder) if iteration_of(p) < iteration]
    for old in older[:max(0, len(older) - (keep - 1))]:
        os.remove(old)
    return path


def iteration_of(path):
    """The iteration in a checkpoint's file name (checkpoint-00000120.npz -> 120), else None."""
    match = _NAME.fullmatch(os.path.basename(path))
    return int(match.group(1)) if match else None


def list_checkpoints(folder):
    """Checkpoint files in `folder`, oldest (lowest iteration) first."""
    found = glob.glob(os.path.join(glob.escape(os.fspath(folder)), "checkpoint-*.npz"))
    return sorted((p for p in found if iteration_of(p) is not None), key=iteration_of)


# -- reading --------------------------------------------------------------------------------
def read(path):
    """(meta dict, {key: numpy array}) from a checkpoint file, or CheckpointError naming it.

    Checks, before returning: the zip and its CRCs, every member is a plain .npy array
    whose header matches its size, the metadata is well-formed JSON of the right shape,
    and G's and D's arrays are exactly the ones the metadata's architecture lists.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise CheckpointError(f"checkpoint {path!r} does not exist")
    if not os.path.isfile(path):
        raise CheckpointError(f"checkpoint {path!r} is not a file")
    try:
        arrays = _read_arrays(path)
    except CheckpointError:
        raise
    except Exception as exc:  # BadZipFile, OSError, zlib.error, EOFError, RuntimeError, ...
        raise CheckpointError(f"checkpoint {path!r} is unreadable or not a minigan checkpoint "
                              f"({type(exc).__name__}: {exc})") from exc
    meta = _parse_meta(path, arrays.pop("meta", None))
    _check_parameters(path, meta["architecture"], arrays)
    return meta, arrays


def _read_arrays(path):
    """Every member of the .npz as a NumPy array, refusing members that lie about their size."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".npy") or info.filename[:-4] in arrays:
                raise CheckpointError(f"checkpoint {path!r} has an unexpected entry {info.filename!r}")
            arrays[info.filename[:-4]] = _npy_from_bytes(path, info.filename, archive.read(info))
    return arrays


def _npy_from_bytes(path, name, data):
    """Parse one .npy member; its header must announce exactly the bytes that follow."""
    f = io.BytesIO(data)
    version = numpy.lib.format.read_magic(f)
    header = {(1, 0): numpy.lib.format.read_array_header_1_0,
              (2, 0): numpy.lib.format.read_array_header_2_0}.get(version)
    if header is None:
        raise CheckpointError(f"checkpoint {path!r}: entry {name!r} has unsupported .npy version {version}")
    shape, fortran, dtype = header(f)
    count, offset = math.prod(shape), f.tell()
    if dtype.hasobject or count * dtype.itemsize != len(data) - offset:
        raise CheckpointError(f"checkpoint {path!r}: entry {name!r} is truncated or corrupt (its header "
                              f"announces {count * dtype.itemsize} bytes, {len(data) - offset} follow)")
    if count == 0 or dtype.itemsize == 0:
        return numpy.zeros(shape, dtype)
    flat = numpy.frombuffer(data, dtype=dtype, count=count, offset=offset)
    return (flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)).copy()


def _is_int(value):
    return type(value) is int and value >= 0


def _parse_meta(path, text):
    """The metadata dict, checked field by field."""
    def bad(why):
        return CheckpointError(f"checkpoint {path!r} has no valid minigan metadata ({why})")
    if text is None:
        raise bad("no 'meta' entry")
    if text.dtype.kind != "U" or text.ndim != 0:
        raise bad("'meta' is not a text entry")
    try:
        meta = json.loads(str(text[()]))
    except (ValueError, RecursionError) as exc:
        raise bad(f"not JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise bad("not a JSON object")
    for key in _META_INTS:
        if not _is_int(meta.get(key)):
            raise bad(f"{key!r} is not a whole number")
    if not isinstance(meta.get("config"), dict) or not isinstance(meta.get("rng"), dict):
        raise bad("'config' or 'rng' is missing")
    arch = meta.get("architecture")
    if not (isinstance(arch, dict) and set(arch) == {"G", "D"} and all(
            isinstance(params, dict) and all(
                isinstance(shape, list) and all(_is_int(n) for n in shape) for shape in params.values())
            for params in arch.values())):
        raise bad("'architecture' does not list G's and D's parameter shapes")
    return meta


def _check_parameters(path, arch, arrays):
    """G/ and D/ arrays must be exactly the float arrays the architecture lists."""
    listed = {f"{net}/{k}": tuple(shape) for net, params in arch.items() for k, shape in params.items()}
    present = {k for k in arrays if k.startswith(("G/", "D/"))}
    extra = sorted(present - set(listed))
    if extra:
        raise CheckpointError(f"checkpoint {path!r} is corrupt: array {extra[0]!r} is not in its "
                              f"architecture")
    for key, shape in listed.items():
        got = arrays.get(key)
        if got is None:
            raise CheckpointError(f"checkpoint {path!r} is incomplete: parameter {key!r} is missing")
        if got.shape != shape or got.dtype.kind != "f":
            raise CheckpointError(f"checkpoint {path!r} is corrupt: parameter {key!r} is "
                                  f"{got.dtype}{got.shape}, its architecture says float{shape}")


# -- loading into a model -------------------------------------------------------------------
def restore(gan, path, *, exact=True):
    """Load parameters (and with exact=True optimiser and random state) into `gan`; return meta."""
    meta, arrays = read(path)
    apply(gan, path, meta, arrays, exact=exact)
    return meta


def apply(gan, path, meta, arrays, *, exact=True):
    """Put what `read(path)` returned into `gan`: all checked first, then all assigned.

    A CheckpointError (a different architecture, optimiser or set of random generators)
    leaves `gan` unchanged.
    """
    path, expected = os.fspath(path), architecture(gan)
    if meta["architecture"] != expected:
        raise CheckpointError(f"checkpoint {path!r} was saved from a different architecture: "
                              f"{_differences(meta['architecture'], expected)}")
    params = [(p, arrays[f"{net}/{k}"]) for net in ("G", "D") for k, p in getattr(gan, net).params.items()]
    states, generators = [], []
    if exact:
        for name, opt, net in (("opt_d", gan.d_optimizer, gan.D), ("opt_g", gan.g_optimizer, gan.G)):
            states.append((opt, _optimizer_state(path, name, opt, net, arrays)))
        for name, generator in gan.generators().items():
            generators.append((generator, _random_state(path, name, generator, meta["rng"])))
    for p, value in params:                                    # nothing below can fail
        p[...] = backend.to_device(value, dtype=p.dtype)
    for opt, state in states:
        opt.load_state_dict(state)
    for generator, state in generators:
        if state is not None:
            generator.bit_generator.state = state
    if exact:
        gan.iteration = meta["gan_iteration"]
    return meta


def _optimizer_state(path, name, opt, net, arrays):
    """The state dict of optimiser `name`, checked against the optimiser and its network."""
    prefix = name + "/"
    state = {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}
    for counter in ("t", "epoch"):
        value = state.get(counter)
        if value is None or value.shape != () or value.dtype.kind not in "iu" or value < 0:
            raise CheckpointError(f"checkpoint {path!r}: optimiser {name!r} has no valid counter {counter!r}")
        state[counter] = int(value)
    shapes = {k: tuple(v.shape) for k, v in net.params.items()}
    for key in [k for k in state if k not in ("t", "epoch")]:
        kind, _, param = key.partition("/")
        if kind not in opt.buffers or shapes.get(param) != state[key].shape or state[key].dtype.kind != "f":
            raise CheckpointError(f"checkpoint {path!r}: optimiser state {prefix + key!r} does not "
                                  f"fit this model's {type(opt).__name__} (buffers {opt.buffers})")
        state[key] = numpy.array(state[key])                 # a private, writable copy
    return state


def _random_state(path, name, generator, saved):
    """The saved state for `generator`, tried on a scratch copy; None where none is kept."""
    bit_generator = getattr(generator, "bit_generator", None)
    if _generator_state(generator) is None:
        return None                                          # CuPy: nothing to restore into
    state = saved.get(name)
    if state is None:
        raise CheckpointError(f"checkpoint {path!r} holds no state for the random generator {name!r}")
    try:
        type(bit_generator)(0).state = state
    except Exception as exc:  # ValueError, TypeError, KeyError, OverflowError from NumPy
        raise CheckpointError(f"checkpoint {path!r}: the state of random generator {name!r} is "
                              f"invalid ({type(exc).__name__}: {exc})") from None
    return state


def _differences(saved, model, limit=3):
    """'G/0.W is (1, 64) in the checkpoint but (2, 64) in this model; ...' (the first few)."""
    out = []
    for net in ("G", "D"):
        for k in sorted(set(saved.get(net, {})) | set(model[net])):
            a, b = saved.get(net, {}).get(k), model[net].get(k)
            if a != b:
                there = "absent" if a is None else str(tuple(a))
                here = "absent" if b is None else str(tuple(b))
                out.append(f"{net}/{k} is {there} in the checkpoint but {here} in this model")
    more = f"; and {len(out) - limit} more" if len(out) > limit else ""
    return "; ".join(out[:limit]) + more


def load_gan(path):
    """Rebuild the model a checkpoint was trained as and load its parameters: (gan, meta).

    The model is rebuilt from the architecture alone: a discriminator with maxout at
    layer 1 is the paper's MNIST model, anything else the toy MLP. Only parameters are
    loaded (exact=False): the result is for sampling and evaluation, not for resuming.
    """
    from . import models
    path = os.fspath(path)
    meta, arrays = read(path)
    G, D = meta["architecture"]["G"], meta["architecture"]["D"]
    try:
        if "1.W" in D:
            gan = models.paper_mnist(noise_dim=G["0.W"][0], hidden=G["0.W"][1],
                                     n_pixels=G["4.W"][1], d_units=D["3.W"][0],
                                     d_pieces=D["3.W"][1] // D["3.W"][0])
        else:
            gan = models.toy(G["4.W"][1], noise_dim=G["0.W"][0], hidden=G["0.W"][1])
    except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise CheckpointError(f"checkpoint {path!r} does not describe a minigan model "
                              f"({type(exc).__name__}: {exc})") from exc
    apply(gan, path, meta, arrays, exact=False)
    return gan, meta
