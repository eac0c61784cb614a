"""Optimisers: exact iterates on a quadratic, the paper's schedules, Adam by hand, saved state."""
import math

import numpy as np
import pytest

from minigan import backend
from minigan.optim import SGD, Adam, ExponentialDecay, LinearRamp, constrain_columns

from .conftest import as_host


def quadratic_run(opt, theta0, a, steps):
    """Minimise f(θ) = ½ a θ² (gradient aθ) and return every iterate."""
    p = {"theta": backend.to_device(np.array([theta0], dtype=np.float64))}
    out = [theta0]
    for _ in range(steps):
        opt.step(p, {"theta": a * p["theta"]})
        out.append(float(as_host(p["theta"])[0]))
    return out


@pytest.mark.parametrize("lr, mu", [(0.1, 0.5), (0.05, 0.9), (0.3, 0.0)])
def test_sgd_momentum_matches_closed_form_iterates(lr, mu):
    a, theta0, steps = 2.0, 1.5, 20
    got = quadratic_run(SGD(lr=lr, momentum=mu), theta0, a, steps)
    # (θ, v)_{t+1} = M (θ, v)_t with v_{t+1} = μ v_t − ε a θ_t,  θ_{t+1} = θ_t + v_{t+1}
    M = np.array([[1 - lr * a, mu], [-lr * a, mu]])
    expected = [(np.linalg.matrix_power(M, t) @ [theta0, 0.0])[0] for t in range(steps + 1)]
    assert np.allclose(got, expected, rtol=1e-12, atol=1e-14)


def test_paper_learning_rate_schedule_at_known_steps():
    lr = ExponentialDecay(0.1, 1.000004, 1e-6)
    assert lr(0) == 0.1
    assert math.isclose(lr(1), 0.1 / 1.000004, rel_tol=1e-12)
    assert math.isclose(lr(500), 0.1 / 1.000004 ** 500, rel_tol=1e-9)       # one mnist epoch
    assert math.isclose(lr(10**6), 0.1 * math.exp(-1e6 * math.log(1.000004)), rel_tol=1e-9)
    assert lr(10**8) == 1e-6                                                  # the floor
    with pytest.raises(ValueError):
        ExponentialDecay(0.1, 0.5)


def test_paper_momentum_schedule_at_known_epochs():
    mu = LinearRamp(0.5, 0.7, 250)
    assert [mu(0), mu(125), mu(250), mu(1000)] == [0.5, pytest.approx(0.6), pytest.approx(0.7), pytest.approx(0.7)]


def test_sgd_reads_schedules_from_its_counters():
    opt = SGD(lr=ExponentialDecay(0.1, 2.0), momentum=LinearRamp(0.5, 0.7, 250))
    p = {"w": backend.to_device(np.zeros(2))}
    opt.step(p, {"w": backend.to_device(np.ones(2))})
    assert opt.t == 1 and opt.lr == 0.05
    opt.set_epoch(125)
    assert opt.momentum == pytest.approx(0.6)


def test_adam_first_two_steps_by_hand():
    # f = θ², θ0 = 1, lr 0.1, betas (0.9, 0.999), eps 0 (so the numbers below are exact):
    # step 1: g = 2,   m = 0.2,  v = 0.004,    m̂ = 2,        v̂ = 4          -> θ = 0.9
    # step 2: g = 1.8, m = 0.36, v = 0.007236, m̂ = 0.36/0.19, v̂ = 0.007236/0.001999
    got = quadratic_run(Adam(lr=0.1, betas=(0.9, 0.999), eps=0.0), 1.0, 2.0, 2)
    m_hat, v_hat = 0.36 / 0.19, 0.007236 / 0.001999
    assert got[1] == pytest.approx(0.9, rel=1e-12)
    assert got[2] == pytest.approx(0.9 - 0.1 * m_hat / math.sqrt(v_hat), rel=1e-12)


@pytest.mark.parametrize("make", [lambda: SGD(0.1, 0.5), lambda: Adam(0.01)])
def test_state_saved_and_restored_continues_identically(make):
    a, b = make(), make()
    pa = {"w": backend.to_device(np.array([1.0, -2.0]))}
    for _ in range(3):
        a.step(pa, {"w": 2 * pa["w"]})
    a.set_epoch(4)
    b.load_state_dict({k: (np.array(v) if hasattr(v, "shape") else v) for k, v in a.state_dict().items()})
    pb = {"w": pa["w"].copy()}
    for _ in range(3):
        a.step(pa, {"w": 2 * pa["w"]})
        b.step(pb, {"w": 2 * pb["w"]})
    assert np.array_equal(as_host(pa["w"]), as_host(pb["w"])) and b.t == 6 and b.epoch == 4


def test_max_column_norm_rescales_only_long_columns():
    W = backend.to_device(np.array([[3.0, 1.0], [0.0, 0.0]]))
    constrain_columns(W, 2.0)
    assert np.allclose(as_host(W), [[2.0, 1.0], [0.0, 0.0]])


def test_missing_gradient_is_named():
    with pytest.raises(KeyError, match="no gradient for parameter 'b'"):
        SGD(0.1).step({"b": backend.to_device(np.zeros(1))}, {})
