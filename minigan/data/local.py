"""Load a data set from a path: a folder of IDX files, or a .npz archive.

A folder must hold the four standard MNIST-style files, raw or gzipped:

    train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte

(the dotted spelling `train-images.idx3-ubyte` that some copies use is accepted too).
The last 1/6 of the training images become the validation split, which for 60 000 images
is the paper's 50 000 / 10 000; the t10k files are the test split.

A .npz archive holds arrays `train` and `test`, optionally `validation` (else the last
1/6 of `train`), and optionally `train_labels`, `validation_labels`, `test_labels`.
Samples are uint8 (divided by 255) or floats already in [0, 1]; an array with NaN/Inf
or values outside [0, 1] raises DataError naming the file and the array.
"""
import os

import numpy

from minigan.data.dataset import Dataset, hold_out, unit_floats
from minigan.data.idx import read_images_and_labels
from minigan.data.sources import IDX_NAMES
from minigan.errors import DataError


def _image_shape(sample_shape):
    """(H, W) for image samples: from 2-D samples, or 784 read as MNIST's 28×28."""
    if len(sample_shape) == 2:
        return tuple(sample_shape)
    if tuple(sample_shape) == (784,):
        return (28, 28)
    return None


def find_idx_files(folder):
    """The four IDX paths in `folder`, in IDX_NAMES order; DataError lists what is missing."""
    found, missing = [], []
    for name in IDX_NAMES:
        dotted = name.replace("-idx", ".idx")
        candidates = [name, name + ".gz", dotted, dotted + ".gz"]
        hits = [os.path.join(folder, c) for c in candidates if os.path.isfile(os.path.join(folder, c))]
        if hits:
            found.append(hits[0])
        else:
            missing.append(name + "[.gz]")
    if missing:
        raise DataError(f"{folder}: missing IDX file(s) {', '.join(missing)}; a data folder "
                        f"needs {', '.join(IDX_NAMES)} (raw or .gz)")
    return found


def from_idx_files(name, paths, source):
    """A Dataset from the four IDX files `paths` (train images, train labels, t10k ...)."""
    train_images_path, train_labels_path, test_images_path, test_labels_path = paths
    images, labels = read_images_and_labels(train_images_path, train_labels_path)
    test_images, test_labels = read_images_and_labels(test_images_path, test_labels_path)
    if images.shape[1:] != test_images.shape[1:]:
        raise DataError(f"image size mismatch: {train_images_path} holds {images.shape[1:]} "
                        f"images but {test_images_path} holds {test_images.shape[1:]}")
    x = unit_floats(images, train_images_path)
    keep = len(x) - hold_out(len(x))
    return Dataset(
        name=name,
        train=x[:keep], validation=x[keep:], test=unit_floats(test_images, test_images_path),
        train_labels=labels[:keep], validation_labels=labels[keep:], test_labels=test_labels,
        image_shape=_image_shape(images.shape[1:]), source=source)


def load_folder(folder):
    """A Dataset from a folder of the four standard IDX files."""
    folder = os.path.abspath(os.fspath(folder))
    name = os.path.basename(folder.rstrip(os.sep)) or folder
    return from_idx_files(name, find_idx_files(folder), source=f"IDX files in {folder}")


def _npz_arrays(path):
    """The arrays of a .npz file as a dict; a broken archive raises DataError."""
    with open(path, "rb"):  # FileNotFoundError / PermissionError escape as they are
        pass
    try:
        with numpy.load(path, allow_pickle=False) as archive:
            if not isinstance(archive, numpy.lib.npyio.NpzFile):
                raise DataError(f"{path}: not a .npz archive (it holds a single array)")
            return {key: archive[key] for key in archive.files}
    except DataError:
        raise
    except Exception as exc:  # zipfile.BadZipFile, zlib.error, ValueError, EOFError, ...
        raise DataError(f"{path}: not a readable .npz archive ({type(exc).__name__}: {exc})") from None


def load_npz(path):
    """A Dataset from a .npz file with arrays train, test [, validation] [, *_labels]."""
    path = os.path.abspath(os.fspath(path))
    arrays = _npz_arrays(path)
    for required in ("train", "test"):
        if required not in arrays:
            raise DataError(f"{path}: no array {required!r} (found {sorted(arrays)}); a data "
                            f".npz needs 'train' and 'test', optionally 'validation' and "
                            f"'*_labels'")
    splits = {s: unit_floats(arrays[s], f"{path}: array {s!r}")
              for s in ("train", "validation", "test") if s in arrays}
    labels = {}
    for s in splits:
        if s + "_labels" in arrays:
            y = numpy.asarray(arrays[s + "_labels"])
            if y.dtype.kind not in "iu" or y.ndim != 1 or len(y) != len(splits[s]):
                raise DataError(f"{path}: array '{s}_labels' must be {len(splits[s])} integers "
                                f"(one per row of {s!r}), got dtype {y.dtype} shape {y.shape}")
            labels[s] = y
    if "validation" not in splits:
        keep = len(splits["train"]) - hold_out(len(splits["train"]))
        splits["train"], splits["validation"] = splits["train"][:keep], splits["train"][keep:]
        if "train" in labels:
            labels["train"], labels["validation"] = labels["train"][:keep], labels["train"][keep:]
    widths = {s: x.shape[1] for s, x in splits.items()}
    if len(set(widths.values())) != 1:
        raise DataError(f"{path}: the splits have different sample sizes {widths}")
    name = os.path.splitext(os.path.basename(path))[0]
    sample_shape = numpy.shape(arrays["train"])[1:]
    return Dataset(
        name=name, **splits,
        **{s + "_labels": y for s, y in labels.items()},
        image_shape=_image_shape(sample_shape), source=f"arrays in {path}")


def load_path(path):
    """Load a folder of IDX files or a .npz file; anything else raises DataError."""
    path = os.fspath(path)
    if os.path.isdir(path):
        return load_folder(path)
    if path.endswith(".npz"):
        return load_npz(path)
    raise DataError(f"{path}: cannot load this file; give a folder of IDX files or a .npz "
                    f"archive (arrays train, test [, validation])")
