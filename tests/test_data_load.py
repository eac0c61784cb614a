"""load(): the bundled subset, the toys and their mixtures, folders and .npz files."""
import math

import numpy as np
import pytest

from minigan.data import DATASETS, Dataset, Mixture, load
from minigan.data.idx import write_idx
from minigan.data.toys import SIZES
from minigan.errors import DataError

trapezoid = getattr(np, "trapezoid", None) or np.trapz  # NumPy 2 renamed trapz

TOYS = ("gaussian-1d", "bimodal-1d", "ring-2d", "grid-2d")


def test_names():
    assert set(DATASETS) == {"mnist", "mnist-5k", "fashion-mnist", *TOYS}


def test_mnist5k_shapes_range_and_stratification():
    data = load("mnist-5k")
    assert isinstance(data, Dataset) and data.name == "mnist-5k"
    assert data.image_shape == (28, 28) and data.distribution is None
    for split, n in (("train", 4000), ("validation", 500), ("test", 500)):
        x, y = getattr(data, split), getattr(data, split + "_labels")
        assert x.shape == (n, 784) and x.dtype == np.float32 and x.flags.c_contiguous
        assert y.dtype == np.int64 and y.shape == (n,)
        assert 0.0 <= x.min() and x.max() <= 1.0 and x.max() == 1.0
        np.testing.assert_array_equal(np.bincount(y, minlength=10), np.full(10, n // 10))
        assert len(np.unique(y[:50])) > 5  # shuffled, not sorted by class
    everything = np.concatenate([data.train, data.validation, data.test])
    assert len(np.unique(everything, axis=0)) == 5000  # the splits do not overlap


def test_mnist5k_is_deterministic_and_ignores_seed():
    a, b = load("mnist-5k"), load("mnist-5k", seed=123)
    for split in ("train", "validation", "test"):
        np.testing.assert_array_equal(getattr(a, split), getattr(b, split))
        np.testing.assert_array_equal(getattr(a, split + "_labels"), getattr(b, split + "_labels"))


def test_pixel_means():
    data = load("mnist-5k")
    means = data.pixel_means()
    assert means.shape == (784,) and means.dtype == np.float32
    np.testing.assert_allclose(means, data.train.astype(np.float64).mean(axis=0), atol=1e-7)
    assert 0.05 < means.mean() < 0.25  # MNIST is mostly black: mean pixel about 0.13


@pytest.mark.parametrize("name", TOYS)
def test_toy_shapes_and_statistics(name):
    data = load(name, seed=3)
    mixture = data.distribution
    assert isinstance(mixture, Mixture) and data.image_shape is None
    d = mixture.means.shape[1]
    for split, n in SIZES.items():
        x = getattr(data, split)
        assert x.shape == (n, d) and x.dtype == np.float32 and x.flags.c_contiguous
    x, k = data.train, data.train_labels
    mean = mixture.weights @ mixture.means
    np.testing.assert_allclose(x.mean(axis=0), mean, atol=4 * x.std() / math.sqrt(len(x)) + 1e-3)
    # Total variance = within-component sigma^2 + between-component spread of the means.
    var = mixture.sigma ** 2 + mixture.weights @ ((mixture.means - mean) ** 2)
    np.testing.assert_allclose(x.var(axis=0), var, rtol=0.05)
    # Within each component the spread is sigma and the centre is that mode.
    for j in np.unique(k)[:5]:
        xj = x[k == j]
        np.testing.assert_allclose(xj.mean(axis=0), mixture.means[j], atol=5 * mixture.sigma / math.sqrt(len(xj)))
        np.testing.assert_allclose(xj.std(axis=0), mixture.sigma, rtol=0.1)
    np.testing.assert_allclose(np.bincount(k) / len(k), mixture.weights, atol=0.02)


def test_toy_seed_controls_samples():
    a, b, c = load("ring-2d", seed=1), load("ring-2d", seed=1), load("ring-2d", seed=2)
    np.testing.assert_array_equal(a.train, b.train)
    assert not np.array_equal(a.train, c.train)
    assert not np.array_equal(a.train[:2000], a.validation)


def test_toy_settings_match_the_papers():
    ring = load("ring-2d").distribution
    np.testing.assert_allclose(np.hypot(*ring.means.T), 2.0)
    assert len(ring.means) == 8 and ring.sigma == 0.02
    grid = load("grid-2d").distribution
    assert len(grid.means) == 25 and grid.sigma == 0.05
    assert sorted(set(grid.means[:, 0])) == [-4, -2, 0, 2, 4]
    g = load("gaussian-1d").distribution
    assert g.means.tolist() == [[4.0]] and g.sigma == 0.5


@pytest.mark.parametrize("name", ["gaussian-1d", "bimodal-1d"])
def test_pdf_integrates_to_one_in_1d(name):
    mixture = load(name).distribution
    low, high = mixture.support(n_sigma=8)
    grid = np.linspace(low[0], high[0], 20001)
    assert trapezoid(mixture.pdf(grid[:, None]), grid) == pytest.approx(1.0, abs=1e-6)


def test_pdf_integrates_to_one_in_2d():
    mixture = Mixture(means=[[0.0, 0.0], [1.0, 2.0]], sigma=0.3, weights=[0.25, 0.75])
    low, high = mixture.support(n_sigma=7)
    xs, ys = np.linspace(low[0], high[0], 401), np.linspace(low[1], high[1], 401)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    p = mixture.pdf(np.stack([gx.ravel(), gy.ravel()], axis=1)).reshape(gx.shape)
    assert trapezoid(trapezoid(p, ys, axis=1), xs) == pytest.approx(1.0, abs=1e-4)


def test_logpdf_matches_direct_formula_and_is_stable():
    mixture = load("bimodal-1d").distribution
    x = np.array([[-2.0], [0.3], [2.0]])
    direct = sum(0.5 * np.exp(-(x[:, 0] - m) ** 2 / (2 * 0.25)) / (0.5 * math.sqrt(2 * math.pi))
                 for m in (-2.0, 2.0))
    np.testing.assert_allclose(mixture.pdf(x), direct, rtol=1e-12)
    far = mixture.logpdf(np.array([[1e4]]))
    assert np.isfinite(far).all() and far[0] < -1e7  # log p, never log(0) = -inf
    ring = load("ring-2d").distribution
    assert np.isfinite(ring.logpdf(np.zeros((1, 2)))).all()  # centre: 2 / 0.02 = 100 sigma away


def test_mixture_support_and_validation():
    low, high = load("grid-2d").distribution.support()
    np.testing.assert_allclose(low, [-4.15, -4.15])
    np.testing.assert_allclose(high, [4.15, 4.15])
    with pytest.raises(ValueError):
        Mixture(means=[[0.0]], sigma=0.0)
    with pytest.raises(ValueError):
        Mixture(means=[[0.0], [1.0]], sigma=1.0, weights=[1.0])
    m = Mixture(means=[[0.0]], sigma=1.0)
    with pytest.raises(Exception):
        m.sigma = 2.0  # frozen
    with pytest.raises(ValueError):
        m.means[0, 0] = 1.0  # read-only arrays
    assert m.sample(5, 0).shape == (5, 1) and m.sample(5, 0).dtype == np.float32


def _idx_folder(folder, n_train=60, n_test=10, gz=True, n_labels=None):
    folder.mkdir()
    rng = np.random.default_rng(0)
    suffix = ".gz" if gz else ""
    write_idx(folder / f"train-images-idx3-ubyte{suffix}", rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8))
    write_idx(folder / f"train-labels-idx1-ubyte{suffix}",
              (np.arange(n_labels or n_train) % 10).astype(np.uint8))
    write_idx(folder / f"t10k-images-idx3-ubyte{suffix}", rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8))
    write_idx(folder / f"t10k-labels-idx1-ubyte{suffix}", (np.arange(n_test) % 10).astype(np.uint8))
    return folder


@pytest.mark.parametrize("gz", [True, False])
def test_folder_of_idx_files(tmp_path, gz):
    data = load(str(_idx_folder(tmp_path / "digits", n_train=36, gz=gz)))
    assert data.name == "digits" and data.image_shape == (28, 28)
    assert data.train.shape == (30, 784) and data.validation.shape == (6, 784)  # last 1/6
    assert data.test.shape == (10, 784) and data.train.dtype == np.float32
    np.testing.assert_array_equal(data.validation_labels, np.arange(30, 36) % 10)
    assert "digits" in data.source


def test_folder_accepts_pathlib_and_dotted_names(tmp_path):
    folder = _idx_folder(tmp_path / "k", gz=False)
    for p in folder.iterdir():
        p.rename(p.with_name(p.name.replace("-idx", ".idx")))
    assert load(folder).train.shape == (50, 784)


def test_folder_with_mismatched_counts(tmp_path):
    folder = _idx_folder(tmp_path / "bad", n_labels=59)
    with pytest.raises(DataError, match="mismatch") as err:
        load(str(folder))
    assert "train-images" in str(err.value) and "train-labels" in str(err.value)


def test_folder_missing_a_file(tmp_path):
    folder = _idx_folder(tmp_path / "partial")
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte"):
        load(str(folder))


def test_npz_uint8_and_float(tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / "mine.npz"
    np.savez(path, train=rng.integers(0, 256, (12, 784), dtype=np.uint8),
             test=rng.integers(0, 256, (4, 784), dtype=np.uint8),
             train_labels=np.arange(12), test_labels=np.arange(4))
    data = load(str(path))
    assert data.name == "mine" and data.image_shape == (28, 28)
    assert data.train.shape == (10, 784) and data.validation.shape == (2, 784)
    np.testing.assert_array_equal(data.validation_labels, [10, 11])
    assert data.train.max() <= 1.0 and data.train.dtype == np.float32

    path2 = tmp_path / "points.npz"
    np.savez(path2, train=rng.random((9, 3)), validation=rng.random((2, 3)), test=rng.random((2, 3)))
    data2 = load(path2)
    assert data2.validation.shape == (2, 3) and data2.image_shape is None
    assert data2.train_labels is None


def test_npz_with_nan_names_file_and_array(tmp_path):
    bad = np.random.default_rng(0).random((5, 4)).astype(np.float32)
    bad[2, 1] = np.nan
    path = tmp_path / "broken.npz"
    np.savez(path, train=np.zeros((5, 4)), test=bad)
    with pytest.raises(DataError, match="NaN/Inf") as err:
        load(str(path))
    assert "broken.npz" in str(err.value) and "'test'" in str(err.value)


def test_npz_out_of_range_and_missing_arrays(tmp_path):
    path = tmp_path / "range.npz"
    np.savez(path, train=np.full((3, 2), 2.0), test=np.zeros((3, 2)))
    with pytest.raises(DataError, match=r"\[0, 1\]"):
        load(str(path))
    np.savez(tmp_path / "half.npz", train=np.zeros((3, 2)))
    with pytest.raises(DataError, match="'test'"):
        load(str(tmp_path / "half.npz"))
    (tmp_path / "junk.npz").write_bytes(b"not a zip at all")
    with pytest.raises(DataError, match="junk.npz"):
        load(str(tmp_path / "junk.npz"))


def test_unknown_name_lists_known_names():
    with pytest.raises(DataError) as err:
        load("cifar-100")
    for name in DATASETS:
        assert name in str(err.value)


def test_names_are_forgiving():
    assert load("MNIST_5K").name == "mnist-5k"
