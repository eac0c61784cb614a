"""The paper's theory on a 1-D grid: D*, V, JSD, C(G) = −log 4 + 2·JSD, and D trained against a
frozen G converging to D*."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigan import backend, models
from minigan.data import Mixture, load
from minigan.layers import Linear
from minigan.metrics import (c_of_g, gaussian_kde, jsd, optimal_discriminator, silverman_bandwidth,
                             train_discriminator_to_convergence, value)
from minigan.metrics.theory import integrate

LOG4 = math.log(4.0)
GRID = np.linspace(-20.0, 20.0, 8001)      # every density below has ≈ all its mass on it


def normal_pdf(x, mu, s):
    return np.exp(-0.5 * ((x - mu) / s) ** 2) / (s * math.sqrt(2 * math.pi))


def test_optimal_discriminator_pointwise():
    d = optimal_discriminator(np.array([1.0, 0.0, 3.0, 0.0]), np.array([1.0, 2.0, 1.0, 0.0]))
    np.testing.assert_allclose(d, [0.5, 0.0, 0.75, 0.5])       # ½ where both densities vanish


@given(mu=st.floats(-3, 3), s=st.floats(0.3, 2.0))
def test_at_p_g_equal_p_data_d_star_is_half_and_v_is_minus_log4(mu, s):
    p = normal_pdf(GRID, mu, s)
    d_star = optimal_discriminator(p, p)
    np.testing.assert_array_equal(d_star, 0.5)
    assert value(d_star, p, p, GRID) == pytest.approx(-LOG4, abs=1e-7)    # ∫p on the grid ≈ 1
    assert jsd(p, p, GRID) == pytest.approx(0.0, abs=1e-12)
    assert c_of_g(p, p, GRID) == pytest.approx(-LOG4, abs=1e-12)


@given(mu_data=st.floats(-3, 3), s_data=st.floats(0.3, 2.0), mu_g=st.floats(-3, 3),
       s_g=st.floats(0.3, 2.0), d_other=st.floats(0.01, 0.99))
def test_v_at_d_star_is_c_of_g_and_no_other_d_does_better(mu_data, s_data, mu_g, s_g, d_other):
    p, q = normal_pdf(GRID, mu_data, s_data), normal_pdf(GRID, mu_g, s_g)
    d_star = optimal_discriminator(p, q)
    c = c_of_g(p, q, GRID)
    assert value(d_star, p, q, GRID) == pytest.approx(c, abs=1e-6)
    assert -LOG4 - 1e-9 <= c <= 1e-9                             # JSD ∈ [0, log 2]
    assert value(np.full_like(GRID, d_other), p, q, GRID) <= c + 1e-9
    wiggled = np.clip(d_star + 0.05 * np.sin(GRID), 1e-6, 1 - 1e-6)
    assert value(wiggled, p, q, GRID) < c


def test_jsd_of_disjoint_densities_is_log2_so_c_of_g_is_zero():
    p, q = normal_pdf(GRID, -6, 0.3), normal_pdf(GRID, 6, 0.3)
    assert jsd(p, q, GRID) == pytest.approx(math.log(2), abs=1e-9)
    assert c_of_g(p, q, GRID) == pytest.approx(0.0, abs=1e-8)


def test_v_at_d_star_by_monte_carlo_matches_minus_log4_plus_2_jsd():
    """E_x~p_data log D*(x) + E_x~p_g log(1 − D*(x)), from samples, against the grid's C(G)."""
    data = load("bimodal-1d").distribution
    g = Mixture(means=[[0.5]], sigma=1.5)                       # a stand-in for G with known p_g
    p_data, p_g = data.pdf(GRID), g.pdf(GRID)
    d_star = lambda x: optimal_discriminator(data.pdf(x), g.pdf(x))     # noqa: E731
    x, fake = data.sample(100_000, 0)[:, 0], g.sample(100_000, 1)[:, 0]
    monte_carlo = np.log(d_star(x)).mean() + np.log(1 - d_star(fake)).mean()
    assert monte_carlo == pytest.approx(c_of_g(p_data, p_g, GRID), abs=0.02)
    assert value(optimal_discriminator(p_data, p_g), p_data, p_g, GRID) == pytest.approx(
        c_of_g(p_data, p_g, GRID), abs=1e-6)


def test_kde_of_gaussian_samples_is_close_to_the_density():
    samples = np.random.default_rng(0).normal(1.0, 0.5, 20_000)
    h = silverman_bandwidth(samples)
    assert h == pytest.approx(0.9 * 0.5 * 20_000 ** -0.2, rel=0.03)
    grid = np.linspace(-2.0, 4.0, 1201)
    kde = gaussian_kde(samples, grid)
    assert integrate(kde, grid) == pytest.approx(1.0, abs=1e-6)
    assert integrate(np.abs(kde - normal_pdf(grid, 1.0, 0.5)), grid) < 0.04    # L1; 4h gives 0.1
    np.testing.assert_allclose(gaussian_kde(np.array([0.0, 2.0]), grid, bandwidth=0.5),
                               0.5 * normal_pdf(grid, 0, 0.5) + 0.5 * normal_pdf(grid, 2, 0.5))


def affine_generator_gan(mu, s, seed):
    """models.toy(1)'s D against a G that is the affine map z ↦ s·z + mu, z ~ N(0, 1):
    p_g = N(mu, s²) is then known exactly, so D* is too (no KDE noise in the check)."""
    gan = models.toy(1, seed=seed)
    gan.G = Linear(1, 1, rng=seed)
    gan.G.params["W"][...] = s
    gan.G.params["b"][...] = mu
    return gan, lambda grid: normal_pdf(grid, mu, s)


@pytest.mark.parametrize("name, mu, s, steps", [
    ("gaussian-1d", 3.5, 0.5, 1000),     # G a little off to the left: D* climbs 0.08 → 0.97
    ("bimodal-1d", 0.0, 2.0, 2000),      # G one wide blob over both modes: D* from 0.02 to 0.77
])
def test_d_trained_against_a_frozen_g_reaches_d_star(name, mu, s, steps):
    dataset = load(name)
    gan, exact_p_g = affine_generator_gan(mu, s, seed=0)
    g_before = {k: backend.to_numpy(v).copy() for k, v in gan.G.params.items()}
    d_before = backend.to_numpy(gan.D.params["0.W"]).copy()
    d_optimizer = gan.d_optimizer
    report = train_discriminator_to_convergence(gan, dataset, steps, fresh=True, p_g=exact_p_g,
                                                n_g_samples=2000)
    assert report.max_error < 0.05, str(report)
    assert report.d_star[report.on_support].min() < 0.1 < 0.7 < report.d_star[report.on_support].max()
    assert report.value_d <= report.c_of_g + 1e-3                # C(G) is the max over D
    assert report.value_d == pytest.approx(report.c_of_g, abs=0.01)
    # G was frozen: its parameters and its optimiser never moved; D's optimiser is given back
    for k, v in gan.G.params.items():
        np.testing.assert_array_equal(backend.to_numpy(v), g_before[k])
    assert gan.g_optimizer.t == 0 and gan.d_optimizer is d_optimizer and d_optimizer.t == 0
    assert not np.array_equal(backend.to_numpy(gan.D.params["0.W"]), d_before)


def test_untrained_d_is_far_from_d_star_so_the_check_can_fail():
    gan, exact_p_g = affine_generator_gan(3.5, 0.5, seed=0)
    report = train_discriminator_to_convergence(gan, load("gaussian-1d"), 1, lr=1e-6, final_lr=1e-6,
                                                p_g=exact_p_g, n_g_samples=500)
    assert report.max_error > 0.3


def test_the_kde_path_runs_on_a_toy_generator():
    gan = models.toy(1, seed=0)
    report = train_discriminator_to_convergence(gan, load("gaussian-1d"), 50, n_g_samples=2000,
                                                grid_points=501)
    assert report.grid.shape == report.d.shape == report.d_star.shape == report.p_g.shape == (501,)
    assert integrate(report.p_g, report.grid) == pytest.approx(1.0, abs=1e-3)
    assert integrate(report.p_data, report.grid) == pytest.approx(1.0, abs=1e-3)
    assert "max |D − D*|" in str(report)


def test_needs_a_one_dimensional_toy():
    with pytest.raises(ValueError, match="1-D toy"):
        train_discriminator_to_convergence(models.toy(2), load("ring-2d"), 1)
