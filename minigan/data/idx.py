"""Read and write IDX files, the simple binary format MNIST and Fashion-MNIST ship in.

An IDX file is a 4-byte magic number, one big-endian uint32 per dimension, then the
values in C order (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS FOR THE MNIST
DATABASE"):

    byte 0, 1   always 0
    byte 2      type code: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
                0x0D float32, 0x0E float64 (all big-endian)
    byte 3      number of dimensions, ndim
    4 * ndim    the size of each dimension, big-endian uint32
    the rest    prod(sizes) values

The files are usually gzip-compressed; `read_idx` recognises gzip by its own magic
bytes (1f 8b), so `foo-idx3-ubyte` and `foo-idx3-ubyte.gz` both work.

Every way a file can be malformed (not gzip, bad magic, truncated header or data,
trailing bytes) raises `DataError` with the file's name and what was wrong; only
`OSError` (missing file, no permission) escapes otherwise.
"""
import gzip
import os
import zlib

import numpy

from minigan.errors import DataError
from minigan.fileio import atomic_write

GZIP_MAGIC = b"\x1f\x8b"

# IDX type code -> big-endian NumPy dtype.
IDX_DTYPES = {
    0x08: numpy.dtype(">u1"),
    0x09: numpy.dtype(">i1"),
    0x0B: numpy.dtype(">i2"),
    0x0C: numpy.dtype(">i4"),
    0x0D: numpy.dtype(">f4"),
    0x0E: numpy.dtype(">f8"),
}


def _code_for(dtype):
    """The IDX type code for a NumPy dtype (byte order ignored)."""
    for code, idx_dtype in IDX_DTYPES.items():
        if idx_dtype.kind == dtype.kind and idx_dtype.itemsize == dtype.itemsize:
            return code
    raise DataError(f"IDX files cannot hold dtype {dtype}; use one of "
                    f"{sorted(str(d.newbyteorder('=')) for d in IDX_DTYPES.values())}")


def _read_bytes(path):
    """The file's contents, gunzipped when it starts with the gzip magic bytes."""
    with open(path, "rb") as f:  # OSError / FileNotFoundError escape on purpose
        raw = f.read()
    if raw[:2] == GZIP_MAGIC:
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
            raise DataError(f"{path}: corrupt gzip data ({exc})") from None
    if str(path).endswith(".gz"):
        raise DataError(f"{path}: not gzip-compressed (the name ends in .gz but the file "
                        f"does not start with the gzip bytes 1f 8b)")
    return raw


def parse_idx(data, name="<bytes>"):
    """Decode the bytes of an (uncompressed) IDX file into a native-endian array."""
    if len(data) < 4:
        raise DataError(f"{name}: truncated header: {len(data)} bytes, an IDX file "
                        f"starts with a 4-byte magic number")
    zero0, zero1, code, ndim = data[0], data[1], data[2], data[3]
    if zero0 != 0 or zero1 != 0 or code not in IDX_DTYPES or ndim == 0:
        raise DataError(f"{name}: bad magic number {data[:4].hex(' ')} (expected 00 00, a "
                        f"type code in {[hex(c) for c in IDX_DTYPES]} and ndim >= 1); "
                        f"is this an IDX file?")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError(f"{name}: truncated header: {ndim} dimensions need {header} bytes, "
                        f"the file has {len(data)}")
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = IDX_DTYPES[code]
    count = 1
    for size in shape:  # Python ints: no overflow, however absurd the header
        count *= size
    expected, found = count * dtype.itemsize, len(data) - header
    if found < expected:
        raise DataError(f"{name}: truncated data: shape {shape} needs {expected} bytes "
                        f"after the header, found only {found}")
    if found > expected:
        raise DataError(f"{name}: {found - expected} trailing bytes after the {expected} "
                        f"bytes of data that shape {shape} needs")
    values = numpy.frombuffer(data, dtype=dtype, count=count, offset=header)
    try:  # an empty array can still claim dimensions whose product NumPy cannot index
        return values.astype(dtype.newbyteorder("="), copy=True).reshape(shape)
    except ValueError as exc:
        raise DataError(f"{name}: impossible shape {shape} ({exc})") from None


def read_idx(path):
    """Read an IDX file (raw or gzip) into a NumPy array of its shape and dtype."""
    path = os.fspath(path)
    return parse_idx(_read_bytes(path), name=path)


def read_images_and_labels(images_path, labels_path):
    """Read an image file (N, H, W) and its label file (N,), checking they agree."""
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim < 2:
        raise DataError(f"{images_path}: expected images of shape (N, H, W), got {images.shape}")
    if labels.ndim != 1:
        raise DataError(f"{labels_path}: expected labels of shape (N,), got {labels.shape}")
    if len(images) != len(labels):
        raise DataError(f"image/label count mismatch: {images_path} has {len(images)} "
                        f"images but {labels_path} has {len(labels)} labels")
    return images, labels


def write_idx(path, array, *, compress=None):
    """Write `array` as an IDX file; gzip it when `compress` is True (default: name ends .gz)."""
    path = os.fspath(path)
    array = numpy.asarray(array)
    code = _code_for(array.dtype)
    if array.ndim == 0 or array.ndim > 255:
        raise DataError(f"IDX files hold arrays with 1 to 255 dimensions, not {array.ndim}")
    header = bytes([0, 0, code, array.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    payload = header + numpy.ascontiguousarray(array, dtype=IDX_DTYPES[code]).tobytes()
    if compress is None:
        compress = path.endswith(".gz")
    if compress:
        payload = gzip.compress(payload, mtime=0)
    with atomic_write(path) as f:
        f.write(payload)
