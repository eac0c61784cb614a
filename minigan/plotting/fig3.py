"""Figure 3 of Goodfellow et al. (2014): "Digits obtained by linearly interpolating between
coordinates in z space of the full model."

Each row walks a straight line in noise space from z₀ to z₁,

    z(t) = (1 − t)·z₀ + t·z₁,   t = 0, 1/(steps−1), …, 1,

and shows G(z(t)): the first image is exactly G(z₀), the last G(z₁). Smooth changes between
the ends say that G maps nearby z to nearby images. The end points z₀, z₁ are drawn from the
prior with their own seed.
"""
import numpy

from .. import backend
from .grid import image_grid


def interpolate(gan, rows=8, steps=10, seed=0):
    """z (rows, steps, d_z) and G(z) (rows, steps, D) along `rows` lines z(t) = (1−t)z₀ + t z₁.

    NumPy arrays; G is run in eval mode (its training mode is restored after).
    """
    if rows < 1 or steps < 2:
        raise ValueError(f"interpolate: need rows ≥ 1 and steps ≥ 2, got {rows}, {steps}")
    rng = backend.rng(seed)
    z0, z1 = gan.noise.sample(rows, rng), gan.noise.sample(rows, rng)
    xp = backend.array_module(z0)
    t = xp.linspace(0.0, 1.0, steps).astype(z0.dtype)[None, :, None]
    z = (1 - t) * z0[:, None, :] + t * z1[:, None, :]
    was_training = gan.G.training
    gan.G.eval()
    try:
        x = gan.sample(z=z.reshape(rows * steps, -1))
    finally:
        if was_training:
            gan.G.train()
    return backend.to_numpy(z), backend.to_numpy(x).reshape(rows, steps, -1)


def interpolation_grid(gan, path, rows=8, steps=10, seed=0, shape=(28, 28), *, scale=2,
                       data=None):
    """Figure 3: one row per pair (z₀, z₁), `steps` images from G(z₀) to G(z₁); returns `path`.

    For image models `shape` folds each sample into a picture. For the 1-D and 2-D toys pass
    shape=None: the paths x = G(z(t)) are drawn instead (over `data`, an (N, d) array, if given).
    """
    import matplotlib.pyplot as plt
    _, x = interpolate(gan, rows, steps, seed)
    if shape is not None:
        grid = image_grid(x.reshape(rows * steps, -1), shape, ncols=steps)
        grid = numpy.kron(grid, numpy.ones((scale, scale), numpy.float32))
        plt.imsave(path, grid, cmap="gray", vmin=0.0, vmax=1.0)
        return path
    dim = x.shape[2]
    if dim not in (1, 2):
        raise ValueError(f"interpolation_grid: samples of {dim} values need an image `shape`")
    fig, ax = plt.subplots(figsize=(5, 4.5) if dim == 2 else (6, 3.5))
    colours = plt.cm.viridis(numpy.linspace(0, 0.9, rows))
    t = numpy.linspace(0, 1, steps)
    if dim == 2:
        if data is not None:
            data = backend.to_numpy(data)
            ax.scatter(data[:, 0], data[:, 1], s=2, c="0.8", label="data")
        for path_x, c in zip(x, colours):
            ax.plot(path_x[:, 0], path_x[:, 1], "-", color=c, lw=1)
            ax.plot(path_x[:, 0], path_x[:, 1], ".", color=c, ms=4)
            ax.plot(*path_x[0], "o", color=c, ms=6)
            ax.plot(*path_x[-1], "s", color=c, ms=6)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁"); ax.set_ylabel("x₂")
    else:
        for path_x, c in zip(x, colours):
            ax.plot(t, path_x[:, 0], ".-", color=c, lw=1)
        ax.set_xlabel("t  (z = (1 − t) z₀ + t z₁)"); ax.set_ylabel("G(z)")
    ends = " (○ = G(z₀), □ = G(z₁))" if dim == 2 else ""
    ax.set_title(f"G along {rows} straight lines in z space{ends}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
