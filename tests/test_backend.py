import ast
import pathlib

import numpy as np
import pytest

from minigan import backend

from .conftest import requires_cupy

CORE = ["layers", "losses.py", "optim", "gradcheck", "functions.py", "gan.py"]
PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "minigan"


def _core_files():
    for entry in CORE:
        path = PACKAGE / entry
        yield from (sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else [])


def test_core_modules_never_import_numpy_or_cupy():
    """The core asks the backend for its array module, so one code path runs on both."""
    offenders = []
    files = list(_core_files())
    assert len(files) >= 8
    for f in files:
        for node in ast.walk(ast.parse(f.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in ("numpy", "cupy") for n in names):
                offenders.append(f"{f.relative_to(PACKAGE)}:{node.lineno}")
    assert not offenders, f"core modules import numpy/cupy directly: {offenders}"


@pytest.fixture(autouse=True)
def restore_backend():
    before = backend.name()
    yield
    backend.use(before)


def test_use_numpy_and_unknown_backend():
    assert backend.use("numpy") is np
    assert backend.name() == "numpy"
    with pytest.raises(ValueError, match="unknown backend 'torch'"):
        backend.use("torch")


def test_array_module_and_round_trip():
    a = np.arange(6, dtype=np.float32)
    assert backend.array_module(a) is np
    assert np.array_equal(backend.to_numpy(backend.to_device(a)), a)


def test_rng_accepts_seed_or_generator():
    g = backend.rng(3)
    assert backend.rng(g) is g
    assert np.array_equal(backend.to_numpy(backend.rng(3).random(4)), backend.to_numpy(backend.rng(3).random(4)))


@pytest.mark.skipif(backend.cupy_available(), reason="CuPy is available here")
def test_cupy_absent_gives_a_clear_error():
    with pytest.raises(backend.BackendUnavailable, match="cupy.*MINIGAN_BACKEND=numpy"):
        backend.use("cupy")


@requires_cupy
def test_cupy_backend_moves_arrays():
    import cupy
    backend.use("cupy")
    a = backend.to_device(np.ones(3, dtype=np.float32))
    assert isinstance(a, cupy.ndarray) and backend.array_module(a) is cupy
    assert np.array_equal(backend.to_numpy(a), np.ones(3))
