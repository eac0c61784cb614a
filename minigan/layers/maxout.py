"""Maxout (Goodfellow et al., 2013): each unit is the max of several linear pieces.

    forward:   z = x W + b,  viewed as (B, n_units, n_pieces)
               y[n, u] = max_p z[n, u, p]
    backward:  dL/dz[n, u, p] = dy[n, u]  if p = argmax_p z[n, u, p]  else 0
               then the Linear backward for z = x W + b

Ties go to exactly one piece (the first maximum, as argmax picks), so the gradient is
never counted twice. Pieces of a unit sit next to each other in W's columns.

How it is computed (the same maths, arranged for NumPy's speed): a max or argmax over
the last, 5-long axis of a (B, U, 5) array runs one tiny inner loop per unit and costs
more than the matrix product before it. So forward first copies z into piece-major order,
zt[p] = z[:, :, p], one contiguous (B, U) matrix per piece; then

    y         = max_p zt[p]                               (a reduction over long rows)
    winner    = the first p with zt[p] = y
              = P − max_p ( [zt[p] = y] · (P − p) )        (the first tie weighs most)

and backward scatters dy into the winners' slots of a zero dL/dz by flat index,
n·U·P + u·P + winner[n, u], instead of building a (B, U, P) one-hot product.
"""
from .. import backend
from .linear import Linear


class Maxout(Linear):
    """A Linear layer to n_units·n_pieces outputs followed by a max over each unit's pieces."""

    def __init__(self, n_in, n_units, n_pieces, **linear_kwargs):
        self.n_units, self.n_pieces = int(n_units), int(n_pieces)
        super().__init__(n_in, self.n_units * self.n_pieces, **linear_kwargs)

    def forward(self, x):
        xp = backend.array_module(x)
        B, U, P = x.shape[0], self.n_units, self.n_pieces
        z = super().forward(x).reshape(B, U, P)
        zt = xp.ascontiguousarray(z.transpose(2, 0, 1))        # (P, B, U): zt[p] = piece p
        y = zt.max(axis=0)                                      # (B, U)
        is_max = ~(zt < y)              # zt[p] = y (written so that a NaN unit picks piece 0)
        first_weighs_most = xp.arange(P, 0, -1).astype(xp.uint8 if P < 256 else xp.int32)
        winner = P - (is_max * first_weighs_most.reshape(P, 1, 1)).max(axis=0)
        self._winner = winner[..., None]                        # (B, U, 1): argmax_p z[n, u, p]
        return y

    def backward(self, dy, input_grad=True):
        self._saved()
        self._check_grad(dy, self._winner.shape[:2])
        xp = backend.array_module(dy)
        B, U, P = dy.shape[0], self.n_units, self.n_pieces
        dz = xp.zeros(B * U * P, dtype=dy.dtype)
        slots = xp.arange(0, B * U * P, P) + self._winner.reshape(-1)   # n·U·P + u·P + winner
        dz[slots] = dy.reshape(-1)
        return super().backward(dz.reshape(B, U * P), input_grad)

    def __repr__(self):
        return f"Maxout({self.n_in}→{self.n_units}×{self.n_pieces})"
