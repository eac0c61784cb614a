"""Inverted dropout (Srivastava et al., 2014).

    training:  m ~ Bernoulli(keep) elementwise,   y = x · m / keep,   dx = dy · m / keep
    eval:      y = x,                             dx = dy

Scaling by 1/keep at training time keeps E[y] = x, so nothing changes at eval time.
The mask comes from the layer's own seeded generator, so runs are reproducible, and the
same mask is used by backward. ``hold_mask`` (set by ``held_masks``) makes forward reuse
the last mask: a gradient check perturbs the input and must see the same network.
"""
import contextlib

from .. import backend
from .base import Layer


class Dropout(Layer):
    def __init__(self, keep=0.5, rng=None):
        super().__init__()
        if not 0.0 < keep <= 1.0:
            raise ValueError(f"Dropout: keep must be in (0, 1], got {keep}")
        self.keep = float(keep)
        self.rng = backend.rng(rng)
        self.hold_mask = False

    def forward(self, x):
        self._check_input(x)
        if not self.training:
            self._cache = None, x.shape
            return x
        mask = self._cache[0] if self.hold_mask and self._cache is not None else None
        if mask is None or mask.shape != x.shape:
            # the scaled mask m / keep, in x's dtype (float32 stays float32), built in the
            # buffer of the uniform draws u ~ U[0, 1): no other array is made
            mask = self.rng.random(x.shape, dtype=x.dtype)
            backend.array_module(x).less(mask, self.keep, out=mask)    # m = [u < keep], 0 or 1
            mask *= x.dtype.type(1.0 / self.keep)
        self._cache = mask, x.shape
        return x * mask

    def backward(self, dy, input_grad=True):
        mask, shape = self._saved()
        self._check_grad(dy, shape)
        return dy if mask is None else dy * mask

    def __repr__(self):
        return f"Dropout(keep={self.keep})"


@contextlib.contextmanager
def held_masks(*layers):
    """Within the block, every Dropout inside `layers` reuses its last mask."""
    drops = [m for layer in layers for m in layer.modules() if isinstance(m, Dropout)]
    for d in drops:
        d.hold_mask = True
    try:
        yield
    finally:
        for d in drops:
            d.hold_mask = False
