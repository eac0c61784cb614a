"""Two scalar functions the layers and the losses share, written so they never overflow.

    σ(u)        = 1 / (1 + e^(−u))  = ½ (1 + tanh(u/2))
    softplus(u) = log(1 + eᵘ)       = max(u, 0) + log1p(e^(−|u|))

The right-hand forms are equal to the left-hand ones but take no exponential of a large
positive number, so they are finite and warning-free for any float input.
"""
from . import backend


def sigmoid(u):
    y = backend.array_module(u).tanh(u * 0.5)
    y += 1
    y *= 0.5
    return y


def softplus(u):
    xp = backend.array_module(u)
    return xp.maximum(u, 0) + xp.log1p(xp.exp(-xp.abs(u)))
