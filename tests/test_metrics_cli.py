"""`minigan evaluate` end to end on tiny checkpoints: Parzen for images, modes for toys."""
import dataclasses

import pytest

from minigan import checkpoint, models
from minigan.cli import main
from minigan.train import TrainConfig


def saved(tmp_path, gan, dataset):
    config = dataclasses.asdict(TrainConfig(dataset=dataset, out=str(tmp_path)))
    return checkpoint.save(gan, str(tmp_path / "checkpoints"), config=config, epoch=0, iteration=0)


def test_parzen_on_a_small_image_model_prints_both_estimates_and_the_caveat(tmp_path, capsys):
    gan = models.paper_mnist(hidden=16, d_units=4, d_pieces=2, seed=0)
    path = saved(tmp_path, gan, "mnist-5k")
    code = main(["evaluate", "--checkpoint", path, "--parzen", "--samples", "200",
                 "--validation", "50", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert "GAN samples as centres (200)" in out
    assert "training images as centres (200)" in out        # as many as samples
    assert "500 test images" in out and "50 validation images" in out
    assert out.count("<- chosen") == 2 and "Theis" in out and "not comparable" in out


def test_modes_on_a_toy_checkpoint(tmp_path, capsys):
    path = saved(tmp_path, models.toy(2, seed=0), "ring-2d")
    assert main(["evaluate", "--checkpoint", path, "--samples", "300", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "mode coverage of 300 samples" in out and "of 8 modes covered" in out
    assert "8 of 8 modes covered" in out                       # the test split's own line
    assert "Parzen" not in out                                 # toys default to --modes only


def test_modes_on_an_image_checkpoint_is_a_clear_error(tmp_path, capsys):
    path = saved(tmp_path, models.paper_mnist(hidden=8, d_units=2, d_pieces=2), "mnist-5k")
    assert main(["evaluate", "--checkpoint", path, "--modes"]) == 8
    assert "--modes needs a toy checkpoint" in capsys.readouterr().err


def test_missing_checkpoint(tmp_path, capsys):
    assert main(["evaluate", "--checkpoint", str(tmp_path / "nope.npz")]) == 4
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["0", "-3", "many"])
def test_bad_counts_are_refused_by_argparse(bad, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", "--checkpoint", "x.npz", "--samples", bad])
    assert exc.value.code == 2
