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
        v *= self.momentum
        v -= self.lr * g
        p += v
        if self.max_col_norm is not None and p.ndim == 2:
            constrain_columns(p, self.max_col_norm)


def constrain_columns(W, c):
    """Rescale, in place, the columns of W whose L2 norm exceeds c onto the sphere of radius c."""
    xp = backend.array_module(W)
    norms = xp.sqrt((W * W).sum(axis=0))
    W *= xp.minimum(1, c / xp.maximum(norms, 1e-12)).astype(W.dtype)
