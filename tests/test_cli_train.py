"""`minigan train` refuses with a sentence: bad arguments (exit 2), bad data, divergence, missing
or mismatched checkpoints, unwritable folders, interruptions. Each message names the problem and
prints as one line `minigan train: error: ...`. Runs `cli.main` in-process on a tiny data file.
"""
import json
import os
import signal

import numpy as np
import pytest

from minigan import checkpoint
from minigan import train as train_module
from minigan.cli import main
from minigan.gan import GAN

real_train_step = GAN.train_step


@pytest.fixture
def tiny(tmp_path):
    """A 1-D data file: 100 training rows, so 5 iterations of 20 per epoch."""
    path = tmp_path / "tiny.npz"
    rng = np.random.default_rng(0)
    np.savez(path, train=rng.uniform(0.2, 0.8, 120).astype(np.float32),
             test=rng.uniform(0.2, 0.8, 40).astype(np.float32))
    return str(path)


@pytest.fixture(autouse=True)
def no_figures(monkeypatch):
    monkeypatch.setattr(train_module, "_epoch_figures", lambda *args: None)


def train_args(dataset, out, *extra):
    return ["train", "--dataset", dataset, "--out", str(out), "--batch-size", "20", "--epochs", "1",
            "--checkpoint-every", "2", "--no-progress", *extra]


def run(capsys, args):
    """(exit code, stderr) of `minigan ARGS`, stderr checked to be at most one error line."""
    capsys.readouterr()
    code = main(args)
    err = capsys.readouterr().err
    if code:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"minigan {args[0]}: "), err
    return code, err


def iterations(out):
    return [checkpoint.iteration_of(p) for p in checkpoint.list_checkpoints(os.path.join(out, "checkpoints"))]


@pytest.mark.parametrize("option, value, reason", [
    ("--epochs", "0", "must be at least 1, got 0"),
    ("--lr", "-1", "must be a positive finite number, got '-1'"),
    ("--lr", "nan", "must be a positive finite number, got 'nan'"),
    ("--batch-size", "abc", "expected a whole number, got 'abc'"),
    ("--k", "1.5", "expected a whole number, got '1.5'"),
    ("--keep", "0", "must be at least 1, got 0"),
    ("--checkpoint-every", "-3", "must be 0 or more, got -3"),
    ("--seed", "-1", "must be 0 or more, got -1"),
    ("--g-loss", "hinge", "invalid choice: 'hinge'"),
])
def test_bad_arguments_exit_2_naming_the_option(capsys, option, value, reason):
    with pytest.raises(SystemExit) as exit_:
        main(["train", option, value])
    assert exit_.value.code == 2
    assert f"minigan train: error: argument {option}: {reason}" in capsys.readouterr().err


def test_nan_in_the_data_file_names_the_file_and_the_array(tmp_path, capsys):
    path = tmp_path / "holes.npz"
    train = np.full((60, 2), 0.5, np.float32)
    train[7, 1] = np.nan
    np.savez(path, train=train, test=np.full((10, 2), 0.5, np.float32))
    code, err = run(capsys, train_args(str(path), tmp_path / "out"))
    assert code == 5
    assert "holes.npz: array 'train' contains NaN/Inf (1 of 120 values)" in err


def test_huge_learning_rate_stops_naming_iteration_and_loss(tiny, tmp_path, capsys):
    out = tmp_path / "out"
    code, err = run(capsys, train_args(tiny, out, "--lr", "1e30"))
    assert code == 3
    assert "training diverged at iteration 1: " in err and "_loss = " in err
    assert "no checkpoint was written yet" in err and "--lr" in err
    assert iterations(out) == []


def test_nan_loss_keeps_the_last_good_checkpoint(tiny, tmp_path, capsys, monkeypatch):
    def step(gan, batches):
        stats = real_train_step(gan, batches)
        return {**stats, "d_loss": float("nan")} if gan.iteration == 5 else stats
    monkeypatch.setattr(GAN, "train_step", step)
    out = tmp_path / "out"
    code, err = run(capsys, train_args(tiny, out, "--epochs", "3"))
    assert code == 3
    assert "training diverged at iteration 5: d_loss = nan" in err
    assert "the last good checkpoint is" in err and "checkpoint-00000004.npz" in err
    assert iterations(out) == [2, 4]                       # nothing after the bad iteration
    assert checkpoint.read(os.path.join(out, "checkpoints", "checkpoint-00000004.npz"))[0]["iteration"] == 4
    with open(out / "log.jsonl") as log:
        assert [json.loads(line)["iteration"] for line in log] == [1, 2, 3, 4]


def test_nan_parameters_are_never_checkpointed(tiny, tmp_path, capsys, monkeypatch):
    def step(gan, batches):
        stats = real_train_step(gan, batches)
        if gan.iteration == 4:                             # the update of step 4 breaks G,
            gan.G.params["2.W"][0, 0] = np.inf              # but its loss was still finite
        return stats
    monkeypatch.setattr(GAN, "train_step", step)
    out = tmp_path / "out"
    code, err = run(capsys, train_args(tiny, out))
    assert code == 3
    assert "training diverged at iteration 4: parameter G/2.W holds NaN/Inf" in err
    assert "checkpoint-00000002.npz" in err and iterations(out) == [2]


def test_resume_without_a_checkpoint(tiny, tmp_path, capsys):
    code, err = run(capsys, train_args(tiny, tmp_path / "empty", "--resume"))
    assert code == 4 and "--resume: no checkpoint in" in err and "empty" in err
    assert "run without --resume" in err


def test_fresh_run_refuses_a_folder_with_checkpoints(tiny, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(capsys, train_args(tiny, out))[0] == 0
    code, err = run(capsys, train_args(tiny, out))
    assert code == 4 and "already holds checkpoints" in err and "--resume" in err
    assert iterations(out) == [2, 4, 5]                    # the first run's checkpoints are intact


def test_resume_with_other_settings_names_them(tiny, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(capsys, train_args(tiny, out))[0] == 0
    code, err = run(capsys, train_args(tiny, out, "--resume", "--seed", "4", "--epochs", "2"))
    assert code == 4 and "was trained with --seed 0, but this run asks for --seed 4" in err
    # --epochs, --keep and --checkpoint-every may change
    assert run(capsys, train_args(tiny, out, "--resume", "--epochs", "2", "--keep", "5"))[0] == 0


def test_resume_into_an_other_architecture_names_the_parameters(tiny, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(capsys, train_args(tiny, out))[0] == 0
    rng = np.random.default_rng(1)                         # the data file now holds 2-D points
    np.savez(tiny, train=rng.uniform(0.2, 0.8, (120, 2)), test=rng.uniform(0.2, 0.8, (40, 2)))
    code, err = run(capsys, train_args(tiny, out, "--resume", "--epochs", "2"))
    assert code == 4 and "different architecture" in err
    assert "G/4.W is (64, 1) in the checkpoint but (64, 2) in this model" in err


def test_output_folder_that_cannot_be_created(tiny, tmp_path, capsys):
    (tmp_path / "a-file").write_text("")
    code, err = run(capsys, train_args(tiny, tmp_path / "a-file" / "run"))
    assert code == 7 and "cannot write to the output folder" in err and "a-file" in err
    code, err = run(capsys, train_args(tiny, tmp_path / "a-file"))
    assert code == 7 and "a-file" in err and "is a file, not a folder" in err


def test_cache_folder_that_cannot_be_created(tmp_path, capsys, monkeypatch):
    import minigan.data.download as download

    def offline(url, out, **kwargs):
        raise OSError("no network in tests")
    monkeypatch.setattr(download, "fetch", offline)
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("MINIGAN_DATA", str(tmp_path / "a-file" / "cache"))
    code, err = run(capsys, train_args("fashion-mnist", tmp_path / "out"))
    assert code == 5 and "cannot create" in err and str(tmp_path / "a-file" / "cache") in err


def test_ctrl_c_says_which_checkpoint_is_kept(tiny, tmp_path, capsys, monkeypatch):
    def step(gan, batches):
        if gan.iteration == 3:
            raise KeyboardInterrupt
        return real_train_step(gan, batches)
    monkeypatch.setattr(GAN, "train_step", step)
    code, err = run(capsys, train_args(tiny, tmp_path / "out"))
    assert code == 130
    assert "minigan train: interrupted after iteration 3; the last good checkpoint is" in err
    assert "checkpoint-00000002.npz; continue with --resume" in err


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_is_an_orderly_interruption(tiny, tmp_path, capsys, monkeypatch):
    def step(gan, batches):
        if gan.iteration == 3:
            os.kill(os.getpid(), signal.SIGTERM)
        return real_train_step(gan, batches)
    monkeypatch.setattr(GAN, "train_step", step)
    before = signal.getsignal(signal.SIGTERM)
    code, err = run(capsys, train_args(tiny, tmp_path / "out"))
    assert code == 143 and "interrupted after iteration" in err and "--resume" in err
    assert signal.getsignal(signal.SIGTERM) == before     # main() puts the old handler back
