"""Mode coverage on hand-made sample sets, and the collapse experiment's shape."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigan.data import Mixture
from minigan.data.toys import grid_2d, ring_2d
from minigan.metrics import CollapseRun, ModeReport, collapse_experiment, mode_coverage

RING = ring_2d()          # 8 modes on a circle of radius 2, σ = 0.02


def around(centres, n_each, scale, seed=0):
    """`n_each` points around each centre, offsets N(0, scale²)."""
    rng = np.random.default_rng(seed)
    centres = np.repeat(np.asarray(centres, np.float64), n_each, axis=0)
    return centres + scale * rng.standard_normal(centres.shape)


def test_samples_from_every_mode_cover_every_mode(dev):
    report = mode_coverage(dev(RING.sample(4000, 0)), RING)
    assert isinstance(report, ModeReport)
    assert report.modes_covered == report.n_modes == 8
    assert report.high_quality_fraction > 0.98          # 1 − e^(−9/2) ≈ 0.989 within 3σ in 2-D
    assert report.counts.dtype == np.int64 and report.counts.shape == (8,)
    assert report.counts.sum() == round(report.high_quality_fraction * 4000)
    assert "8 of 8 modes covered" in str(report)


def test_a_collapsed_generator_covers_one_mode(dev):
    report = mode_coverage(dev(around(RING.means[3:4], 500, 0.01)), RING)
    assert report.modes_covered == 1 and report.counts[3] == 500
    assert report.high_quality_fraction == 1.0
    np.testing.assert_array_equal(np.delete(report.counts, 3), 0)


def test_off_mode_noise_is_not_high_quality(dev):
    centre = np.zeros((1000, 2))                                     # the ring's empty middle
    uniform = np.random.default_rng(1).uniform(-3, 3, size=(1000, 2))
    assert mode_coverage(dev(centre), RING).high_quality_fraction == 0.0
    report = mode_coverage(dev(uniform), RING)
    # each 3σ disc has area π·0.06² ≈ 0.0113 of the 36 square: ~0.25 % of points, < 1 %
    assert report.modes_covered == 0 and report.high_quality_fraction < 0.01


def test_half_on_modes_half_noise():
    on = around(RING.means, 100, 0.005)                               # 800 sharp samples
    off = np.full((800, 2), 5.0)
    report = mode_coverage(np.concatenate([on, off]), RING)
    assert report.modes_covered == 8 and report.high_quality_fraction == pytest.approx(0.5)


@given(n_sigma=st.floats(1.0, 5.0), distance=st.floats(0.0, 6.0))
def test_a_sample_counts_exactly_when_within_n_sigma(n_sigma, distance):
    mixture = Mixture(means=[[0.0, 0.0], [10.0, 0.0]], sigma=0.1)
    x = np.array([[distance * 0.1, 0.0]])
    report = mode_coverage(x, mixture, n_sigma=n_sigma)
    assert report.counts[0] == (distance <= n_sigma)


def test_min_fraction_decides_what_counts_as_covered():
    points = np.concatenate([around(RING.means[:1], 995, 0.001), around(RING.means[1:2], 5, 0.001)])
    assert mode_coverage(points, RING, min_fraction=0.01).modes_covered == 1     # 0.5 % < 1 %
    assert mode_coverage(points, RING, min_fraction=0.005).modes_covered == 2


def test_works_in_one_dimension_and_on_the_25_grid():
    bimodal = Mixture(means=[[-2.0], [2.0]], sigma=0.5)
    assert mode_coverage(np.array([-2.1, 1.9, 0.0]), bimodal).counts.tolist() == [1, 1]
    grid = grid_2d()
    assert mode_coverage(grid.sample(5000, 0), grid).modes_covered == 25


def test_rejects_wrong_width_and_empty_samples():
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        mode_coverage(np.zeros((3, 3)), RING)
    with pytest.raises(ValueError, match="no samples"):
        mode_coverage(np.zeros((0, 2)), RING)


def test_collapse_experiment_returns_numpy_samples_and_reports_per_setting():
    runs = collapse_experiment("ring-2d", g_steps_list=(1, 3), iterations=5, seed=0,
                               batch_size=16, n_samples=50)
    assert sorted(runs) == [1, 3]
    for g, run in runs.items():
        assert isinstance(run, CollapseRun) and run.g_steps == g
        assert type(run.samples) is np.ndarray and run.samples.shape == (50, 2)
        again = mode_coverage(run.samples, RING)
        assert run.report.modes_covered == again.modes_covered
        np.testing.assert_array_equal(run.report.counts, again.counts)
    assert not np.array_equal(runs[1].samples, runs[3].samples)   # g_steps changed the training


def test_collapse_experiment_needs_a_toy():
    with pytest.raises(ValueError, match="toy"):
        collapse_experiment("mnist-5k", iterations=1)
