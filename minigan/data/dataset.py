"""The `Dataset` every loader returns, and the one rule for turning pixels into it.

A data set is three splits of flat float32 rows: `train` (what the GAN learns from),
`validation` (what picks hyper-parameters such as the Parzen σ) and `test` (what is
reported). Images are flattened, 28×28 -> 784, with values in [0, 1]; `image_shape`
says how to fold a row back into a picture.
"""
from dataclasses import dataclass

import numpy

from minigan.errors import DataError

SPLITS = ("train", "validation", "test")


def unit_floats(array, where):
    """`array` as float32 rows in [0, 1]: uint8 is divided by 255, floats are checked.

    `where` names the array in error messages, e.g. "data.npz: array 'train'".
    Floats must be finite and lie in [0, 1]; anything else raises DataError.
    """
    array = numpy.asarray(array)
    if array.ndim == 0:
        raise DataError(f"{where}: expected an array of samples, got a scalar")
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    rows = array.reshape(len(array), -1)
    if rows.dtype == numpy.uint8:
        return numpy.ascontiguousarray(rows, dtype=numpy.float32) / numpy.float32(255)
    if rows.dtype.kind != "f":
        raise DataError(f"{where}: unsupported dtype {rows.dtype}; expected uint8 pixels "
                        f"(0..255) or floats in [0, 1]")
    if rows.size and not numpy.isfinite(rows).all():
        bad = int(rows.size - numpy.isfinite(rows).sum())
        raise DataError(f"{where} contains NaN/Inf ({bad} of {rows.size} values)")
    if rows.size and (rows.min() < 0 or rows.max() > 1):
        raise DataError(f"{where}: values must lie in [0, 1], found min {rows.min():g} "
                        f"and max {rows.max():g}")
    return numpy.ascontiguousarray(rows, dtype=numpy.float32)


def hold_out(n):
    """How many of `n` training rows become validation: the last n // 6.

    For MNIST's 60 000 training images that is the paper's split, 50 000 / 10 000.
    """
    return n // 6


@dataclass(repr=False)
class Dataset:
    """Train / validation / test splits as float32 (N, D) arrays, plus what they are.

    `*_labels` are int64 (N,) arrays or None (for the toy sets they are the index of the
    mixture component that drew each sample). `image_shape` is (28, 28) for image sets,
    None for toys; `distribution` is the toy's true density (a `Mixture`), None for
    images; `source` is one human line saying where the data came from.
    """
    name: str
    train: numpy.ndarray
    validation: numpy.ndarray
    test: numpy.ndarray
    train_labels: numpy.ndarray = None
    validation_labels: numpy.ndarray = None
    test_labels: numpy.ndarray = None
    image_shape: tuple = None
    source: str = ""
    distribution: object = None

    def __post_init__(self):
        dims = set()
        for split in SPLITS:
            x = numpy.ascontiguousarray(getattr(self, split), dtype=numpy.float32)
            if x.ndim != 2:
                raise DataError(f"{self.name}: {split} must be (N, D), got shape {x.shape}")
            dims.add(x.shape[1])
            setattr(self, split, x)
            labels = getattr(self, split + "_labels")
            if labels is not None:
                labels = numpy.ascontiguousarray(labels, dtype=numpy.int64).reshape(-1)
                if len(labels) != len(x):
                    raise DataError(f"{self.name}: {split} has {len(x)} rows but "
                                    f"{len(labels)} labels")
                setattr(self, split + "_labels", labels)
        if len(dims) != 1:
            raise DataError(f"{self.name}: the splits have different widths {sorted(dims)}")
        if self.image_shape is not None:
            self.image_shape = tuple(int(n) for n in self.image_shape)
            if int(numpy.prod(self.image_shape)) != self.dim:
                raise DataError(f"{self.name}: image_shape {self.image_shape} does not hold "
                                f"{self.dim} values per sample")

    @property
    def dim(self):
        """D, the length of one sample (784 for MNIST)."""
        return self.train.shape[1]

    def pixel_means(self):
        """The mean of each column of `train`, float32 (D,): G's output-bias init uses it."""
        return self.train.mean(axis=0, dtype=numpy.float64).astype(numpy.float32)

    def __repr__(self):
        sizes = ", ".join(f"{s} {len(getattr(self, s))}" for s in SPLITS)
        labels = "with labels" if self.train_labels is not None else "no labels"
        return f"Dataset({self.name!r}: {sizes}; D={self.dim}; {labels}; {self.source})"

