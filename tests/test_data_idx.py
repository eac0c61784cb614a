"""IDX reading and writing: round trips, and a clear DataError for every malformed file."""
import gzip

import numpy as np
import pytest

from minigan.data.idx import parse_idx, read_idx, read_images_and_labels, write_idx
from minigan.errors import DataError


def _images(n=5, h=4, w=3, seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=(n, h, w), dtype=np.uint8)


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip_uint8(tmp_path, suffix):
    x = _images()
    path = tmp_path / ("images-idx3-ubyte" + suffix)
    write_idx(path, x)
    raw = path.read_bytes()
    assert (raw[:2] == b"\x1f\x8b") == (suffix == ".gz")
    y = read_idx(path)
    assert y.dtype == np.uint8 and y.shape == x.shape
    np.testing.assert_array_equal(y, x)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.float32, np.float64])
def test_round_trip_other_dtypes(tmp_path, dtype):
    x = (np.arange(24).reshape(2, 3, 4) - 7).astype(dtype)
    write_idx(tmp_path / "a.idx", x)
    y = read_idx(tmp_path / "a.idx")
    assert y.dtype == np.dtype(dtype) and y.dtype.isnative
    np.testing.assert_array_equal(y, x)


def test_header_is_the_documented_layout(tmp_path):
    write_idx(tmp_path / "l", np.array([1, 2, 3], dtype=np.uint8))
    assert (tmp_path / "l").read_bytes() == bytes([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3])


def test_gzip_detected_by_content_not_name(tmp_path):
    x = _images()
    write_idx(tmp_path / "no-suffix", x, compress=True)
    np.testing.assert_array_equal(read_idx(tmp_path / "no-suffix"), x)


def _valid_bytes(x=None):
    x = _images() if x is None else x
    header = bytes([0, 0, 8, x.ndim]) + b"".join(n.to_bytes(4, "big") for n in x.shape)
    return header + x.tobytes()


def _write(path, data, gz):
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_bad_magic(tmp_path, gz):
    data = bytearray(_valid_bytes())
    data[0] = 0x12
    path = _write(tmp_path / "bad-magic", bytes(data), gz)
    with pytest.raises(DataError, match="bad magic") as err:
        read_idx(path)
    assert str(path) in str(err.value)


def test_unknown_type_code_is_bad_magic(tmp_path):
    data = bytearray(_valid_bytes())
    data[2] = 0x07
    path = _write(tmp_path / "bad-type", bytes(data), False)
    with pytest.raises(DataError, match="bad magic.*bad-type|bad-type.*bad magic"):
        read_idx(path)


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_data(tmp_path, gz):
    path = _write(tmp_path / "short", _valid_bytes()[:-7], gz)
    with pytest.raises(DataError, match="truncated data") as err:
        read_idx(path)
    assert str(path) in str(err.value)


def test_truncated_header(tmp_path):
    path = _write(tmp_path / "stub", _valid_bytes()[:9], False)  # 3 dims need 16 bytes
    with pytest.raises(DataError, match="truncated header.*16 bytes"):
        read_idx(path)
    path = _write(tmp_path / "tiny", b"\x00\x00", False)
    with pytest.raises(DataError, match="truncated header"):
        read_idx(path)


@pytest.mark.parametrize("gz", [False, True])
def test_trailing_bytes(tmp_path, gz):
    path = _write(tmp_path / "long", _valid_bytes() + b"\x00\x01\x02", gz)
    with pytest.raises(DataError, match="3 trailing bytes") as err:
        read_idx(path)
    assert str(path) in str(err.value)


def test_gz_name_without_gzip_content(tmp_path):
    path = _write(tmp_path / "x-idx3-ubyte.gz", _valid_bytes(), False)
    with pytest.raises(DataError, match="not gzip"):
        read_idx(path)


def test_corrupt_gzip(tmp_path):
    data = bytearray(gzip.compress(_valid_bytes()))
    data[len(data) // 2] ^= 0xFF
    data = bytes(data[:-3])
    path = _write(tmp_path / "corrupt.gz", data, False)
    with pytest.raises(DataError, match="corrupt gzip") as err:
        read_idx(path)
    assert str(path) in str(err.value)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nope")


def test_mismatched_image_and_label_counts(tmp_path):
    images, labels = tmp_path / "imgs-idx3-ubyte.gz", tmp_path / "lbls-idx1-ubyte.gz"
    write_idx(images, _images(n=5))
    write_idx(labels, np.zeros(4, dtype=np.uint8))
    with pytest.raises(DataError, match="mismatch") as err:
        read_images_and_labels(images, labels)
    message = str(err.value)
    assert str(images) in message and str(labels) in message and "5" in message and "4" in message


def test_pair_checks_ranks(tmp_path):
    write_idx(tmp_path / "i", _images(n=3))
    write_idx(tmp_path / "l", np.zeros((3, 2), dtype=np.uint8))
    with pytest.raises(DataError, match="labels of shape"):
        read_images_and_labels(tmp_path / "i", tmp_path / "l")


def test_write_rejects_unsupported_dtype(tmp_path):
    with pytest.raises(DataError, match="cannot hold dtype"):
        write_idx(tmp_path / "b", np.zeros(3, dtype=bool))
    assert not list(tmp_path.iterdir())


def test_parse_huge_claimed_shape_is_truncated_not_memory_error():
    header = bytes([0, 0, 8, 3]) + (2**32 - 1).to_bytes(4, "big") * 3
    with pytest.raises(DataError, match="truncated data"):
        parse_idx(header + b"\x00" * 10, name="huge")


def test_empty_array_with_unindexable_shape():
    # Found by the fuzzer: zero elements, yet 2**72 bytes if the zero were ignored.
    header = bytes([0, 0, 8, 4]) + (0).to_bytes(4, "big") + (2**24).to_bytes(4, "big") * 3
    with pytest.raises(DataError, match="impossible shape"):
        parse_idx(header, name="empty-but-huge")
