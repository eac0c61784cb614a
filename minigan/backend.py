"""The one seam that picks NumPy or CuPy.

Every core module asks this module for its array module (``xp``) instead of importing
numpy or cupy itself, so one code path runs on the CPU and on an NVIDIA GPU:

    from minigan import backend
    xp = backend.xp()                 # the active module: numpy or cupy
    xp = backend.array_module(a)      # the module that owns array `a`

The active backend is chosen, in order, by ``use("numpy" | "cupy")`` or by the environment
variable ``MINIGAN_BACKEND`` (default ``numpy``).
"""
import copy
import os

import numpy

BACKENDS = ("numpy", "cupy")
_active = None


class BackendUnavailable(RuntimeError):
    """CuPy was asked for but cannot be imported or has no usable GPU."""


def _import_cupy():
    try:
        import cupy
        cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # ImportError, or CUDA present but no device/driver
        raise BackendUnavailable(
            "the 'cupy' backend was requested but CuPy is not usable here "
            f"({type(exc).__name__}: {exc}). Install it with `pip install minigan[cuda12]` "
            "(or [cuda13]) on a machine with an NVIDIA GPU, or use MINIGAN_BACKEND=numpy."
        ) from exc
    return cupy


def use(name):
    """Make `name` ("numpy" or "cupy") the active backend and return its array module."""
    global _active
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; choose one of {BACKENDS}")
    _active = numpy if name == "numpy" else _import_cupy()
    return _active


def xp():
    """The active array module (numpy or cupy)."""
    if _active is None:
        use(os.environ.get("MINIGAN_BACKEND", "numpy").strip().lower() or "numpy")
    return _active


def name():
    """The active backend's name: "numpy" or "cupy"."""
    return "numpy" if xp() is numpy else "cupy"


def cupy_available():
    """True when CuPy imports and sees a GPU (never raises)."""
    try:
        _import_cupy()
    except BackendUnavailable:
        return False
    return True


def array_module(*arrays):
    """The module that owns these arrays: cupy if any of them is a CuPy array, else numpy."""
    for a in arrays:
        if type(a).__module__.startswith("cupy"):
            import cupy
            return cupy
    return numpy


def to_device(a, dtype=None):
    """Copy `a` (NumPy, CuPy or a Python sequence) onto the active backend."""
    return xp().asarray(a, dtype=dtype)


def to_numpy(a):
    """Bring `a` back to a NumPy array on the host (no copy when it already is one)."""
    if hasattr(a, "get") and type(a).__module__.startswith("cupy"):
        return a.get()
    return numpy.asarray(a)


def rng(seed=None):
    """A random Generator for the active backend.

    `seed` may be None, an int, or a Generator already (returned as it is), so every
    layer can take ``rng=`` as either a seed or a shared generator.
    """
    module = xp()
    if isinstance(seed, (numpy.random.Generator,)) or type(seed).__module__.startswith("cupy"):
        return seed
    return module.random.default_rng(seed)


def spawn(generator, n):
    """`n` independent child generators of `generator` (seeds drawn from it)."""
    seeds = to_numpy(generator.integers(0, 2**63 - 1, size=n, dtype="int64"))
    return [rng(int(s)) for s in seeds]


def deepcopy(thing, generators=()):
    """copy.deepcopy(thing), except that the CuPy random generators among `generators` are shared.

    A NumPy Generator is copied with its state, so the copy draws the same numbers as the
    original would, independently. A CuPy Generator cannot be copied (its state lives on
    the GPU behind a lock), so the copy draws from the original's own stream.
    """
    memo = {id(g): g for g in generators if type(g).__module__.startswith("cupy")}
    return copy.deepcopy(thing, memo)
