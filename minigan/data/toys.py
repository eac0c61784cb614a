"""The toy data sets: small Gaussian mixtures whose true density is known.

    gaussian-1d   N(4, 0.5²): the setting of the paper's Figure 1 (Goodfellow et al. 2014)
    bimodal-1d    ½·N(−2, 0.5²) + ½·N(2, 0.5²): the smallest case of mode collapse
    ring-2d       8 Gaussians on a circle of radius 2, σ = 0.02 (Metz et al. 2017, Unrolled GAN)
    grid-2d       25 Gaussians at {−4, −2, 0, 2, 4}², σ = 0.05 (Srivastava et al. 2017, VEEGAN)

Each split is drawn from its own stream of `numpy.random.SeedSequence(seed)`, so the same
seed gives the same data, and the labels are the component that drew each sample
(which mode it belongs to).
"""
import itertools
import math

import numpy

from minigan.data.dataset import Dataset
from minigan.data.mixture import Mixture

SIZES = {"train": 20_000, "validation": 2_000, "test": 2_000}


def gaussian_1d():
    return Mixture(means=[[4.0]], sigma=0.5)


def bimodal_1d():
    return Mixture(means=[[-2.0], [2.0]], sigma=0.5, weights=[0.5, 0.5])


def ring_2d(modes=8, radius=2.0, sigma=0.02):
    angles = [2 * math.pi * k / modes for k in range(modes)]
    return Mixture(means=[[radius * math.cos(a), radius * math.sin(a)] for a in angles], sigma=sigma)


def grid_2d(sigma=0.05):
    return Mixture(means=list(itertools.product((-4.0, -2.0, 0.0, 2.0, 4.0), repeat=2)), sigma=sigma)


# Descriptions stay ASCII: they end up in logs and consoles of every encoding.
TOYS = {
    "gaussian-1d": (gaussian_1d, "one Gaussian N(4, 0.5^2), the paper's Figure 1 setting"),
    "bimodal-1d": (bimodal_1d, "0.5 N(-2, 0.5^2) + 0.5 N(2, 0.5^2)"),
    "ring-2d": (ring_2d, "8 Gaussians on a circle of radius 2, sigma 0.02 (Metz et al. 2017)"),
    "grid-2d": (grid_2d, "5x5 Gaussians at {-4,-2,0,2,4}^2, sigma 0.05 (Srivastava et al. 2017)"),
}


def load_toy(name, seed=0):
    """Sample the toy set `name` with `seed`: 20 000 / 2 000 / 2 000 float32 rows."""
    make, description = TOYS[name]
    mixture = make()
    streams = numpy.random.SeedSequence(seed).spawn(len(SIZES))
    splits = {}
    for (split, n), stream in zip(SIZES.items(), streams):
        x, k = mixture.sample(n, numpy.random.default_rng(stream), return_labels=True)
        splits[split], splits[split + "_labels"] = x, k
    return Dataset(name=name, **splits, image_shape=None,
                   source=f"toy: {description}, sampled with seed {seed}",
                   distribution=mixture)
