"""Checkpoints: exact round trips, refusals that name the problem, atomic and kept files."""
import errno
import os
import stat

import numpy as np
import pytest

from minigan import backend, checkpoint, models
from minigan.errors import CheckpointError
from minigan.fileio import atomic_write, stale_temporaries
from minigan.optim import SGD

CONFIG = {"dataset": "test", "seed": 0}


def small_paper_gan(seed):
    """The paper's architecture (maxout, three dropout layers, momentum SGD), narrowed."""
    return models.paper_mnist(seed=seed, noise_dim=8, hidden=16, d_units=6, d_pieces=2, n_pixels=12)


def batches(n, seed=0):
    rng = np.random.default_rng(seed)
    return [backend.to_device(rng.uniform(0, 1, (10, 12)).astype(np.float32)) for _ in range(n)]


def params_of(gan):
    return {f"{net}/{k}": backend.to_numpy(v).copy()
            for net in ("G", "D") for k, v in getattr(gan, net).params.items()}


def assert_same_params(a, b):
    pa, pb = params_of(a), params_of(b)
    assert pa.keys() == pb.keys()
    for k in pa:
        assert np.array_equal(pa[k], pb[k]), k


@pytest.mark.skipif(backend.name() != "numpy", reason="CuPy generators keep no saveable state")
def test_restore_continues_bit_for_bit_with_dropout_and_momentum(tmp_path):
    data = batches(8)
    gan = small_paper_gan(seed=1)
    for epoch, x in enumerate(data[:5]):
        gan.set_epoch(epoch)                       # the momentum ramp moves with the epoch
        gan.train_step(x)
    path = checkpoint.save(gan, tmp_path, config=CONFIG, epoch=4, iteration=5)
    twin = small_paper_gan(seed=2)                 # other weights, other random streams
    meta = checkpoint.restore(twin, path)
    assert meta["iteration"] == 5 and twin.iteration == gan.iteration == 5
    assert twin.d_optimizer.t == 5 and twin.g_optimizer.epoch == 4
    assert set(gan.generators()) == {"noise", "D.1", "D.3", "D.5"}   # noise and D's dropouts
    for epoch, x in enumerate(data[5:], start=5):
        for g in (gan, twin):
            g.set_epoch(epoch)
            g.train_step(x)
    assert_same_params(gan, twin)


def test_missing_file_and_folder_are_named(tmp_path):
    with pytest.raises(CheckpointError, match=r"missing\.npz.*does not exist"):
        checkpoint.read(tmp_path / "missing.npz")
    with pytest.raises(CheckpointError, match="is not a file"):
        checkpoint.load_gan(tmp_path)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "not-npz"])
def test_damaged_files_are_refused_by_name(tmp_path, damage):
    gan = models.toy(1, hidden=4)
    good = checkpoint.save(gan, tmp_path, config=CONFIG, epoch=0, iteration=1)
    data = open(good, "rb").read()
    bad = tmp_path / "bad.npz"
    bad.write_bytes({"truncated": data[:len(data) // 2], "garbage": os.urandom(300), "empty": b"",
                     "not-npz": b"\x93NUMPY\x01\x00"}[damage])
    for reader in (checkpoint.read, checkpoint.load_gan, lambda p: checkpoint.restore(gan, p)):
        with pytest.raises(CheckpointError, match=r"bad\.npz.*(unreadable|corrupt|truncated)"):
            reader(bad)


def test_other_architecture_is_refused_naming_the_difference_and_changes_nothing(tmp_path):
    path = checkpoint.save(models.toy(2, hidden=8), tmp_path, config=CONFIG, epoch=0, iteration=1)
    other = models.toy(1, hidden=8)
    before = params_of(other)
    with pytest.raises(CheckpointError, match=r"different architecture.*G/4\.W is \(8, 2\) in the "
                                              r"checkpoint but \(8, 1\) in this model"):
        checkpoint.restore(other, path)
    after = params_of(other)
    assert all(np.array_equal(before[k], after[k]) for k in before)


def test_other_optimiser_is_refused(tmp_path):
    gan = models.toy(1, hidden=4)
    gan.train_step(backend.to_device(np.ones((5, 1), np.float32)))   # Adam buffers m and v
    path = checkpoint.save(gan, tmp_path, config=CONFIG, epoch=0, iteration=1)
    sgd = models.toy(1, hidden=4)
    sgd.d_optimizer = SGD(0.1, 0.5)
    with pytest.raises(CheckpointError, match=r"optimiser state 'opt_d/m/.*does not fit this model's SGD"):
        checkpoint.restore(sgd, path)
    checkpoint.restore(sgd, path, exact=False)                       # parameters alone still load


def test_load_gan_rebuilds_both_presets(tmp_path):
    for gan in (small_paper_gan(seed=0), models.toy(2, hidden=8, noise_dim=3)):
        path = checkpoint.save(gan, tmp_path / type(gan.D[1]).__name__, config=CONFIG, epoch=0, iteration=1)
        loaded, meta = checkpoint.load_gan(path)
        assert checkpoint.architecture(loaded) == checkpoint.architecture(gan)
        assert_same_params(gan, loaded)


def test_keep_prunes_oldest_by_iteration_never_the_new_one(tmp_path):
    gan = models.toy(1, hidden=4)
    for it in (5, 10, 100, 1000, 100_000_000):       # past 8 digits, names no longer sort as text
        checkpoint.save(gan, tmp_path, config=CONFIG, epoch=0, iteration=it, keep=2)
    assert [checkpoint.iteration_of(p) for p in checkpoint.list_checkpoints(tmp_path)] == [1000, 100_000_000]


def test_failed_write_names_the_file_and_keeps_the_previous(tmp_path, monkeypatch):
    gan = models.toy(1, hidden=4)
    first = checkpoint.save(gan, tmp_path, config=CONFIG, epoch=0, iteration=1)

    def disk_full(f, **arrays):
        f.write(b"PK\x03\x04")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(np, "savez", disk_full)
    with pytest.raises(OSError, match=r"cannot write the checkpoint .*checkpoint-00000002\.npz "
                                      r"\(No space left on device\); .*checkpoint-00000001\.npz is intact"):
        checkpoint.save(gan, tmp_path, config=CONFIG, epoch=0, iteration=2)
    assert checkpoint.list_checkpoints(tmp_path) == [first]
    assert stale_temporaries(tmp_path) == []
    checkpoint.read(first)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_atomic_write_gives_the_umask_mode_not_0600(tmp_path, umask):
    old = os.umask(umask)
    try:
        with atomic_write(tmp_path / "f.json", "w") as f:
            f.write("{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "f.json").st_mode) == 0o666 & ~umask


def test_atomic_write_leaves_nothing_on_error(tmp_path):
    (tmp_path / "kept.txt").write_text("old")
    with pytest.raises(ZeroDivisionError):
        with atomic_write(tmp_path / "kept.txt", "w") as f:
            f.write("new, half")
            1 / 0
    assert (tmp_path / "kept.txt").read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["kept.txt"]
