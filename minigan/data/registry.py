"""`load(name_or_path)`: one call for every data set minigan knows, or a path to your own.

    load("mnist")          the 4 IDX files, cached (downloaded and SHA-256-checked once);
                           offline, falls back to "mnist-5k" with one line on stderr
    load("fashion-mnist")  the same for Fashion-MNIST (no fallback)
    load("mnist-5k")       5 000 MNIST digits bundled in the package (4000/500/500)
    load("ring-2d")        a toy mixture sampled with `seed` (also gaussian-1d,
                           bimodal-1d, grid-2d)
    load("path/to/dir")    a folder of IDX files, or load("file.npz")

MNIST and Fashion-MNIST use the paper's split: train = the first 50 000 training images,
validation = the last 10 000, test = the 10 000 t10k images.
"""
import os
import sys

from minigan.data import local, sources
from minigan.data.download import NotAvailable, cache_root, ensure, shown
from minigan.data.mnist5k import load_mnist5k
from minigan.data.toys import TOYS, load_toy
from minigan.errors import DataError

DATASETS = ("mnist", "mnist-5k", "fashion-mnist") + tuple(TOYS)


def _load_remote(remote_set, cache_dir, download_missing):
    """A named IDX set from the cache, downloading what is missing."""
    paths = ensure(remote_set, cache_dir, download_missing=download_missing)
    folder = os.path.dirname(paths[0])
    return local.from_idx_files(remote_set.name, paths,
                                source=f"{remote_set.credit}, from {shown(folder)}")


def _load_mnist(cache_dir, download_missing):
    """MNIST, or the bundled subset (and one line on stderr) when it cannot be had."""
    try:
        return _load_remote(sources.MNIST, cache_dir, download_missing)
    except NotAvailable as exc:
        folder, why = _why_not(sources.MNIST, cache_dir, exc)
        print(f"minigan: MNIST is not cached in {folder} and {why}; using the bundled "
              f"5,000-image MNIST subset instead.", file=sys.stderr)
        return load_mnist5k(source="bundled mnist-5k subset (offline fallback: MNIST was "
                                   f"not cached in {folder} and {why})")


def _why_not(remote_set, cache_dir, exc):
    """(cache folder for messages, "could not be downloaded (reason)" or "download=False")."""
    folder = shown(os.path.join(cache_root(cache_dir), remote_set.subfolder))
    if exc.reason == "download=False":
        return folder, "download=False"
    return folder, f"could not be downloaded ({exc.reason})"


def _canonical(name):
    """'MNIST' -> 'mnist', 'fashion_mnist' -> 'fashion-mnist'; None when not a known name."""
    key = name.strip().lower().replace("_", "-")
    return key if key in DATASETS else None


def load(name_or_path, *, seed=0, cache_dir=None, download=True):
    """Load a data set by name (see DATASETS) or from a path; returns a `Dataset`.

    A known name wins over a file or folder of the same name; write "./mnist" for the
    folder. `seed` only affects the toy sets (the samples drawn); the image splits are fixed.
    `cache_dir` overrides $MINIGAN_DATA and ~/.cache/minigan; `download=False` never
    touches the network. Raises DataError for an unknown name or a malformed file.
    """
    key = _canonical(name_or_path) if isinstance(name_or_path, str) else None
    if key is None:
        path = os.fspath(name_or_path)
        if os.path.exists(path):
            return local.load_path(path)
        raise DataError(f"unknown data set {path!r} (and no such file or folder); "
                        f"known names: {', '.join(DATASETS)}")
    if key == "mnist":
        return _load_mnist(cache_dir, download)
    if key == "fashion-mnist":
        try:
            return _load_remote(sources.FASHION_MNIST, cache_dir, download)
        except NotAvailable as exc:
            folder, why = _why_not(sources.FASHION_MNIST, cache_dir, exc)
            raise DataError(f"Fashion-MNIST is not cached in {folder} and {why}; there is "
                            f"no offline copy of it") from exc
    if key == "mnist-5k":
        return load_mnist5k()
    return load_toy(key, seed=seed)

