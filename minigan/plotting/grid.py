"""A grid of images, tiled into one array and saved as a PNG."""
import numpy

from .. import backend


def image_grid(images, shape=(28, 28), ncols=10, pad=2, pad_value=1.0):
    """Tile (n, h·w) images in [0, 1] into one (rows·(h+pad)+pad, cols·(w+pad)+pad) array."""
    images = numpy.clip(backend.to_numpy(images).reshape(-1, *shape), 0, 1)
    n, (h, w) = len(images), shape
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    grid = numpy.full((nrows * (h + pad) + pad, ncols * (w + pad) + pad), pad_value, numpy.float32)
    for i, img in enumerate(images):
        r, c = divmod(i, ncols)
        grid[pad + r * (h + pad): pad + r * (h + pad) + h, pad + c * (w + pad): pad + c * (w + pad) + w] = img
    return grid


def save_grid(images, path, shape=(28, 28), ncols=10, scale=2):
    """Save images as a grey PNG grid at `scale` pixels per image pixel."""
    import matplotlib.pyplot as plt
    grid = image_grid(images, shape, ncols)
    grid = numpy.kron(grid, numpy.ones((scale, scale), numpy.float32))
    plt.imsave(path, grid, cmap="gray", vmin=0.0, vmax=1.0)
    return path
