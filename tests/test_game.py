"""Gradient play on v(a, b) = a·b: simultaneous spirals out, alternating orbits for ever."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigan.game import alternating_invariant, play, radius

starts = st.floats(-3.0, 3.0).filter(lambda v: abs(v) > 1e-3)
rates = st.floats(0.01, 1.0)


def test_shape_dtype_and_start():
    path = play("simultaneous", a0=1.0, b0=-2.0, lr=0.1, steps=7)
    assert type(path) is np.ndarray and path.shape == (8, 2) and path.dtype == np.float64
    np.testing.assert_array_equal(path[0], [1.0, -2.0])
    assert play(steps=0).shape == (1, 2)


def test_one_step_of_each_by_hand():
    a, b, lr = 1.0, 2.0, 0.5
    np.testing.assert_allclose(play("simultaneous", a, b, lr, 1)[1], [a - lr * b, b + lr * a])
    a_new = a - lr * b
    np.testing.assert_allclose(play("alternating", a, b, lr, 1)[1], [a_new, b + lr * a_new])


@given(a0=starts, b0=starts, lr=rates)
def test_simultaneous_play_spirals_out_by_sqrt_1_plus_lr2_each_step(a0, b0, lr):
    r = radius(play("simultaneous", a0, b0, lr, steps=50))
    np.testing.assert_allclose(r[1:] / r[:-1], math.sqrt(1 + lr * lr), rtol=1e-12)
    np.testing.assert_allclose(r[-1], math.hypot(a0, b0) * (1 + lr * lr) ** 25, rtol=1e-10)


@given(a0=starts, b0=starts, lr=rates)
def test_alternating_play_keeps_a2_plus_b2_minus_lr_ab_constant(a0, b0, lr):
    q = alternating_invariant(play("alternating", a0, b0, lr, steps=500), lr)
    np.testing.assert_allclose(q, q[0], rtol=1e-10)


@given(a0=starts, b0=starts, lr=st.floats(0.05, 1.0))
def test_alternating_play_is_bounded_and_never_converges(a0, b0, lr):
    """Q = r²(1 − (η/2)·sin 2θ) is constant, so √(Q/(1 + η/2)) ≤ r ≤ √(Q/(1 − η/2)) for ever,
    and a full turn (about 2π/η steps) comes back near where it started."""
    path = play("alternating", a0, b0, lr, steps=int(4 * 2 * math.pi / lr))
    q, r = alternating_invariant(path[:1], lr)[0], radius(path)
    assert r.min() >= math.sqrt(q / (1 + lr / 2)) * (1 - 1e-9)
    assert r.max() <= math.sqrt(q / (1 - lr / 2)) * (1 + 1e-9)
    assert r[-50:].min() > 0.5 * r[0] * math.sqrt((1 - lr / 2) / (1 + lr / 2))   # not shrinking to 0
    assert (np.diff(np.sign(path[:, 0])) != 0).sum() >= 6         # goes round, again and again


def test_the_default_spiral_and_circle():
    spiral, circle = play("simultaneous"), play("alternating")
    assert spiral.shape == circle.shape == (201, 2)
    assert radius(spiral)[-1] == pytest.approx(math.sqrt(2) * 1.01 ** 100, rel=1e-10)   # ≈ 3.8
    assert radius(circle).max() < 1.6 and radius(circle).min() > 1.3


def test_unknown_mode_and_negative_steps():
    with pytest.raises(ValueError, match="mode"):
        play("gradient")
    with pytest.raises(ValueError, match="steps"):
        play(steps=-1)
