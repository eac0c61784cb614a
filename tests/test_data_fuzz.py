"""Fuzzing the readers: whatever bytes they are given, they return or raise DataError.

Never IndexError, struct.error, zlib.error, EOFError, MemoryError or a hang.
Set MINIGAN_FUZZ_EXAMPLES (default 200) for a longer run.
"""
import gzip
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minigan.data.idx import read_idx
from minigan.data.local import load_npz
from minigan.errors import DataError

EXAMPLES = int(os.environ.get("MINIGAN_FUZZ_EXAMPLES", 200))
FUZZ = settings(max_examples=EXAMPLES, deadline=2000)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _valid_idx(shape, seed):
    x = np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)
    header = bytes([0, 0, 8, len(shape)]) + b"".join(n.to_bytes(4, "big") for n in shape)
    return header + x.tobytes()


def _read_only_data_errors(path, data):
    path.write_bytes(data)
    try:
        result = read_idx(path)
    except DataError:
        return
    assert isinstance(result, np.ndarray)


@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes(scratch, data):
    _read_only_data_errors(scratch / "random", data)


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_behind_gzip_magic(scratch, data):
    _read_only_data_errors(scratch / "random.gz", b"\x1f\x8b" + data)


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("append"), st.binary(min_size=1, max_size=40), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.integers(0, 255)),
)


def _mutate(data, mutations):
    data = bytearray(data)
    for kind, a, b in mutations:
        if kind == "append":
            data += a
        elif not data:
            continue
        elif kind == "flip":
            data[a % len(data)] ^= b
        elif kind == "truncate":
            del data[a % len(data):]
        else:
            data.insert(a % (len(data) + 1), b)
    return bytes(data)


@FUZZ
@given(
    shape=st.lists(st.integers(0, 5), min_size=1, max_size=4),
    mutations=st.lists(mutation, min_size=1, max_size=4),
    layer=st.sampled_from(["raw", "gzip-then-mutate", "mutate-then-gzip"]),
)
def test_mutated_valid_files(scratch, shape, mutations, layer):
    data = _valid_idx(tuple(shape), seed=len(mutations))
    if layer == "raw":
        data = _mutate(data, mutations)
    elif layer == "gzip-then-mutate":
        data = _mutate(gzip.compress(data, mtime=0), mutations)
    else:
        data = gzip.compress(_mutate(data, mutations), mtime=0)
    _read_only_data_errors(scratch / f"mutated-{layer}", data)


@settings(max_examples=max(1, EXAMPLES // 3), deadline=2000)
@given(data=st.binary(max_size=400), zip_magic=st.booleans())
def test_npz_reader_random_bytes(scratch, data, zip_magic):
    path = scratch / "random.npz"
    path.write_bytes((b"PK\x03\x04" if zip_magic else b"") + data)
    with pytest.raises(DataError):
        load_npz(path)
