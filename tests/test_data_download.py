"""Downloads: verified before they land, nothing left behind on failure, offline fallback.

No test touches the network: mirrors are file:// URLs in tmp_path, or `fetch` is
monkeypatched.
"""
import hashlib

import numpy as np
import pytest

from minigan.data import download, load, sources
from minigan.data.idx import write_idx
from minigan.data.sources import RemoteFile, RemoteSet
from minigan.errors import DataError


def _files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def mirror(tmp_path):
    """A fake 'mnist' published as file:// URLs: 60 train + 10 test images of 28x28."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    rng = np.random.default_rng(0)
    arrays = {
        sources.TRAIN_IMAGES: rng.integers(0, 256, (60, 28, 28), dtype=np.uint8),
        sources.TRAIN_LABELS: (np.arange(60) % 10).astype(np.uint8),
        sources.TEST_IMAGES: rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        sources.TEST_LABELS: np.arange(10, dtype=np.uint8),
    }
    files = []
    for name, array in arrays.items():
        path = folder / (name + ".gz")
        write_idx(path, array)
        data = path.read_bytes()
        files.append(RemoteFile(path.name, len(data), hashlib.sha256(data).hexdigest()))
    remote = RemoteSet("mnist", "mnist", (folder.as_uri() + "/",), tuple(files), "fake MNIST")
    return remote, arrays


@pytest.fixture
def fake_mnist(monkeypatch, mirror):
    monkeypatch.setattr(sources, "MNIST", mirror[0])
    return mirror


def _count_fetches(monkeypatch):
    calls = []
    real = download.fetch

    def counting(url, out, **kw):
        calls.append(url)
        return real(url, out, **kw)

    monkeypatch.setattr(download, "fetch", counting)
    return calls


def test_good_download_lands_and_is_reused(tmp_path, fake_mnist, monkeypatch):
    remote, arrays = fake_mnist
    calls = _count_fetches(monkeypatch)
    cache = tmp_path / "cache"
    data = load("mnist", cache_dir=cache)
    assert len(calls) == 4 and data.name == "mnist"
    assert [p.name for p in _files_under(cache)] == sorted(f.name for f in remote.files)
    assert data.train.shape == (50, 784) and data.validation.shape == (10, 784)
    assert data.test.shape == (10, 784) and data.image_shape == (28, 28)
    np.testing.assert_allclose(data.train[0], arrays[sources.TRAIN_IMAGES][0].ravel() / 255.0,
                               rtol=1e-6)
    np.testing.assert_array_equal(data.validation_labels, np.arange(50, 60) % 10)
    assert str(cache) in data.source or "~" in data.source

    monkeypatch.setattr(download, "fetch", _no_network)
    again = load("mnist", cache_dir=cache)
    np.testing.assert_array_equal(again.train, data.train)


def _no_network(url, out, **kw):
    raise OSError("network is unreachable")


def test_checksum_mismatch_raises_and_leaves_nothing(tmp_path, monkeypatch, mirror):
    remote, _ = mirror
    wrong = RemoteFile(remote.files[0].name, remote.files[0].size, "0" * 64)
    monkeypatch.setattr(sources, "MNIST", RemoteSet("mnist", "mnist", remote.mirrors,
                                                    (wrong,) + remote.files[1:], "fake"))
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(DataError) as err:
        load("mnist", cache_dir=cache)
    message = str(err.value)
    good = remote.files[0].sha256
    assert wrong.name in message and "0" * 64 in message and good in message
    assert list(cache.iterdir()) == []  # no file, no temp file, no empty mnist/ folder


def test_cut_short_download_leaves_nothing(tmp_path, monkeypatch, mirror):
    remote, _ = mirror

    def half_then_reset(url, out, **kw):
        out.write(b"\x1f\x8b partial bytes")
        raise ConnectionResetError("connection reset by peer")

    monkeypatch.setattr(download, "fetch", half_then_reset)
    cache = tmp_path / "cache"
    with pytest.raises(download.NotAvailable, match="connection reset"):
        download.ensure(remote, cache)
    assert not cache.exists() or _files_under(cache) == []


def test_interrupted_download_leaves_nothing(tmp_path, monkeypatch, mirror):
    def interrupted(url, out, **kw):
        out.write(b"some bytes")
        raise KeyboardInterrupt

    monkeypatch.setattr(download, "fetch", interrupted)
    cache = tmp_path / "cache"
    with pytest.raises(KeyboardInterrupt):
        download.ensure(mirror[0], cache)
    assert not cache.exists()


def test_short_download_without_error_is_a_checksum_mismatch(tmp_path, monkeypatch, mirror):
    def truncated(url, out, **kw):  # the server closes early but reports no error
        out.write((tmp_path / "mirror" / url.rsplit("/", 1)[1]).read_bytes()[:100])

    monkeypatch.setattr(download, "fetch", truncated)
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match="SHA-256 mismatch.*100 bytes"):
        download.ensure(mirror[0], cache)
    assert not cache.exists()


def test_next_mirror_is_tried(tmp_path, monkeypatch, mirror):
    remote, _ = mirror
    dead = (tmp_path / "no-such-mirror").as_uri() + "/"
    monkeypatch.setattr(sources, "MNIST", RemoteSet("mnist", "mnist", (dead,) + remote.mirrors,
                                                    remote.files, "fake"))
    calls = _count_fetches(monkeypatch)
    assert load("mnist", cache_dir=tmp_path / "c").name == "mnist"
    assert len(calls) == 8 and calls[0].startswith(dead)


def test_corrupted_cache_file_is_replaced(tmp_path, fake_mnist):
    cache = tmp_path / "cache"
    load("mnist", cache_dir=cache)
    victim = cache / "mnist" / sources.TEST_LABELS
    victim = victim.with_name(victim.name + ".gz")
    victim.write_bytes(b"garbage")
    assert load("mnist", cache_dir=cache).name == "mnist"
    assert victim.read_bytes()[:2] == b"\x1f\x8b"


def test_offline_falls_back_to_mnist5k_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(download, "fetch", _no_network)
    data = load("mnist", cache_dir=tmp_path)
    assert data.name == "mnist-5k" and "offline fallback" in data.source
    assert data.train.shape == (4000, 784)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "MNIST is not cached" in err and "network is unreachable" in err
    assert "5,000-image MNIST subset" in err
    assert list(tmp_path.iterdir()) == []


def test_download_false_never_fetches(tmp_path, monkeypatch, capsys):
    def forbidden(url, out, **kw):
        raise AssertionError("fetch called with download=False")

    monkeypatch.setattr(download, "fetch", forbidden)
    data = load("mnist", cache_dir=tmp_path, download=False)
    assert data.name == "mnist-5k"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "download=False" in err


def test_fashion_mnist_has_no_fallback(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(download, "fetch", _no_network)
    with pytest.raises(DataError, match="Fashion-MNIST.*could not be downloaded"):
        load("fashion-mnist", cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cache_root_order(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGAN_DATA", str(tmp_path / "env"))
    assert download.cache_root() == str(tmp_path / "env")
    assert download.cache_root(tmp_path / "arg") == str(tmp_path / "arg")
    monkeypatch.delenv("MINIGAN_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert download.cache_root() == str(tmp_path / "home" / ".cache" / "minigan")
    assert download.shown(download.cache_root()) == "~/.cache/minigan"


def test_published_checksums_are_well_formed():
    for remote_set in sources.REMOTE_SETS.values():
        assert [f.name for f in remote_set.files] == [n + ".gz" for n in sources.IDX_NAMES]
        for f in remote_set.files:
            assert len(f.sha256) == 64 and int(f.sha256, 16) >= 0 and f.size > 0
        assert all(m.endswith("/") for m in remote_set.mirrors)


def test_unwritable_cache_falls_back(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(download, "fetch", _no_network)
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    data = load("mnist", cache_dir=blocker)  # the cache "folder" is a file
    assert data.name == "mnist-5k"
    assert capsys.readouterr().err.count("\n") == 1
