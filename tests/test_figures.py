"""The paper's figures: each writes a picture matplotlib can read back, and shows what it says."""
import importlib.util

import matplotlib.image
import numpy as np
import pytest

from minigan import backend, checkpoint, models
from minigan.cli import figures as figures_cli
from minigan.cli import main
from minigan.data import load
from minigan.plotting import (collapse_plot, figure1, figure1_animation, game_plot, interpolate,
                              interpolation_grid, nearest_grid, nearest_neighbours, train_snapshots)
from minigan.plotting.fig1 import frame_iterations, prior_quantiles
from minigan.plotting.fig2 import HIGHLIGHT, nearest_grid_array


def read_png(path):
    image = matplotlib.image.imread(str(path))
    assert image.ndim == 3 and image.size > 0
    return image


def tiny_mnist_gan(seed=0):
    return models.paper_mnist(seed=seed, noise_dim=6, hidden=16, d_units=8, d_pieces=2)


@pytest.fixture(scope="module")
def toy1d():
    return load("gaussian-1d")


@pytest.fixture(scope="module")
def snapshots(toy1d):
    return train_snapshots(toy1d, iterations=12, snapshot_at=(0, 4, 12), n_samples=300,
                           grid_points=80, n_lines=7)


# -- Figure 1 ------------------------------------------------------------------------------
def test_snapshots_hold_the_pictures_arrays(snapshots):
    assert [s.iteration for s in snapshots] == [0, 4, 12]
    for s in snapshots:
        assert s.x.shape == s.d.shape == s.p_g.shape == (80,)
        assert ((s.d > 0) & (s.d < 1)).all()
        assert s.samples.shape == (300,) and s.z.shape == s.gz.shape == (7,)
        assert np.all(np.diff(s.z) > 0)                # quantiles, in order
    np.testing.assert_array_equal(snapshots[0].x, snapshots[-1].x)    # one grid for all


def test_taking_snapshots_does_not_change_training(toy1d):
    """Snapshots draw their own noise: the trained weights are the same with or without them."""
    gans = [models.toy(1, seed=3), models.toy(1, seed=3)]
    train_snapshots(toy1d, gan=gans[0], iterations=6, snapshot_at=range(7), n_samples=50, grid_points=20)
    train_snapshots(toy1d, gan=gans[1], iterations=6, snapshot_at=(), n_samples=50, grid_points=20)
    for key, value in gans[0].G.params.items():
        np.testing.assert_array_equal(backend.to_numpy(value), backend.to_numpy(gans[1].G.params[key]))


def test_prior_quantiles_split_the_prior_into_equal_masses():
    z = prior_quantiles(models.toy(1).noise, n_lines=4, n_draws=400_000).ravel()
    np.testing.assert_allclose(z, [-1.1503, -0.3186, 0.3186, 1.1503], atol=0.02)   # N(0,1) at 1/8, 3/8, …


def test_frame_iterations_start_at_zero_and_end_at_the_last():
    its = frame_iterations(1000, 20)
    assert its[0] == 0 and its[-1] == 1000 and its == sorted(set(its)) and len(its) <= 20


def test_figure1_writes_one_panel_per_snapshot(tmp_path, snapshots, toy1d):
    one = read_png(figure1(snapshots[:1], toy1d, tmp_path / "one.png"))
    three = read_png(figure1(snapshots, toy1d.distribution, tmp_path / "three.png", d_star=True))
    assert three.shape[0] == pytest.approx(one.shape[0], rel=0.1)     # same height,
    assert three.shape[1] > 2 * one.shape[1]                           # three panels wide
    assert three.shape[1] > three.shape[0]


def test_figure1_animation_has_a_frame_per_snapshot(tmp_path, snapshots, toy1d):
    from PIL import Image
    path = figure1_animation(snapshots, toy1d, tmp_path / "fig1.gif")
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == len(snapshots)
        assert gif.size[0] > 200 and gif.size[1] > 200


# -- Figure 2 ------------------------------------------------------------------------------
def brute_force_nearest(queries, references):
    d = ((queries[:, None, :].astype(float) - references[None, :, :].astype(float)) ** 2).sum(-1)
    return d.argmin(axis=1), d.min(axis=1)


@pytest.mark.parametrize("block", [1, 7, 4096])
def test_nearest_neighbours_is_the_true_nearest(block):
    rng = np.random.default_rng(0)
    references = rng.random((50, 12)).astype("float32")
    queries = np.concatenate([rng.random((9, 12)), references[[3, 41]] + 1e-4]).astype("float32")
    index, sq = nearest_neighbours(queries, references, block=block)
    want_index, want_sq = brute_force_nearest(queries, references)
    np.testing.assert_array_equal(index, want_index)
    np.testing.assert_allclose(sq, want_sq, rtol=1e-9, atol=1e-12)
    assert index[-2:].tolist() == [3, 41]


def test_nearest_neighbours_breaks_ties_towards_the_first():
    references = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    index, sq = nearest_neighbours(np.array([[1.0, 0.0], [0.5, 0.5]]), references, block=1)
    assert index.tolist() == [0, 0] and sq[0] == 0


def test_nearest_grid_last_column_is_the_nearest_training_image(tmp_path):
    rng = np.random.default_rng(1)
    train = rng.random((40, 16)).astype("float32")
    samples = rng.random((6, 16)).astype("float32")                  # 2 rows of 3 (+ neighbour)
    picture, index = nearest_grid_array(samples, train, shape=(4, 4), ncols=3, pad=2, gap=6)
    want, _ = brute_force_nearest(samples[[2, 5]], train)
    np.testing.assert_array_equal(index, want)
    band_x = 3 * 6 + 2 + 6
    for row, j in enumerate(want):
        y = 2 + row * 6
        cell = picture[y:y + 4, band_x + 2:band_x + 6]
        np.testing.assert_allclose(cell[..., 0], train[j].reshape(4, 4))
    np.testing.assert_allclose(picture[0, band_x], HIGHLIGHT)          # the highlighted band
    np.testing.assert_allclose(picture[0, 0], (1, 1, 1))               # white elsewhere

    image = read_png(nearest_grid(samples, train, tmp_path / "fig2.png", shape=(4, 4), ncols=3, scale=2))
    assert image.shape[:2] == (2 * picture.shape[0], 2 * picture.shape[1])


# -- Figure 3 ------------------------------------------------------------------------------
def test_interpolation_endpoints_are_g_of_z0_and_z1():
    gan = tiny_mnist_gan()
    z, x = interpolate(gan, rows=3, steps=5, seed=7)
    rng = backend.rng(7)
    z0, z1 = backend.to_numpy(gan.noise.sample(3, rng)), backend.to_numpy(gan.noise.sample(3, rng))
    np.testing.assert_array_equal(z[:, 0], z0)
    np.testing.assert_array_equal(z[:, -1], z1)
    np.testing.assert_allclose(z[:, 2], 0.5 * (z0 + z1), atol=1e-6)
    g0 = backend.to_numpy(gan.sample(z=backend.to_device(z0)))
    g1 = backend.to_numpy(gan.sample(z=backend.to_device(z1)))
    np.testing.assert_allclose(x[:, 0], g0, atol=1e-6)
    np.testing.assert_allclose(x[:, -1], g1, atol=1e-6)


def test_interpolation_grid_image_size(tmp_path):
    image = read_png(interpolation_grid(tiny_mnist_gan(), tmp_path / "fig3.png", rows=3, steps=4, seed=0))
    assert image.shape[:2] == (2 * (3 * 30 + 2), 2 * (4 * 30 + 2))


def test_interpolation_grid_draws_paths_for_a_2d_toy(tmp_path):
    data = load("ring-2d").test
    image = read_png(interpolation_grid(models.toy(2), tmp_path / "paths.png", rows=4, steps=6,
                                        shape=None, data=data))
    assert image.shape[0] > 200 and image.shape[1] > 200


# -- collapse and game ---------------------------------------------------------------------
def test_collapse_plot_one_panel_per_setting(tmp_path):
    ring = load("ring-2d").distribution
    rng = np.random.default_rng(0)
    spread = ring.sample(500, rng)
    collapsed = ring.means[2] + 0.05 * rng.standard_normal((500, 2))
    report = {"modes_covered": 1, "n_modes": 8, "high_quality_fraction": 0.3, "counts": [0, 0, 150, 0, 0, 0, 0, 0]}
    one = read_png(collapse_plot([("k=1", spread, None)], ring.means, tmp_path / "one.png"))
    two = read_png(collapse_plot([("k=1", spread, None), ("10 G steps", collapsed, report)],
                                 ring.means, tmp_path / "two.png", data=spread))
    assert two.shape[1] == pytest.approx(2 * one.shape[1], rel=0.05)


def test_game_plot(tmp_path):
    t = np.arange(201) * 0.1
    spiral = np.stack([np.cos(t), np.sin(t)], 1) * (1.005 ** np.arange(201))[:, None]
    circle = np.stack([np.cos(t), np.sin(t)], 1)
    image = read_png(game_plot({"simultaneous": spiral, "alternating": circle}, tmp_path / "game.png"))
    assert image.shape[:2] == (460, 1000)


# -- the CLI -------------------------------------------------------------------------------
@pytest.fixture
def tiny_settings(monkeypatch):
    monkeypatch.setitem(figures_cli.SETTINGS, "quick", dict(
        fig1_iterations=8, fig1_frames=3, collapse_iterations=3, collapse_sets=("ring-2d",), game_steps=20))
    monkeypatch.setattr(figures_cli, "FIG1_PANELS", (0, 2))


def test_cli_figures_quick(tmp_path, capsys, tiny_settings, monkeypatch):
    monkeypatch.setenv("MINIGAN_QUICK", "1")              # quick without --quick
    assert main(["figures", "--out", str(tmp_path), "--only", "figure1", "--only", "collapse"]) == 0
    printed = capsys.readouterr().out.split()
    names = sorted(p.rsplit("/", 1)[-1] for p in printed)
    assert names == ["collapse-ring-2d.png", "figure1.gif", "figure1.png"]
    for p in printed:
        if p.endswith(".png"):
            read_png(p)


@pytest.mark.skipif(importlib.util.find_spec("minigan.game") is None, reason="minigan.game not written yet")
def test_cli_figures_game(tmp_path, capsys, tiny_settings):
    assert main(["figures", "--out", str(tmp_path), "--quick", "--only", "game"]) == 0
    read_png(capsys.readouterr().out.split()[0])


def test_cli_figures_help_explains_every_option(capsys):
    with pytest.raises(SystemExit):
        main(["figures", "--help"])
    text = capsys.readouterr().out
    for option in ("--out", "--quick", "--only", "--seed", "MINIGAN_QUICK"):
        assert option in text


@pytest.fixture
def mnist_checkpoint(tmp_path):
    return checkpoint.save(tiny_mnist_gan(), tmp_path / "run", config={"dataset": "mnist-5k", "seed": 0},
                           epoch=0, iteration=1)


def test_cli_sample_nearest_and_interpolate(tmp_path, mnist_checkpoint, capsys):
    out = tmp_path / "fig2.png"
    assert main(["sample", "--checkpoint", str(mnist_checkpoint), "--n", "10", "--nearest", "--out", str(out)]) == 0
    assert read_png(out).shape[:2] == (2 * (2 * 30 + 2), 2 * (5 * 30 + 2 + 6 + 30 + 2))
    out = tmp_path / "fig3.png"
    assert main(["sample", "--checkpoint", str(mnist_checkpoint), "--n", "12", "--steps", "6",
                 "--interpolate", "--out", str(out)]) == 0
    assert read_png(out).shape[:2] == (2 * (2 * 30 + 2), 2 * (6 * 30 + 2))


def test_cli_sample_nearest_refuses_a_toy(tmp_path, capsys):
    path = checkpoint.save(models.toy(2), tmp_path / "run", config={"dataset": "ring-2d", "seed": 0},
                           epoch=0, iteration=1)
    code = main(["sample", "--checkpoint", str(path), "--nearest", "--out", str(tmp_path / "x.png")])
    assert code == 8 and "not an image data set" in capsys.readouterr().err
