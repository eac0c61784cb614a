"""Elementwise activations. Each keeps its output (or input) for backward; none has parameters.

    ReLU        y = max(x, 0)               dx = dy · [x > 0]
    LeakyReLU   y = x if x > 0 else αx      dx = dy · (1 if x > 0 else α)
    Sigmoid     y = 1 / (1 + e^(−x))        dx = dy · y (1 − y)
    Tanh        y = tanh x                  dx = dy · (1 − y²)

Sigmoid is computed as ½(1 + tanh(x/2)), the same function written so that no
exponential can overflow: it stays finite and warning-free for any float input.
At the kink x = 0, ReLU and LeakyReLU take the left-hand slope (0 and α), the usual
choice of subgradient; gradient checks keep their inputs away from the kink.
"""
from .. import backend
from ..functions import sigmoid
from .base import Layer


class _Elementwise(Layer):
    """Shared plumbing: check the input, keep one array for backward, check dy's shape."""

    def forward(self, x):
        self._check_input(x)
        y, keep = self._forward(x)
        self._cache = keep
        return y

    def backward(self, dy, input_grad=True):
        keep = self._saved()
        self._check_grad(dy, keep.shape)
        return self._backward(dy, keep)


class ReLU(_Elementwise):
    def _forward(self, x):
        y = backend.array_module(x).maximum(x, 0)
        return y, y

    def _backward(self, dy, y):
        return dy * (y > 0)


class LeakyReLU(_Elementwise):
    def __init__(self, alpha=0.2):
        super().__init__()
        self.alpha = float(alpha)

    def _forward(self, x):
        return backend.array_module(x).where(x > 0, x, self.alpha * x), x

    def _backward(self, dy, x):
        return dy * backend.array_module(x).where(x > 0, 1.0, self.alpha).astype(dy.dtype)

    def __repr__(self):
        return f"LeakyReLU({self.alpha})"


class Sigmoid(_Elementwise):
    def _forward(self, x):
        y = sigmoid(x)
        return y, y

    def _backward(self, dy, y):
        dx = 1 - y                      # dy · y (1 − y), in one array
        dx *= y
        dx *= dy
        return dx


class Tanh(_Elementwise):
    def _forward(self, x):
        y = backend.array_module(x).tanh(x)
        return y, y

    def _backward(self, dy, y):
        dx = y * y                      # dy · (1 − y²), in one array
        backend.array_module(y).subtract(1, dx, out=dx)
        dx *= dy
        return dx
