import os

# The tests train small models, where BLAS threads cost far more than they save (a toy D
# step: 3 ms on one thread, ~60 ms on two of a busy machine). Set before NumPy loads.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402
import pytest
from hypothesis import HealthCheck, settings  # noqa: E402

from minigan import backend  # noqa: E402

settings.register_profile(
    "minigan", deadline=None, max_examples=int(os.environ.get("MINIGAN_HYPOTHESIS_EXAMPLES", 25)),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.load_profile("minigan")


@pytest.fixture(autouse=True)
def same_backend_for_every_test():
    """Give each test the backend the run was started with (MINIGAN_BACKEND).

    `train()` and the CLI switch backends as asked; without this, one test that trains
    on NumPy would silently move every later test of a CuPy run onto NumPy.
    """
    chosen = backend.name()
    yield
    backend.use(chosen)


def pytest_report_header(config):
    return f"minigan backend: {backend.name()}"


@pytest.fixture
def dev():
    """Move a NumPy array to the active backend (identity on NumPy)."""
    return backend.to_device


@pytest.fixture
def host():
    return backend.to_numpy


requires_cupy = pytest.mark.skipif(not backend.cupy_available(), reason="CuPy with a GPU is not available")


def as_host(a):
    return np.asarray(backend.to_numpy(a))
