"""Losses: values against the textbook formulas, stability, and gradients against finite differences."""
import math
import warnings
from functools import partial

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from minigan import backend
from minigan.gradcheck import check_loss
from minigan.losses import bce_with_logits, discriminator_loss, generator_loss

from .conftest import as_host

logit_arrays = st.integers(1, 12).flatmap(
    lambda n: arrays(np.float64, (n, 1), elements=st.floats(-8, 8, allow_nan=False)))


def sig(x):
    return 1 / (1 + np.exp(-x))


def assert_passes(report):
    assert report.ok and all(r.max_rel_error < 1e-7 for r in report.rows), str(report)


@given(logit_arrays, st.floats(0, 1))
def test_bce_value_and_gradcheck(logits, t):
    value, _ = bce_with_logits(backend.to_device(logits), t)
    expected = -np.mean(t * np.log(sig(logits)) + (1 - t) * np.log(1 - sig(logits)))
    assert math.isclose(float(value), expected, rel_tol=1e-9, abs_tol=1e-12)
    assert_passes(check_loss(partial(bce_with_logits, target=t), {"logits": backend.to_device(logits)}))


@given(logit_arrays, logit_arrays)
def test_discriminator_loss_value_and_gradcheck(real, fake):
    real_d, fake_d = backend.to_device(real), backend.to_device(fake)
    value, _ = discriminator_loss(real_d, fake_d)
    expected = -0.5 * (np.mean(np.log(sig(real))) + np.mean(np.log(1 - sig(fake))))
    assert math.isclose(float(value), expected, rel_tol=1e-9)
    assert_passes(check_loss(discriminator_loss, {"real_logits": real_d, "fake_logits": fake_d}))


@given(logit_arrays, st.sampled_from(["non_saturating", "minimax"]))
def test_generator_losses_value_and_gradcheck(fake, kind):
    value, _ = generator_loss(backend.to_device(fake), kind)
    expected = (-np.mean(np.log(sig(fake))) if kind == "non_saturating"
                else np.mean(np.log(1 - sig(fake))))
    assert math.isclose(float(value), expected, rel_tol=1e-9, abs_tol=1e-12)
    assert_passes(check_loss(partial(generator_loss, kind=kind), {"fake_logits": backend.to_device(fake)}))


def test_discriminator_at_one_half_everywhere_is_log4_in_sum_form(dev):
    zeros = dev(np.zeros((10, 1), np.float32))
    value, _ = discriminator_loss(zeros, zeros)
    assert math.isclose(2 * float(value), math.log(4), rel_tol=1e-6)


def test_minimax_saturates_where_non_saturating_does_not(dev):
    """D confidently rejects fakes (D(G(z)) ≈ 0): the minimax gradient vanishes, the other is ≈ −1/N."""
    rejected = dev(np.full((4, 1), -10.0))
    _, g_mm = generator_loss(rejected, "minimax")
    _, g_ns = generator_loss(rejected, "non_saturating")
    assert np.all(np.abs(as_host(g_mm)) < 1e-4)
    assert np.allclose(as_host(g_ns), -0.25, atol=1e-4)
    # both push the logit up; in general ∂L_ns/∂l ÷ ∂L_mm/∂l = (1 − D(G(z))) / D(G(z))
    some = dev(np.linspace(-4, 4, 9)[:, None])
    d = sig(as_host(some))
    ratio = as_host(generator_loss(some, "non_saturating")[1]) / as_host(generator_loss(some, "minimax")[1])
    assert np.all(as_host(g_mm) < 0) and np.all(as_host(g_ns) < 0)
    assert np.allclose(ratio, (1 - d) / d)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_are_finite_without_warnings_for_huge_logits(dev, dtype):
    logits = dev(np.array([[-1e4], [1e4], [0.0]], dtype=dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for value, grad in [bce_with_logits(logits, 1.0), discriminator_loss(logits, logits),
                            generator_loss(logits, "minimax"), generator_loss(logits)]:
            grads = grad if isinstance(grad, tuple) else (grad,)
            assert np.isfinite(float(value)) and all(np.all(np.isfinite(as_host(g))) for g in grads)
            assert all(as_host(g).dtype == dtype for g in grads)


def test_unknown_generator_loss_and_bad_logits(dev):
    with pytest.raises(ValueError, match="unknown kind 'wasserstein'"):
        generator_loss(dev(np.zeros((2, 1))), "wasserstein")
    with pytest.raises(TypeError, match="floating-point logits"):
        bce_with_logits(dev(np.zeros((2, 1), np.int64)), 1.0)
