"""Every refusal explains itself: layers fed the wrong input name the layer and expected vs got;
`minigan sample` with a missing or broken checkpoint names the file; from a real console an
error is one line `minigan <command>: error: ...` with a non-zero exit code.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

from minigan import backend, checkpoint, models
from minigan.cli import main
from minigan.layers import Dropout, Linear, Maxout, ReLU, Sequential

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def x(*shape, dtype="float32"):
    return backend.to_device(np.zeros(shape, dtype=dtype))


@pytest.mark.parametrize("layer, bad, expected", [
    (Linear(3, 4), x(2, 5), r"Linear\(3→4\): expected input of shape \(batch, 3\), got \(2, 5\)"),
    (Linear(3, 4), x(3), r"Linear\(3→4\): expected input of shape \(batch, 3\), got \(3,\)"),
    (Maxout(6, 2, 3), x(4, 5), r"Maxout\(6→2×3\): expected input of shape \(batch, 6\), got \(4, 5\)"),
])
def test_wrong_shape_names_the_layer_and_both_shapes(layer, bad, expected):
    with pytest.raises(ValueError, match=expected):
        layer.forward(bad)


@pytest.mark.parametrize("layer, bad, expected", [
    (Linear(3, 4), x(2, 3, dtype="float64"), r"Linear\(3→4\): expected float32 input .*got float64"),
    (ReLU(), x(2, 3, dtype="int64"), r"ReLU\(\): expected a floating-point input, got dtype int64"),
    (Dropout(0.5), [[1.0, 2.0]], r"Dropout\(keep=0.5\): expected an array, got list"),
])
def test_wrong_dtype_names_the_layer_and_both_dtypes(layer, bad, expected):
    with pytest.raises(TypeError, match=expected):
        layer.forward(bad)


def test_a_chain_names_the_layer_inside_it_that_refused():
    net = Sequential([Linear(3, 4), ReLU(), Linear(5, 1)])
    with pytest.raises(ValueError, match=r"Linear\(5→1\): expected input of shape \(batch, 5\), "
                                         r"got \(2, 4\)"):
        net.forward(x(2, 3))


def test_backward_with_the_wrong_gradient_shape():
    layer = Linear(3, 4)
    layer.forward(x(2, 3))
    with pytest.raises(ValueError, match=r"Linear\(3→4\): backward got dy of shape \(2, 5\), but forward "
                                         r"produced shape \(2, 4\)"):
        layer.backward(x(2, 5))


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    (b"", "unreadable or not a minigan checkpoint"),
    (b"PK\x03\x04 half a zip", "unreadable or not a minigan checkpoint"),
    ("truncated", "unreadable or not a minigan checkpoint"),
])
def test_sample_names_the_missing_or_broken_checkpoint(tmp_path, capsys, content, message):
    path = tmp_path / "model.npz"
    if content == "truncated":
        good = checkpoint.save(models.toy(1, hidden=4), tmp_path, config={"dataset": "gaussian-1d"},
                               epoch=0, iteration=1)
        content = open(good, "rb").read()[:-30]
    if content is not None:
        path.write_bytes(content)
    assert main(["sample", "--checkpoint", str(path), "--out", str(tmp_path / "s.png")]) == 4
    err = capsys.readouterr().err
    assert err.startswith("minigan sample: error: checkpoint ") and str(path) in err and message in err
    assert not (tmp_path / "s.png").exists()


def test_a_real_console_gets_one_line_and_a_non_zero_exit(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [REPO, os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-m", "minigan", "sample", "--checkpoint", "missing.npz"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 4
    assert result.stderr == "minigan sample: error: checkpoint 'missing.npz' does not exist\n"
