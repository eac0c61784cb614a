"""Data for minigan: MNIST and Fashion-MNIST (IDX), a bundled MNIST subset, toy mixtures.

    from minigan.data import load
    data = load("mnist")            # Dataset: data.train (50000, 784) float32 in [0, 1]
    data = load("ring-2d", seed=1)  # data.distribution is the true density (a Mixture)

Modules, one idea each:
    registry.py   load(name_or_path) and DATASETS
    dataset.py    the Dataset container and the uint8 -> [0, 1] float32 rule
    idx.py        read_idx / write_idx for the IDX format
    sources.py    mirrors and SHA-256 of the MNIST / Fashion-MNIST files
    download.py   the cache folder and verified, atomic downloads
    local.py      a folder of IDX files or a .npz archive
    mnist5k.py    the bundled 5 000-digit subset (offline fallback)
    mixture.py    Gaussian mixtures: sample, pdf, logpdf, support
    toys.py       the toy sets built from mixtures
"""
from minigan.data.dataset import Dataset
from minigan.data.mixture import Mixture
from minigan.data.registry import DATASETS, load

__all__ = ["load", "Dataset", "Mixture", "DATASETS"]
