"""Fully connected layer.

    forward:   y = x W + b                  x: (B, n_in)   W: (n_in, n_out)   b: (n_out,)
    backward:  dL/dx = dy Wᵀ
               dL/dW = xᵀ dy                (summed over the batch by the product)
               dL/db = Σ_batch dy

W is stored (n_in, n_out) so that both products run as one BLAS call on contiguous
arrays, with the transposes passed to BLAS as flags rather than copied.
"""
import math

from .. import backend
from .base import Layer

INITS = ("uniform", "glorot")


class Linear(Layer):
    """y = x W + b.

    init="uniform": W ~ U(-scale, scale)  (the paper's released MNIST model: 0.05 for G,
                    0.005 for D);
    init="glorot":  W ~ U(-r, r), r = sqrt(6 / (n_in + n_out))  (Glorot & Bengio, 2010).
    bias: a number or an array of shape (n_out,) for b's initial value.
    """

    def __init__(self, n_in, n_out, *, init="uniform", scale=0.05, bias=0.0, rng=None,
                 dtype="float32"):
        super().__init__()
        if init not in INITS:
            raise ValueError(f"Linear: unknown init {init!r}; choose one of {INITS}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        xp = backend.xp()
        r = scale if init == "uniform" else math.sqrt(6.0 / (n_in + n_out))
        W = backend.rng(rng).uniform(-r, r, size=(self.n_in, self.n_out)).astype(dtype)
        b = xp.empty(self.n_out, dtype=dtype)
        b[...] = xp.asarray(bias, dtype=dtype)
        self._add_param("W", W)
        self._add_param("b", b)

    def forward(self, x):
        self._check_input(x, self.n_in)
        self._cache = x
        y = x @ self.params["W"]
        y += self.params["b"]          # in place: one (B, n_out) array, not two
        return y

    def backward(self, dy, input_grad=True):
        x = self._saved()
        self._check_grad(dy, (x.shape[0], self.n_out))
        if self.requires_grad:
            self._accumulate_grads(x, dy)
        return dy @ self.params["W"].T if input_grad else None

    def _accumulate_grads(self, x, dy):
        """grads += (xᵀ dy, Σ dy); written straight into the buffers after zero_grad()."""
        xp = backend.array_module(x)
        gW, gb = self._grads["W"], self._grads["b"]    # not `grads`: that would clear them
        if self._grads_zero:
            xp.matmul(x.T, dy, out=gW)
            xp.sum(dy, axis=0, out=gb)
        else:
            gW += x.T @ dy
            gb += dy.sum(axis=0)
        self._grads_zero = self._grads_stale = False

    def __repr__(self):
        return f"{type(self).__name__}({self.n_in}→{self.n_out})"
