"""Samples of any dataset as a picture: a grid for images, a histogram (1-D) or scatter (2-D)."""
import numpy

from .. import backend
from .grid import save_grid


def save_samples(samples, path, dataset, title=""):
    samples = backend.to_numpy(samples)
    if dataset.image_shape is not None:
        return save_grid(samples, path, dataset.image_shape)
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(4.5, 4.5) if samples.shape[1] == 2 else (6, 3.2))
    real = dataset.test
    if samples.shape[1] == 1:
        bins = numpy.linspace(min(real.min(), samples.min()), max(real.max(), samples.max()), 80)
        ax.hist(real[:, 0], bins, density=True, alpha=0.5, color="k", label="data")
        ax.hist(samples[:, 0], bins, density=True, alpha=0.5, color="g", label="G(z)")
        ax.legend()
    else:
        ax.scatter(real[:, 0], real[:, 1], s=2, c="k", alpha=0.3, label="data")
        ax.scatter(samples[:, 0], samples[:, 1], s=2, c="g", alpha=0.5, label="G(z)")
        ax.set_aspect("equal"); ax.legend(loc="upper right")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
