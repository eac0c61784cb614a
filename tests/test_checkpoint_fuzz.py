"""Fuzzing the checkpoint readers: whatever the bytes, `read`, `restore` and `load_gan`
return or raise CheckpointError (documented) — never another error, a crash or a hang.

Three kinds of input: random bytes (with and without a zip signature); a valid checkpoint
with bytes flipped, cut, inserted or appended (mostly caught by the zip's CRCs); and a
valid zip whose content is wrong — metadata fields replaced by arbitrary JSON, arrays
dropped, reshaped or retyped — which only the reader's own checks can catch.
Set MINIGAN_FUZZ_EXAMPLES (default 100) for a longer run.
"""
import io
import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minigan import backend, checkpoint, models
from minigan.errors import CheckpointError

EXAMPLES = int(os.environ.get("MINIGAN_FUZZ_EXAMPLES", 100))
FUZZ = settings(max_examples=EXAMPLES, deadline=5000)


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    """(bytes of a real checkpoint of a trained toy GAN, its arrays by name)."""
    gan = models.toy(2, hidden=3)
    gan.train_step(backend.to_device(np.ones((4, 2), np.float32)))    # optimiser buffers exist
    path = checkpoint.save(gan, tmp_path_factory.mktemp("valid"), config={"dataset": "x", "seed": 0},
                           epoch=0, iteration=1)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return open(path, "rb").read(), arrays


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


TARGET = models.toy(2, hidden=3)    # what `restore` loads into (a failed restore changes nothing)


def only_checkpoint_errors(path):
    """Every reader either works or raises CheckpointError naming the file."""
    for reader in (checkpoint.read, checkpoint.load_gan, lambda p: checkpoint.restore(TARGET, p)):
        try:
            reader(path)
        except CheckpointError as exc:
            assert str(path) in str(exc)


@FUZZ
@given(data=st.binary(max_size=600), zip_magic=st.booleans())
def test_random_bytes(scratch, data, zip_magic):
    path = scratch / "random.npz"
    path.write_bytes((b"PK\x03\x04" if zip_magic else b"") + data)
    only_checkpoint_errors(path)


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.integers(0, 255)),
    st.tuples(st.just("append"), st.integers(0, 10**6), st.integers(0, 255)),
)


def mutate(data, mutations):
    data = bytearray(data)
    for kind, at, value in mutations:
        at %= len(data) + 1
        if kind == "flip" and at < len(data):
            data[at] ^= value
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data.insert(at, value)
        elif kind == "append":
            data.append(value)
    return bytes(data)


@FUZZ
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_bytes(scratch, valid, mutations):
    path = scratch / "mutated.npz"
    path.write_bytes(mutate(valid[0], mutations))
    only_checkpoint_errors(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8)

META_PATHS = [("config",), ("epoch",), ("iteration",), ("gan_iteration",), ("rng",), ("rng", "noise"),
              ("rng", "noise", "state"), ("architecture",), ("architecture", "G"),
              ("rng", "noise", "state", "inc"), ("architecture", "D", "0.W"),
              ("architecture", "G", "4.W", 1), ()]

array_edit = st.tuples(
    st.sampled_from(["drop", "reshape", "retype", "add"]), st.integers(0, 100),
    st.sampled_from(["int64", "bool", "U3", "complex64", "float16", "float64"]),
    st.sampled_from(["G/9.W", "opt_d/m/9.W", "opt_d/velocity/0.W", "opt_g/t", "meta2"]))


def edit_meta(meta, path, value):
    """Set meta[path[0]][path[1]]... = value, where the path exists as far as dicts go."""
    if not path:
        return value
    node = meta
    for key in path[:-1]:
        if not isinstance(node, dict):
            return meta
        node = node.setdefault(key, {})
    if isinstance(node, dict):
        node[path[-1]] = value
    elif isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        node[path[-1]] = value
    return meta


@settings(max_examples=max(1, EXAMPLES // 2), deadline=5000)
@given(meta_edits=st.lists(st.tuples(st.sampled_from(META_PATHS), json_values), max_size=2),
       array_edits=st.lists(array_edit, max_size=2),
       drop_key=st.sampled_from([None, "epoch", "rng", "config"]))
def test_well_formed_zip_with_wrong_content(scratch, valid, meta_edits, array_edits, drop_key):
    arrays = dict(valid[1])
    meta = json.loads(str(arrays["meta"]))
    for path, value in meta_edits:
        meta = edit_meta(meta, path, value)
    if drop_key and isinstance(meta, dict):
        meta.pop(drop_key, None)
    arrays["meta"] = np.array(json.dumps(meta))
    names = sorted(arrays)
    for kind, index, dtype, new_name in array_edits:
        key = names[index % len(names)]
        if kind == "add":
            arrays[new_name] = np.zeros((3, 3), np.float32)
        elif key not in arrays:
            continue
        elif kind == "drop":
            del arrays[key]
        elif kind == "reshape":
            arrays[key] = np.zeros(arrays[key].size + 1, arrays[key].dtype)
        elif arrays[key].dtype.kind != "U":
            arrays[key] = arrays[key].astype(dtype)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path = scratch / "content.npz"
    path.write_bytes(buffer.getvalue())
    only_checkpoint_errors(path)


def test_the_unmutated_checkpoint_loads(scratch, valid):
    path = scratch / "valid.npz"
    path.write_bytes(valid[0])
    gan, meta = checkpoint.load_gan(path)
    checkpoint.restore(models.toy(2, hidden=3), path)
    assert meta["iteration"] == 1
