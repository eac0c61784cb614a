"""Maxout (Goodfellow et al., 2013): each unit is the max of several linear pieces.

    forward:   z = x W + b,  viewed as (B, n_units, n_pieces)
               y[n, u] = max_p z[n, u, p]
    backward:  dL/dz[n, u, p] = dy[n, u]  if p = argmax_p z[n, u, p]  else 0
               then the Linear backward for z = x W + b

Ties go to exactly one piece (the first maximum, as argmax picks), so the gradient is
never counted twice. Pieces of a unit sit next to each other in W's columns.
"""
from .. import backend
from .linear import Linear


class Maxout(Linear):
    """A Linear layer to n_units·n_pieces outputs followed by a max over each unit's pieces."""

    def __init__(self, n_in, n_units, n_pieces, **linear_kwargs):
        self.n_units, self.n_pieces = int(n_units), int(n_pieces)
        super().__init__(n_in, self.n_units * self.n_pieces, **linear_kwargs)

    def forward(self, x):
        z = super().forward(x).reshape(x.shape[0], self.n_units, self.n_pieces)
        winner = z.argmax(axis=2)[..., None]                   # (B, U, 1)
        self._winner = winner
        return backend.array_module(z).take_along_axis(z, winner, axis=2)[..., 0]

    def backward(self, dy, input_grad=True):
        self._saved()
        self._check_grad(dy, self._winner.shape[:2])
        xp = backend.array_module(dy)
        routes = xp.arange(self.n_pieces) == self._winner       # (B, U, P) one-hot
        dz = routes * dy[..., None]
        return super().backward(dz.reshape(dy.shape[0], self.n_out), input_grad)

    def __repr__(self):
        return f"Maxout({self.n_in}→{self.n_units}×{self.n_pieces})"
