"""A training step of the paper's model: float32 from end to end, and only the work it needs.

Every NumPy operation of one `train_step` is watched through an ndarray subclass whose
`__array_ufunc__` / `__array_function__` see each call: no floating-point result may be
anything but float32 (a silent float64 upcast doubles memory traffic and halves BLAS speed),
and the matrix products must be exactly those Algorithm 1 needs.
"""
import numpy as np
import pytest

from minigan import backend, models
from minigan.layers import Linear

pytestmark = pytest.mark.skipif(backend.name() != "numpy", reason="watches NumPy calls")


class Watched(np.ndarray):
    """An ndarray that reports every operation it takes part in to `Watched.log`."""
    log = []

    @staticmethod
    def _plain(x):
        return x.view(np.ndarray) if isinstance(x, Watched) else x

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        args = [self._plain(x) for x in inputs]
        if out is not None:
            kwargs["out"] = tuple(self._plain(o) for o in out)
        result = getattr(ufunc, method)(*args, **kwargs)
        Watched.log.append((f"{ufunc.__name__}.{method}", [getattr(a, "shape", a) for a in args],
                            result if out is None else kwargs["out"][0]))
        if out is not None:
            return out[0] if len(out) == 1 else out
        return result.view(Watched) if isinstance(result, np.ndarray) else result

    def __array_function__(self, func, types, args, kwargs):
        result = super().__array_function__(func, types, args, kwargs)
        Watched.log.append((func.__name__, [], result))
        return result.view(Watched) if isinstance(result, np.ndarray) else result


@pytest.fixture(autouse=True)
def watch_ascontiguousarray(monkeypatch):
    """np.ascontiguousarray does not dispatch on its argument: keep the watch through it."""
    plain = np.ascontiguousarray

    def watched(a, *args, **kwargs):
        out = plain(a, *args, **kwargs)
        return out.view(Watched) if isinstance(a, Watched) else out
    monkeypatch.setattr(np, "ascontiguousarray", watched)


def _watched_gan(**options):
    gan = models.paper_mnist(seed=0, **options)
    for net in (gan.G, gan.D):
        for m in net.modules():
            for k in list(m._params):
                m._params[k] = m._params[k].view(Watched)
                m._grads[k] = m._grads[k].view(Watched)
    return gan


def _batch(m=100, d=784):
    return np.random.default_rng(0).random((m, d), dtype=np.float32).view(Watched)


def _floating_results(log):
    for name, shapes, result in log:
        for r in result if isinstance(result, tuple) else (result,):
            dtype = getattr(r, "dtype", None)
            if dtype is not None and dtype.kind in "fc":
                yield name, shapes, dtype


def test_every_array_of_a_training_step_is_float32():
    gan = _watched_gan()
    gan.train_step(_batch())            # the first step also creates the optimiser buffers
    Watched.log.clear()
    stats = gan.train_step(_batch())
    assert len(Watched.log) > 50        # the watch really saw the step
    upcasts = [(name, shapes, str(dtype)) for name, shapes, dtype in _floating_results(Watched.log)
               if dtype != np.float32]
    assert not upcasts, f"non-float32 results in a training step: {upcasts[:10]}"
    assert all(np.isfinite(v) for v in stats.values())
    # and what the step leaves behind: parameters, gradients, optimiser state, caches
    for net, opt in ((gan.G, gan.g_optimizer), (gan.D, gan.d_optimizer)):
        for name, p in net.params.items():
            assert p.dtype == np.float32 and net.grads[name].dtype == np.float32, name
        for kind, bufs in opt.state.items():
            assert all(b.dtype == np.float32 for b in bufs.values()), kind
        for m in net.modules():
            cache = m._cache if isinstance(m._cache, tuple) else (m._cache,)
            for c in cache:
                assert getattr(c, "dtype", np.float32) == np.float32, repr(m)


def test_a_training_step_performs_exactly_the_products_algorithm_1_needs():
    """25 for the paper's model: no dL/dx for D's input in the D step (nobody reads it),
    no dL/dθ for the frozen D in the G step, no dL/dz for G's input."""
    gan = _watched_gan()
    Watched.log.clear()
    gan.train_step(_batch())
    products = [shapes for name, shapes, _ in Watched.log if name == "matmul.__call__"]
    nG = sum(isinstance(m, Linear) for m in gan.G.modules())
    nD = sum(isinstance(m, Linear) for m in gan.D.modules())
    d_step = nG + nD + nD + (nD - 1)           # G fwd, D fwd, D dW, D dx (not into its input)
    g_step = nG + nD + nD + nG + (nG - 1)      # G fwd, D fwd, D dx only, G dW, G dx (not into z)
    assert len(products) == d_step + g_step == 25
    # the D step's backward never forms dL/d(input of D) = dz Wᵀ of the first maxout
    W1 = gan.D[1].params["W"]
    assert [200, 1200] not in [list(a) for a, b in products if tuple(b) == W1.T.shape]


def test_frozen_discriminator_gets_no_parameter_gradient_in_the_generator_step():
    gan = models.paper_mnist(seed=0)
    batch = np.random.default_rng(0).random((100, 784), dtype=np.float32)
    gan.discriminator_step(batch)
    before = {k: g.copy() for k, g in gan.D.grads.items()}
    gan.generator_step(100)
    assert all(np.array_equal(before[k], g) for k, g in gan.D.grads.items())
