"""Layers: what forward computes, what misuse says, and every backward against finite differences."""
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from minigan import backend
from minigan.gradcheck import check_layer
from minigan.layers import (Dropout, LeakyReLU, Linear, Maxout, ReLU, Sequential, Sigmoid, Tanh,
                            frozen)

from .conftest import as_host

TOL = 1e-7
batch = st.integers(1, 5)
width = st.integers(1, 6)
seeds = st.integers(0, 2**31 - 1)


def inputs(shape, low=-3.0, high=3.0):
    """Values in [low, high] that are 0 or at least 1e-2 in size.

    Relative error is only meaningful for gradients well above the output's round-off:
    an input of 1e-8 gives dL/dW ~ 1e-8, which finite differences of outputs of size 1
    measure only to ~1e-16/1e-8 relative. Such values are excluded, not tolerated.
    """
    value = st.one_of(st.just(0.0), st.floats(1e-2, 3.0), st.floats(-3.0, -1e-2))
    value = value.filter(lambda v: low <= v <= high)
    return arrays(np.float64, shape, elements=value)


def away_from_zero(x, margin=1e-2):
    """Kinks (ReLU at 0) break finite differences; keep inputs `margin` away from them."""
    assume(np.all(np.abs(x) > margin))


def assert_passes(report):
    assert report.ok, str(report)
    assert all(r.max_rel_error < TOL for r in report.rows), str(report)


# -- every layer against finite differences (float64), random shapes and values -----------

@given(st.data(), batch, width, width, seeds, st.sampled_from(["uniform", "glorot"]))
def test_linear_gradcheck(data, b, n_in, n_out, seed, init):
    x = data.draw(inputs((b, n_in)))
    layer = Linear(n_in, n_out, init=init, scale=1.0, bias=0.1, rng=seed)
    assert_passes(check_layer(layer, backend.to_device(x)))


@given(st.data(), batch, width, st.sampled_from([ReLU, lambda: LeakyReLU(0.2), Sigmoid, Tanh]),
       st.booleans())
def test_elementwise_gradcheck(data, b, n, make, training):
    x = data.draw(inputs((b, n)))
    away_from_zero(x)
    layer = make()
    layer.train() if training else layer.eval()
    assert_passes(check_layer(layer, backend.to_device(x)))


@given(st.data(), batch, width, st.integers(1, 4), st.integers(1, 4), seeds)
def test_maxout_gradcheck(data, b, n_in, units, pieces, seed):
    x = data.draw(inputs((b, n_in)))
    layer = Maxout(n_in, units, pieces, scale=1.0, rng=seed)
    z = np.sort((x @ as_host(layer.params["W"]) + as_host(layer.params["b"])).reshape(b, units, pieces))
    if pieces > 1:  # a tie between the top two pieces is a kink: keep away from it
        assume(np.min(z[..., -1] - z[..., -2]) > 1e-2)
    assert_passes(check_layer(layer, backend.to_device(x)))


@given(st.data(), batch, width, st.floats(0.1, 1.0), seeds, st.booleans())
def test_dropout_gradcheck(data, b, n, keep, seed, training):
    x = data.draw(inputs((b, n)))
    layer = Dropout(keep, rng=seed)
    layer.train() if training else layer.eval()
    assert_passes(check_layer(layer, backend.to_device(x)))


@given(st.data(), batch, seeds, st.booleans())
def test_sequential_paper_shaped_discriminator_gradcheck(data, b, seed, training):
    x = data.draw(inputs((b, 6), 0.0, 1.0))
    D = Sequential([Dropout(0.8, rng=seed), Maxout(6, 3, 2, init="glorot", rng=seed + 1),
                    Dropout(0.5, rng=seed + 2), Linear(3, 1, init="glorot", rng=seed + 3), Sigmoid()])
    D.train() if training else D.eval()
    # keep away from maxout ties: this forward draws the dropout masks, and the check holds them
    D.astype("float64")(backend.to_device(x))
    maxout = D[1]
    z = as_host(maxout._cache @ maxout.params["W"] + maxout.params["b"]).reshape(b, 3, 2)
    assume(np.min(np.abs(z[..., 0] - z[..., 1])) > 1e-2)
    assert_passes(check_layer(D, backend.to_device(x)))


def test_sequential_fixed_gradcheck():
    x = backend.to_device(np.random.default_rng(0).random((4, 6)))
    D = Sequential([Dropout(0.8, rng=1), Maxout(6, 3, 2, init="glorot", rng=2),
                    Dropout(0.5, rng=3), Linear(3, 1, init="glorot", rng=4), Sigmoid()])
    assert_passes(check_layer(D, x))


# -- what forward computes ------------------------------------------------------------------

def test_linear_forward_is_xW_plus_b(dev):
    layer = Linear(3, 2, rng=0, bias=[1.0, -1.0])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    W = as_host(layer.params["W"])
    assert np.allclose(as_host(layer(dev(x))), x @ W + [1.0, -1.0], atol=1e-6)


def test_linear_inits_respect_their_ranges():
    assert np.abs(as_host(Linear(100, 100, scale=0.005, rng=0).params["W"])).max() <= 0.005
    r = np.sqrt(6 / 300)
    W = as_host(Linear(100, 200, init="glorot", rng=0).params["W"])
    assert np.abs(W).max() <= r and np.abs(W).max() > 0.9 * r
    with pytest.raises(ValueError, match="unknown init 'he'"):
        Linear(2, 2, init="he")


def test_maxout_takes_the_max_and_routes_ties_to_exactly_one_piece(dev):
    layer = Maxout(2, 1, 3, rng=0)
    layer.params["W"][...] = 0
    layer.params["b"][...] = dev(np.array([1.0, 1.0, 0.5], dtype=np.float32))  # a tie
    y = layer(dev(np.zeros((1, 2), dtype=np.float32)))
    assert as_host(y).tolist() == [[1.0]]
    layer.backward(dev(np.ones((1, 1), dtype=np.float32)))
    assert as_host(layer.grads["b"]).tolist() == [1.0, 0.0, 0.0]


def test_dropout_mask_statistics_scale_and_eval_identity(dev):
    layer = Dropout(0.8, rng=0)
    x = dev(np.ones((200, 500), dtype=np.float32))
    y = as_host(layer(x))
    assert y.dtype == np.float32
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.8)}
    assert abs((y > 0).mean() - 0.8) < 0.01 and abs(y.mean() - 1.0) < 0.02
    assert np.array_equal(as_host(layer.backward(dev(np.ones((200, 500), np.float32)))), y)
    layer.eval()
    assert np.array_equal(as_host(layer(x)), as_host(x))


def test_dropout_is_reproducible_from_its_seed(dev):
    x = dev(np.ones((10, 10), dtype=np.float32))
    assert np.array_equal(as_host(Dropout(0.5, rng=7)(x)), as_host(Dropout(0.5, rng=7)(x)))
    with pytest.raises(ValueError, match="keep must be in"):
        Dropout(0.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_everything_stays_finite_without_warnings_at_1e4(dev, dtype):
    x = dev(np.array([[-1e4, -50.0, 0.0, 50.0, 1e4]], dtype=dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for layer in [Sigmoid(), Tanh(), ReLU(), LeakyReLU(0.1), Dropout(0.5, rng=0)]:
            y = layer(x)
            dx = layer.backward(dev(np.ones_like(as_host(x))))
            assert np.all(np.isfinite(as_host(y))) and np.all(np.isfinite(as_host(dx)))
            assert as_host(y).dtype == dtype
    s = as_host(Sigmoid()(x))
    assert s[0, 0] == 0.0 and s[0, -1] == 1.0 and s[0, 2] == 0.5


# -- backward adds, never updates; freezing is not eval -----------------------------------

def test_backward_adds_into_grads_and_leaves_weights_alone(dev):
    layer = Linear(3, 2, rng=0)
    W0 = as_host(layer.params["W"]).copy()
    x, dy = dev(np.ones((4, 3), np.float32)), dev(np.ones((4, 2), np.float32))
    layer(x); layer.backward(dy)
    once = as_host(layer.grads["W"]).copy()
    layer(x); layer.backward(dy)
    assert np.allclose(as_host(layer.grads["W"]), 2 * once)
    assert np.array_equal(as_host(layer.params["W"]), W0)
    layer.zero_grad()
    assert not as_host(layer.grads["W"]).any()
    assert set(layer.params) == set(layer.grads) == {"W", "b"}


def test_frozen_backprop_gives_dx_but_no_param_grads_and_is_not_eval(dev):
    D = Sequential([Dropout(0.5, rng=0), Linear(3, 2, rng=1)])
    x = dev(np.ones((4, 3), np.float32))
    D(x)
    with frozen(D):
        assert D[0].training  # freezing does not switch dropout off
        dx = D.backward(dev(np.ones((4, 2), np.float32)))
    assert as_host(dx).shape == (4, 3) and as_host(dx).any()
    assert not any(as_host(g).any() for g in D.grads.values())
    assert all(m.requires_grad for m in D.modules())  # restored after the block
    D.backward(dev(np.ones((4, 2), np.float32)))
    assert as_host(D.grads["1.W"]).any()


def test_eval_switches_dropout_off_but_gradients_still_flow(dev):
    D = Sequential([Dropout(0.5, rng=0), Linear(3, 2, rng=1)]).eval()
    x = dev(np.ones((4, 3), np.float32))
    assert np.allclose(as_host(D(x)), as_host(D(x)))
    D.backward(dev(np.ones((4, 2), np.float32)))
    assert as_host(D.grads["1.W"]).any()


def test_sequential_exposes_the_layers_own_arrays():
    D = Sequential([Linear(3, 2, rng=0), ReLU(), Linear(2, 1, rng=1)])
    assert list(D.params) == ["0.W", "0.b", "2.W", "2.b"]
    assert D.params["0.W"] is D[0].params["W"]
    assert D.n_params() == 3 * 2 + 2 + 2 + 1


# -- misuse gets a sentence naming the layer ------------------------------------------------

def test_backward_before_forward_names_the_layer(dev):
    with pytest.raises(RuntimeError, match=r"Linear\(3→2\): backward\(\) called before forward\(\)"):
        Linear(3, 2).backward(dev(np.ones((1, 2), np.float32)))
    with pytest.raises(RuntimeError, match="ReLU"):
        ReLU().backward(dev(np.ones((1, 2), np.float32)))


def test_wrong_input_shape_and_dtype_name_the_layer(dev):
    layer = Maxout(784, 240, 5)
    with pytest.raises(ValueError, match=r"Maxout\(784→240×5\): expected input of shape \(batch, 784\), got \(2, 100\)"):
        layer(dev(np.ones((2, 100), np.float32)))
    with pytest.raises(TypeError, match="expected float32 input.*got float64"):
        layer(dev(np.ones((2, 784), np.float64)))
    with pytest.raises(TypeError, match="floating-point input, got dtype uint8"):
        Sigmoid()(dev(np.ones((2, 3), np.uint8)))


def test_wrong_gradient_shape_names_the_layer(dev):
    layer = Linear(3, 2)
    layer(dev(np.ones((4, 3), np.float32)))
    with pytest.raises(ValueError, match=r"Linear\(3→2\): backward got dy of shape \(4, 3\)"):
        layer.backward(dev(np.ones((4, 3), np.float32)))


def test_a_layer_written_the_textbook_way_is_zeroed_by_zero_grad(dev):
    """A user's layer that does `self.grads[k] += ...` must be cleared by zero_grad()."""
    from minigan.layers import Layer

    class Scale(Layer):
        def __init__(self):
            super().__init__()
            self._add_param("a", dev(np.ones(1, np.float32)))

        def forward(self, x):
            self._cache = x
            return x * self.params["a"]

        def backward(self, dy, input_grad=True):
            self.grads["a"] += (dy * self._saved()).sum().reshape(1)
            return dy * self.params["a"]

    layer, x = Scale(), dev(np.ones((2, 1), np.float32))
    for _ in range(2):
        layer(x)
        layer.backward(x)
        assert as_host(layer.grads["a"]).tolist() == [2.0]
        layer.zero_grad()
        assert as_host(layer.grads["a"]).tolist() == [0.0]
