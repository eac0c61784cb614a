"""Every fast path gives what the textbook form gives (issue 6: speed without hiding the maths)."""
import numpy as np
import pytest

from minigan import backend
from minigan.layers import Dropout, Linear, Maxout, ReLU, Sequential
from minigan.optim import SGD
from minigan.optim.sgd import PIECE, pieces

from .conftest import as_host


def test_sgd_piece_by_piece_is_the_whole_array_update_exactly():
    rng = np.random.default_rng(0)
    shape = (700, 300)                                   # 210 000 > PIECE: several pieces
    assert np.prod(shape) > 3 * PIECE
    p0 = rng.standard_normal(shape).astype(np.float32)
    grads = [rng.standard_normal(shape).astype(np.float32) for _ in range(3)]
    opt = SGD(lr=0.1, momentum=0.5)
    params = {"W": backend.to_device(p0.copy())}
    p, v = p0.copy(), np.zeros_like(p0)
    for g in grads:
        opt.step(params, {"W": backend.to_device(g)})
        v = np.float32(0.5) * v - np.float32(0.1) * g   # the textbook update, whole arrays
        p = p + v
    assert np.array_equal(as_host(params["W"]), p)


def test_pieces_are_views_covering_the_arrays_in_order():
    a = np.arange(3 * PIECE + 5, dtype=np.float32).reshape(-1, 1)
    got = list(pieces(a, a * 2))
    assert len(got) == 4 and all(x.base is not None for x, _ in got)
    assert np.array_equal(np.concatenate([x for x, _ in got]), a.reshape(-1))
    strided = np.zeros((2 * PIECE, 2), np.float32)[:, 0]  # not contiguous: one piece, as given
    assert [len(t) for t in pieces(strided)] == [1] and next(pieces(strided))[0] is strided


def test_zero_grad_is_lazy_but_grads_always_read_as_zero_or_the_gradient(dev):
    layer = Linear(3, 2, rng=0)
    x, dy = dev(np.ones((4, 3), np.float32)), dev(np.arange(8, dtype=np.float32).reshape(4, 2))
    layer(x); layer.backward(dy)
    once = as_host(layer.grads["W"]).copy()
    assert once.any()
    layer.zero_grad()
    assert not as_host(layer.grads["W"]).any() and not as_host(layer.grads["b"]).any()
    layer.zero_grad()                        # zero_grad, backward: written, not added to stale values
    layer(x); layer.backward(dy)
    assert np.array_equal(as_host(layer.grads["W"]), once)
    layer(x); layer.backward(dy)             # and a second backward adds
    assert np.allclose(as_host(layer.grads["W"]), 2 * once)
    layer.zero_grad()
    assert not as_host(layer.astype("float64").grads["W"]).any()


def test_sequential_without_input_grad_stops_at_the_first_learning_layer(dev):
    def net():
        return Sequential([Dropout(0.5, rng=0), ReLU(), Linear(3, 2, rng=1), ReLU(), Linear(2, 1, rng=2)])
    a, b = net(), net()
    x = dev(np.random.default_rng(0).uniform(0.1, 1, (5, 3)).astype(np.float32))
    dy = dev(np.ones((5, 1), np.float32))
    a(x), b(x)
    assert a.backward(dy, input_grad=False) is None
    assert as_host(b.backward(dy)).shape == (5, 3)
    for k in a.grads:
        assert np.array_equal(as_host(a.grads[k]), as_host(b.grads[k])), k
    a(x)
    a[0]._cache = a[1]._cache = None          # the layers below the first Linear are not needed,
    a.backward(dy, input_grad=False)          # so they are not even visited (else: RuntimeError)


@pytest.mark.parametrize("pieces_", [1, 2, 5])
def test_maxout_matches_argmax_and_take_along_axis_with_ties(dev, pieces_):
    rng = np.random.default_rng(pieces_)
    layer = Maxout(6, 40, pieces_, scale=1.0, rng=0)
    x = rng.integers(-2, 3, size=(30, 6)).astype(np.float32)   # small integers: many exact ties
    x[:3] = 0                                                   # all pieces = bias = 0: all tie
    layer.params["b"][...] = 0
    z = as_host(dev(x) @ layer.params["W"]).reshape(30, 40, pieces_)   # the same product, bit for bit
    y = as_host(layer(dev(x)))
    winner = z.argmax(axis=2)[..., None]
    assert np.array_equal(y, np.take_along_axis(z, winner, axis=2)[..., 0])
    dy = rng.standard_normal((30, 40)).astype(np.float32)
    layer.backward(dev(dy))
    dz = (np.arange(pieces_) == winner) * dy[..., None]         # the textbook one-hot routing
    assert np.allclose(as_host(layer.grads["W"]), x.T @ dz.reshape(30, -1), rtol=1e-6, atol=1e-5)
    assert np.allclose(as_host(layer.grads["b"]), dz.reshape(30, -1).sum(axis=0), rtol=1e-6, atol=1e-6)


def test_dropout_mask_is_the_textbook_bernoulli_from_the_same_draws(dev):
    x = dev(np.random.default_rng(1).standard_normal((50, 40)).astype(np.float32))
    y = as_host(Dropout(0.8, rng=3)(x))
    u = as_host(backend.rng(3).random((50, 40), dtype=np.float32))
    expected = as_host(x) * ((u < 0.8).astype(np.float32) * np.float32(1 / 0.8))
    assert np.array_equal(y, expected)


@pytest.mark.skipif(backend.name() != "numpy", reason="NumPy's allocations are what is traced")
def test_the_transposed_products_of_backward_run_without_copies():
    """xᵀ dy and dy Wᵀ hand the transposes to BLAS as flags: nothing but the result is made."""
    import tracemalloc
    layer = Linear(784, 1200, rng=0)
    x, dy = np.ones((200, 784), np.float32), np.ones((200, 1200), np.float32)
    layer(x)
    layer.backward(dy)                      # first time: lazy allocations of any kind
    layer.zero_grad()
    tracemalloc.start()
    try:
        layer.backward(dy)                  # gW = xᵀ dy into its buffer; dx = dy Wᵀ
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 784 * 4 + 64 * 1024, peak   # dx (627 kB) only; W (3.8 MB) never copied
