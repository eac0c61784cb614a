"""Stochastic gradient descent with classical momentum (the paper's optimiser).

    v ← μ v − ε g
    θ ← θ + v

ε (lr) and μ (momentum) may be numbers or schedules: lr is called with the number of
steps taken, momentum with the number of epochs done (see minigan.optim.schedules).

max_col_norm (optional, as in the paper's released discriminator): after the update,
every column of a 2-D weight — the incoming weights of one output unit — whose L2 norm
exceeds the bound is rescaled onto it:  W[:, j] ← W[:, j] · min(1, c / ‖W[:, j]‖).
"""
from .. import backend
from .base import Optimizer
from .schedules import as_schedule


class SGD(Optimizer):
    buffers = ("velocity",)

    def __init__(self, lr=0.01, momentum=0.0, *, max_col_norm=None):
        super().__init__()
        self.lr_schedule = as_schedule(lr)
        self.momentum_schedule = as_schedule(momentum)
        self.max_col_norm = max_col_norm

    @property
    def lr(self):
        return self.lr_schedule(self.t)

    @property
    def momentum(self):
        return self.momentum_schedule(self.epoch)

    def _update(self, name, p, g):
        v = self._buffer("velocity", name, p)
        mu, lr = self.momentum, self.lr
        for v_, g_, p_ in pieces(v, g, p):      # the same update, a cache-sized piece at a time
            v_ *= mu                            # v ← μ v − ε g   (in place)
            v_ -= lr * g_
            p_ += v_                            # θ ← θ + v
        if self.max_col_norm is not None and p.ndim == 2:
            constrain_columns(p, self.max_col_norm)


PIECE = 1 << 16     # elements: 256 KiB of float32


def pieces(*arrays, size=PIECE):
    """Matching pieces (views) of `size` elements of same-shaped arrays, in order.

    An update is several passes over each parameter. A parameter of millions of numbers
    does not stay in cache from one pass to the next, so each pass would fetch it from
    memory again; piece by piece, the later passes find the piece still in cache. The
    result is the same, element for element. Small arrays, non-contiguous ones and GPU
    arrays (where one kernel per pass is what is fast) come as a single piece.
    """
    n = arrays[0].size
    if (n <= size or backend.array_module(*arrays).__name__ != "numpy"
            or not all(a.flags.c_contiguous for a in arrays)):
        yield arrays
        return
    flat = [a.reshape(-1) for a in arrays]      # views, since the arrays are contiguous
    for start in range(0, n, size):
        yield tuple(f[start:start + size] for f in flat)


def constrain_columns(W, c):
    """Rescale, in place, the columns of W whose L2 norm exceeds c onto the sphere of radius c."""
    xp = backend.array_module(W)
    norms = xp.sqrt((W * W).sum(axis=0))
    W *= xp.minimum(1, c / xp.maximum(norms, 1e-12)).astype(W.dtype)
