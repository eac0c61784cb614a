"""The gradient check itself: it must pass correct code and catch each classic mistake."""
from functools import partial

import numpy as np
import pytest

from minigan import backend, losses
from minigan.gradcheck import check, check_generator_chain, check_layer
from minigan.layers import Dropout, Linear, Maxout, ReLU, Sequential, Sigmoid

from .conftest import as_host


def x_of(*shape, seed=0):
    return backend.to_device(np.random.default_rng(seed).uniform(0.1, 1.0, size=shape))


class ScaledBackward(Linear):
    """A Linear whose backward is 1 % off in every gradient."""
    def backward(self, dy, input_grad=True):
        return super().backward(dy * 1.01, input_grad)


class WrongPiece(Maxout):
    """Routes each unit's gradient to the losing piece (argmin) instead of the winner."""
    def backward(self, dy, input_grad=True):
        z = self._cache @ self.params["W"] + self.params["b"]
        self._winner = z.reshape(dy.shape[0], self.n_units, self.n_pieces).argmin(axis=2)[..., None]
        return super().backward(dy, input_grad)


class ForgetfulDropout(Dropout):
    """Backward scales by 1/keep but forgets to apply the mask."""
    def backward(self, dy, input_grad=True):
        return dy / self.keep


class LeakyFreeze(Linear):
    """Ignores freezing: accumulates parameter gradients even when frozen."""
    def backward(self, dy, input_grad=True):
        self.requires_grad = True
        return super().backward(dy, input_grad)


def test_a_correct_layer_passes_and_the_report_prints_a_table():
    report = check_layer(Linear(4, 3, scale=1, rng=0), x_of(5, 4))
    assert report.ok
    text = str(report)
    assert "PASS" in text and "max rel err" in text and "W" in text and "exact" in text


@pytest.mark.parametrize("broken, x", [
    (ScaledBackward(4, 3, scale=1, rng=0), x_of(5, 4)),
    (WrongPiece(4, 3, 3, scale=1, rng=0), x_of(5, 4)),
    (ForgetfulDropout(0.5, rng=0), x_of(5, 4)),
])
def test_each_classic_mistake_is_reported_wrong(broken, x):
    report = check_layer(broken, x)
    assert not report.ok, str(report)
    assert "wrong" in str(report) and "FAIL" in str(report)


def test_the_check_never_changes_the_callers_layer():
    layer = Linear(3, 2, rng=0)
    before = as_host(layer.params["W"]).copy()
    check_layer(layer, x_of(2, 3))
    assert layer.params["W"].dtype.name == "float32"
    assert np.array_equal(as_host(layer.params["W"]), before)


def _small_gan(d_linear=Linear, g_linear=Linear):
    G = Sequential([Linear(3, 8, init="glorot", rng=0), ReLU(), g_linear(8, 5, init="glorot", rng=1), Sigmoid()])
    D = Sequential([Dropout(0.8, rng=2), Maxout(5, 4, 3, init="glorot", rng=3), Dropout(0.5, rng=4),
                    d_linear(4, 1, init="glorot", rng=5)])
    return G, D


@pytest.mark.parametrize("kind", ["non_saturating", "minimax"])
def test_generator_chain_through_frozen_dropout_discriminator_passes(kind):
    G, D = _small_gan()
    report = check_generator_chain(G, D, x_of(6, 3), partial(losses.generator_loss, kind=kind))
    assert report.ok, str(report)
    assert {"z", "G.0.W", "G.2.W", "D grads (frozen)"} <= {r.name for r in report.rows}


def test_a_broken_generator_backward_is_caught_through_the_chain():
    G, D = _small_gan(g_linear=ScaledBackward)
    report = check_generator_chain(G, D, x_of(6, 3), losses.generator_loss)
    assert report["G.2.W"].status == "wrong" and not report.ok


def test_a_discriminator_that_learns_while_frozen_is_caught():
    G, D = _small_gan(d_linear=LeakyFreeze)
    report = check_generator_chain(G, D, x_of(6, 3), losses.generator_loss)
    assert report["D grads (frozen)"].status == "wrong"


def test_float32_tensors_are_refused():
    t = backend.to_device(np.ones(3, np.float32))
    with pytest.raises(TypeError, match="'t' is float32; gradient checks need float64"):
        check(lambda: t * 2, lambda R: {"t": 2 * R}, {"t": t})


def test_kinks_are_counted_not_compared_wherever_they_sit():
    """A ReLU input of exactly 0 (kink at the centre) and one within the stencil's reach."""
    from minigan.layers import ReLU
    report = check_layer(ReLU(), backend.to_device(np.array([[0.0, 1.0, -1.0, 1.5e-4]])))
    assert report["x"].kinks == 2 and report["x"].checked == 2 and report.ok, str(report)


def test_a_tensor_whose_every_entry_is_a_kink_proves_nothing():
    from minigan.layers import ReLU
    report = check_layer(ReLU(), backend.to_device(np.zeros((1, 3))))
    assert report["x"].checked == 0 and not report.ok
