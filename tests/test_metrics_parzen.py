"""Parzen window: the batched, running log-sum-exp estimator against a direct reference."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigan.backend import to_device
from minigan.metrics import (ParzenResult, default_sigmas, parzen_estimate, parzen_log_likelihood,
                             select_sigma)

from .conftest import as_host, requires_cupy


def reference_log_likelihood(x, centres, sigma):
    """log p(x) = logmeanexp_i(−‖x − μ_i‖²/(2σ²)) − d·log(σ√(2π)), unbatched, by broadcasting."""
    x, centres = np.asarray(x, np.float64), np.asarray(centres, np.float64)
    a = -((x[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2) / (2 * sigma ** 2)
    m = a.max(axis=1, keepdims=True)
    logmeanexp = m[:, 0] + np.log(np.exp(a - m).mean(axis=1))
    return logmeanexp - x.shape[1] * math.log(sigma * math.sqrt(2 * math.pi))


@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 30), n_centres=st.integers(1, 40),
       d=st.integers(1, 12), batch=st.integers(1, 17), centre_batch=st.integers(1, 17),
       sigma=st.sampled_from(default_sigmas()), dtype=st.sampled_from([np.float32, np.float64]))
def test_batched_agrees_with_the_direct_reference(seed, n, n_centres, d, batch, centre_batch,
                                                   sigma, dtype):
    rng = np.random.default_rng(seed)
    x, centres = rng.random((n, d)).astype(dtype), rng.random((n_centres, d)).astype(dtype)
    got = parzen_log_likelihood(to_device(x), to_device(centres), sigma, batch_size=batch,
                                centre_batch_size=centre_batch)
    assert got.dtype == np.float64 and got.shape == (n,)
    np.testing.assert_allclose(as_host(got), reference_log_likelihood(x, centres, sigma),
                               rtol=1e-9, atol=1e-6)


def test_one_centre_is_a_gaussian_density(dev):
    mu, x, sigma = np.array([[0.5, -1.0, 2.0]]), np.array([[0.0, 0.0, 0.0], [0.5, -1.0, 2.0]]), 0.3
    log_norm = 3 * math.log(sigma * math.sqrt(2 * math.pi))
    expected = -((x - mu) ** 2).sum(1) / (2 * sigma ** 2) - log_norm
    got = parzen_log_likelihood(dev(x), dev(mu), sigma)
    np.testing.assert_allclose(as_host(got), expected, rtol=1e-12)


def test_far_points_give_large_finite_numbers_not_minus_infinity(dev):
    """exp(−‖x − μ‖²/(2σ²)) underflows to 0 here; the log-sum-exp must not."""
    centres = np.zeros((5, 784), np.float32)
    x = np.ones((2, 784), np.float32)
    got = as_host(parzen_log_likelihood(dev(x), dev(centres), 0.1, batch_size=1))
    expected = -784 / (2 * 0.01) - 784 * math.log(0.1 * math.sqrt(2 * math.pi))
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_many_sigmas_in_one_pass_equal_one_at_a_time(dev):
    rng = np.random.default_rng(0)
    x, centres = dev(rng.random((9, 4))), dev(rng.random((13, 4)))
    sigmas = [0.1, 0.5, 1.0]
    table = as_host(parzen_log_likelihood(x, centres, sigmas, batch_size=4))
    assert table.shape == (3, 9)
    for row, s in zip(table, sigmas):
        np.testing.assert_allclose(row, as_host(parzen_log_likelihood(x, centres, s)), rtol=1e-12)


def test_default_sigmas_are_the_papers_logspace():
    np.testing.assert_allclose(default_sigmas(), np.logspace(-1, 0, 10), rtol=1e-12)


@given(seed=st.integers(0, 2**31 - 1), spread=st.floats(0.05, 2.0))
def test_select_sigma_picks_the_grid_value_with_the_best_validation_score(seed, spread):
    rng = np.random.default_rng(seed)
    centres, validation = spread * rng.standard_normal((40, 3)), spread * rng.standard_normal((25, 3))
    best, scores = select_sigma(to_device(centres), to_device(validation))
    assert list(scores) == default_sigmas()
    means = {s: reference_log_likelihood(validation, centres, s).mean() for s in default_sigmas()}
    for s in means:
        assert scores[s] == pytest.approx(means[s], rel=1e-9, abs=1e-6)
    assert best == max(means, key=means.get)


def test_estimate_reports_test_mean_and_standard_error_with_the_chosen_sigma(dev):
    rng = np.random.default_rng(1)
    centres, validation, test = (0.3 * rng.standard_normal((n, 2)) for n in (200, 50, 64))
    result = parzen_estimate(dev(centres), dev(validation), dev(test), sigmas=[0.05, 0.1, 0.2, 0.4])
    assert isinstance(result, ParzenResult)
    ll = reference_log_likelihood(test, centres, result.sigma)
    assert result.sigma == select_sigma(centres, validation, [0.05, 0.1, 0.2, 0.4])[0]
    assert result.mean == pytest.approx(ll.mean(), rel=1e-12)
    assert result.stderr == pytest.approx(ll.std() / math.sqrt(64), rel=1e-9)
    assert (result.n_test, result.n_centres) == (64, 200)
    text = str(result)
    assert f"{ll.mean():.2f} ± {ll.std() / 8:.2f}" in text and "σ =" in text
    assert "<- chosen" in result.table()


def test_a_window_on_the_true_distribution_beats_one_on_a_wrong_one(dev):
    rng = np.random.default_rng(2)
    truth = lambda n: rng.standard_normal((n, 2))          # noqa: E731
    right = parzen_estimate(dev(truth(500)), dev(truth(100)), dev(truth(200)))
    wrong = parzen_estimate(dev(truth(500) + 3.0), dev(truth(100)), dev(truth(200)))
    assert right.mean > wrong.mean + 5 * (right.stderr + wrong.stderr)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), []])
def test_rejects_bad_sigma(bad):
    with pytest.raises(ValueError, match="σ"):
        parzen_log_likelihood(np.zeros((1, 2)), np.zeros((1, 2)), bad)


def test_rejects_mismatched_widths_and_empty_sets():
    with pytest.raises(ValueError, match="columns"):
        parzen_log_likelihood(np.zeros((1, 2)), np.zeros((3, 4)), 0.5)
    with pytest.raises(ValueError, match="no centres"):
        parzen_log_likelihood(np.zeros((1, 2)), np.zeros((0, 2)), 0.5)
    with pytest.raises(ValueError, match="empty"):
        parzen_estimate(np.zeros((3, 2)), np.zeros((0, 2)), np.zeros((2, 2)))


@requires_cupy
def test_cupy_and_numpy_give_the_same_numbers():
    import cupy
    rng = np.random.default_rng(3)
    x, centres = rng.random((50, 20), np.float32), rng.random((70, 20), np.float32)
    on_gpu = parzen_log_likelihood(cupy.asarray(x), cupy.asarray(centres), 0.2, batch_size=16)
    assert isinstance(on_gpu, cupy.ndarray)
    np.testing.assert_allclose(on_gpu.get(), parzen_log_likelihood(x, centres, 0.2), rtol=1e-10)
