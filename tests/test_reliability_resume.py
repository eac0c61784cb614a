"""Exact resume: a run killed anywhere and resumed with --resume ends bit-identical to one
that never stopped (NumPy backend), and the same seed always gives the same run.

The first tests kill real `python -m minigan train` processes with SIGKILL — mid-epoch, and
in the middle of writing a checkpoint — while an uninterrupted reference run with the same
settings trains beside them. The others run `train()` in-process on a tiny data file to
check the resume paths one at a time: a corrupt newest checkpoint, a log cut mid-line, and
two runs with one seed.
"""
import dataclasses
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from minigan import backend, checkpoint
from minigan import train as train_module
from minigan.fileio import stale_temporaries
from minigan.train import TrainConfig, train

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# 20 000 examples / 1 000 per batch = 20 iterations per epoch, 40 in all; a checkpoint every 3
ARGS = ["train", "--dataset", "gaussian-1d", "--epochs", "2", "--batch-size", "1000",
        "--checkpoint-every", "3", "--keep", "3", "--seed", "7", "--no-progress"]
FINAL = "checkpoint-00000040.npz"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [REPO, os.environ.get("PYTHONPATH")])),
       "MINIGAN_BACKEND": "numpy", "MPLBACKEND": "Agg",
       # one BLAS thread: faster on a shared machine, and the same arithmetic in every process
       "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

posix_only = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
numpy_only = pytest.mark.skipif(backend.name() != "numpy", reason="exact resume is promised on NumPy")


# -- helpers --------------------------------------------------------------------------------
STARTED = []


@pytest.fixture(autouse=True)
def kill_leftovers():
    """A failed assertion must not leave a training (or a hanging writer) running."""
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def start(out, *extra, script=None, env=None, track=True):
    """Start `minigan train` (or `python -c script` with the same arguments) into `out`;
    `track`: kill it when the test ends."""
    os.makedirs(os.path.dirname(out), exist_ok=True)
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "minigan"]
    stderr = open(f"{out}.{time.monotonic_ns()}.stderr", "w+")
    proc = subprocess.Popen(command + ARGS + ["--out", str(out), *extra], cwd=os.path.dirname(out),
                            env={**ENV, **(env or {})}, stdout=subprocess.DEVNULL, stderr=stderr)
    proc.stderr_file = stderr
    if track:
        STARTED.append(proc)
    return proc


def stderr_of(proc):
    proc.stderr_file.seek(0)
    return proc.stderr_file.read()


def finish(proc, timeout=120):
    proc.wait(timeout=timeout)
    assert proc.returncode == 0, stderr_of(proc)
    return stderr_of(proc)


def newest(out):
    found = checkpoint.list_checkpoints(os.path.join(out, "checkpoints"))
    return checkpoint.iteration_of(found[-1]) if found else -1


def wait_until(condition, proc, what, timeout=90):
    """Poll `condition` every 5 ms; fail (with the run's stderr) if the run ends first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the run ended (exit {proc.returncode}) before {what}:\n{stderr_of(proc)}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


def sigkill(proc):
    proc.kill()
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run had finished before it was killed"


def assert_same_run(a, b, final=FINAL):
    """Same log bytes, same kept checkpoints, and every array of them identical bit for bit."""
    with open(os.path.join(a, "log.jsonl"), "rb") as fa, open(os.path.join(b, "log.jsonl"), "rb") as fb:
        assert fa.read() == fb.read(), "the logs differ"
    kept_a = [os.path.basename(p) for p in checkpoint.list_checkpoints(os.path.join(a, "checkpoints"))]
    kept_b = [os.path.basename(p) for p in checkpoint.list_checkpoints(os.path.join(b, "checkpoints"))]
    assert kept_a == kept_b and kept_a[-1] == final
    for name in kept_a:
        meta_a, arrays_a = checkpoint.read(os.path.join(a, "checkpoints", name))
        meta_b, arrays_b = checkpoint.read(os.path.join(b, "checkpoints", name))
        assert arrays_a.keys() == arrays_b.keys()
        assert any(k.startswith("G/") for k in arrays_a) and any(k.startswith("D/") for k in arrays_a)
        for key in arrays_a:
            assert np.array_equal(arrays_a[key], arrays_b[key]), f"{name}: {key} differs"
        meta_a["config"].pop("out"), meta_b["config"].pop("out")
        assert meta_a == meta_b                      # counters and every random state


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted run, trained in the background; call it to wait for its folder."""
    out = str(tmp_path_factory.mktemp("reference") / "run")
    proc = start(out, track=False)

    def finished():
        finish(proc)
        return out
    yield finished
    if proc.poll() is None:
        proc.kill()
        proc.wait()


# -- SIGKILL, for real ----------------------------------------------------------------------
@posix_only
@numpy_only
def test_sigkill_mid_epoch_twice_then_resume_is_bit_identical(reference, tmp_path):
    out = str(tmp_path / "run")
    first = start(out)
    wait_until(lambda: newest(out) >= 6, first, "a checkpoint at iteration 6")   # epoch 0 of 2
    sigkill(first)
    second = start(out, "--resume")
    wait_until(lambda: newest(out) >= 24, second, "a checkpoint at iteration 24")  # epoch 1
    sigkill(second)
    assert "resuming from" in stderr_of(second)
    last = start(out, "--resume")
    messages = finish(last)
    assert "resuming from" in messages and "warning" not in messages
    assert_same_run(reference(), out)


HANG_IN_THIRD_SAVE = """
import os, sys, time, numpy
from minigan.cli import main
real_savez, calls = numpy.savez, []
def savez(f, **arrays):            # the third checkpoint: write its first bytes, then hang
    calls.append(1)
    if len(calls) == 3:
        f.write(b"PK\\x03\\x04" + bytes(64))
        f.flush()
        open(os.environ["MINIGAN_TEST_MARKER"], "w").close()
        time.sleep(300)
    real_savez(f, **arrays)
numpy.savez = savez
sys.exit(main(sys.argv[1:]))
"""


@posix_only
@numpy_only
def test_sigkill_during_a_checkpoint_write_keeps_the_previous_one(reference, tmp_path):
    out, marker = str(tmp_path / "run"), str(tmp_path / "writing")
    folder = os.path.join(out, "checkpoints")
    proc = start(out, script=HANG_IN_THIRD_SAVE, env={"MINIGAN_TEST_MARKER": marker})
    wait_until(lambda: os.path.exists(marker), proc, "the third checkpoint write")
    assert len(stale_temporaries(folder, "checkpoint-*.npz")) == 1    # half-written, not yet renamed
    sigkill(proc)
    assert [checkpoint.iteration_of(p) for p in checkpoint.list_checkpoints(folder)] == [3, 6]
    assert not os.path.exists(os.path.join(folder, "checkpoint-00000009.npz"))
    meta, _ = checkpoint.read(os.path.join(folder, "checkpoint-00000006.npz"))
    assert meta["iteration"] == 6
    finish(start(out, "--resume"))
    assert stale_temporaries(folder, "checkpoint-*.npz") == []         # cleaned up on resume
    assert_same_run(reference(), out)


# -- the resume paths, in-process -----------------------------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A 2-D data file: 100 training rows (+20 validation), so 5 iterations of 20 per epoch."""
    path = tmp_path_factory.mktemp("data") / "tiny.npz"
    rng = np.random.default_rng(0)
    np.savez(path, train=rng.uniform(0.2, 0.8, (120, 2)).astype(np.float32),
             test=rng.uniform(0.2, 0.8, (40, 2)).astype(np.float32))
    return str(path)


def tiny_config(tiny, out, epochs):
    return TrainConfig(dataset=tiny, epochs=epochs, batch_size=20, checkpoint_every=2, keep=3,
                       seed=3, out=str(out), progress=False)


@pytest.fixture
def no_figures(monkeypatch):
    monkeypatch.setattr(train_module, "_epoch_figures", lambda *args: None)


@pytest.fixture(scope="module")
def straight(tiny, tmp_path_factory):
    """3 epochs (15 iterations) without a stop."""
    out = tmp_path_factory.mktemp("straight")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(train_module, "_epoch_figures", lambda *args: None)
        train(tiny_config(tiny, out, epochs=3))
    return str(out)


@numpy_only
def test_unreadable_newest_checkpoint_falls_back_to_the_previous(tiny, straight, tmp_path, no_figures,
                                                                 capsys):
    out = tmp_path / "run"
    train(tiny_config(tiny, out, epochs=2))                      # checkpoints 6, 8, 10 kept
    newest_path = out / "checkpoints" / "checkpoint-00000010.npz"
    newest_path.write_bytes(newest_path.read_bytes()[:1000])     # e.g. a disk that filled up
    capsys.readouterr()
    train(tiny_config(tiny, out, epochs=3), resume=True)
    err = capsys.readouterr().err
    assert "warning" in err and "checkpoint-00000010.npz" in err and "unreadable" in err
    assert "moved it to" in err and "resuming from" in err and "checkpoint-00000008.npz" in err
    assert os.path.exists(str(newest_path) + ".corrupt")
    os.remove(str(newest_path) + ".corrupt")
    assert_same_run(straight, out, final="checkpoint-00000015.npz")


@numpy_only
def test_log_rows_after_the_checkpoint_and_a_cut_row_are_dropped(tiny, straight, tmp_path, no_figures,
                                                                 capsys):
    out = tmp_path / "run"
    train(tiny_config(tiny, out, epochs=1))                      # checkpoints 2, 4, 5
    os.remove(out / "checkpoints" / "checkpoint-00000005.npz")   # killed before this one...
    with open(out / "log.jsonl", "a") as log:                    # ...while a row was half written
        log.write('{"iteration": 6, "epoch": 1, "d_lo')
    train(tiny_config(tiny, out, epochs=3), resume=True)
    assert "warning" not in capsys.readouterr().err
    assert_same_run(straight, out, final="checkpoint-00000015.npz")


@numpy_only
def test_same_seed_same_run(tiny, tmp_path):
    """Two runs with one seed (figures and all): identical logs and checkpoints, bit for bit."""
    runs = [tmp_path / "a", tmp_path / "b"]
    for out in runs:
        _, summary = train(dataclasses.replace(tiny_config(tiny, out, epochs=1), batch_size=10))
        assert summary["iterations"] == 10 and os.path.exists(out / "samples" / "epoch-0001.png")
    assert_same_run(*runs, final="checkpoint-00000010.npz")


def test_curves_and_epoch_checkpoints_come_each_tenth_of_the_run_and_at_its_end(tiny, tmp_path,
                                                                                monkeypatch):
    """Short epochs (the bundled subset's are 40 iterations) would otherwise redraw the curves
    and write a checkpoint far more often than they are worth."""
    drawn, saved = [], []      # per epoch: were the curves drawn? iterations checkpointed
    monkeypatch.setattr(train_module, "_epoch_figures", lambda *args: drawn.append(args[-1]))
    real_save = train_module.checkpoint.save
    monkeypatch.setattr(train_module.checkpoint, "save",
                        lambda *a, **k: saved.append(k["iteration"]) or real_save(*a, **k))
    config = dataclasses.replace(tiny_config(tiny, tmp_path / "run", epochs=23), checkpoint_every=0)
    train(config)                                      # 115 iterations, 5 per epoch
    assert len(drawn) == 23 and [i for i, curves in enumerate(drawn) if curves] == [2, 5, 8, 11, 14, 17, 20, 22]
    assert saved == [15, 30, 45, 60, 75, 90, 105, 115]


def test_the_default_backend_is_recorded_so_naming_it_on_resume_is_the_same(tiny, tmp_path, no_figures):
    out = tmp_path / "run"
    train(tiny_config(tiny, out, epochs=1))                       # backend: MINIGAN_BACKEND's
    _, summary = train(dataclasses.replace(tiny_config(tiny, out, epochs=2), backend=backend.name()),
                       resume=True)
    assert summary["iterations"] == 10
