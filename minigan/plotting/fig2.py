"""Figure 2 of Goodfellow et al. (2014): samples, and beside each row the nearest training image.

The paper's caption: "Rightmost column shows the nearest training example of the neighboring
sample, in order to demonstrate that the model has not memorized the training set."

Nearest is by Euclidean (L2) distance in pixel space, one matrix product per block of
training images (minigan.metrics.distances; float64, so ties and near-ties are exact
enough to trust), never an (n, N, D) array of differences.
"""
import numpy

from .. import backend
from ..metrics.distances import squared_distances
from .grid import image_grid

HIGHLIGHT = (1.0, 0.78, 0.0)       # the band behind the nearest-neighbour column (amber)


def nearest_neighbours(queries, references, *, block=4096):
    """For each row of `queries` (n, D), the index of its nearest row of `references` (N, D)
    by L2 distance, and the squared distance: (int64 (n,), float64 (n,)).

    Equal distances go to the first such reference, as `argmin` does.
    """
    q = backend.to_numpy(queries).reshape(len(queries), -1).astype(numpy.float64)
    r = backend.to_numpy(references)
    r = r.reshape(len(r), -1)
    if len(r) == 0:
        raise ValueError("nearest_neighbours: no reference rows to search")
    if q.shape[1] != r.shape[1]:
        raise ValueError(f"nearest_neighbours: queries have {q.shape[1]} values per row, "
                         f"references {r.shape[1]}")
    qq = (q * q).sum(axis=1)
    best = numpy.full(len(q), numpy.inf)
    index = numpy.zeros(len(q), dtype=numpy.int64)
    rows = numpy.arange(len(q))
    for start in range(0, len(r), block):
        b = r[start:start + block].astype(numpy.float64)
        sq = squared_distances(q, b, qq)
        j = sq.argmin(axis=1)
        d = sq[rows, j]
        better = d < best                      # strict: an earlier block wins a tie
        best[better], index[better] = d[better], start + j[better]
    return index, numpy.maximum(best, 0.0)


def nearest_grid_array(samples, train_images, shape=(28, 28), ncols=5, pad=2, gap=6):
    """The Figure 2 picture as an RGB float array, and the nearest-neighbour indices.

    Rows of `ncols` samples; after a `gap`, on an amber band, the training image nearest
    to the sample just left of it (the last sample of the row).
    """
    samples = numpy.clip(backend.to_numpy(samples).reshape(len(samples), -1), 0, 1)
    h, w = shape
    if samples.shape[1] != h * w:
        raise ValueError(f"nearest_grid: samples have {samples.shape[1]} values, not {h}×{w}")
    n = len(samples)
    if n == 0:
        raise ValueError("nearest_grid: no samples")
    ncols = max(1, min(int(ncols), n))
    nrows = -(-n // ncols)
    last = numpy.minimum(numpy.arange(nrows) * ncols + ncols - 1, n - 1)   # each row's last sample
    index, _ = nearest_neighbours(samples[last], train_images)
    neighbours = numpy.clip(backend.to_numpy(train_images)[index].reshape(nrows, -1), 0, 1)

    # the samples' grid, a gap, then a one-column grid of the neighbours on the amber band
    left = image_grid(samples, shape, ncols, pad)
    right = image_grid(neighbours, shape, 1, pad)
    cells = image_grid(numpy.ones_like(neighbours), shape, 1, pad, pad_value=0.0) > 0
    band = numpy.where(cells[..., None], right[..., None], numpy.float32(HIGHLIGHT))
    gap_strip = numpy.ones((left.shape[0], gap, 3), numpy.float32)
    out = numpy.concatenate([numpy.repeat(left[..., None], 3, axis=2), gap_strip, band], axis=1)
    return out, index


def nearest_grid(samples, train_images, path, shape=(28, 28), *, ncols=5, scale=2):
    """Figure 2: `ncols` samples per row, then the nearest training image to the row's last
    sample on an amber band. Saved at `scale` screen pixels per image pixel; returns `path`."""
    import matplotlib.pyplot as plt
    picture, _ = nearest_grid_array(samples, train_images, shape, ncols)
    picture = numpy.repeat(numpy.repeat(picture, scale, axis=0), scale, axis=1)
    plt.imsave(path, picture)
    return path
