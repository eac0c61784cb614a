"""Adam (Kingma & Ba, 2015), with its bias correction.

    m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²
    m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)          (t counts from 1)
    θ ← θ − ε m̂ / (√v̂ + δ)
"""
from .. import backend
from .base import Optimizer
from .schedules import as_schedule


class Adam(Optimizer):
    buffers = ("m", "v")

    def __init__(self, lr=2e-4, betas=(0.5, 0.999), eps=1e-8):
        super().__init__()
        self.lr_schedule = as_schedule(lr)
        self.beta1, self.beta2 = map(float, betas)
        self.eps = float(eps)

    @property
    def lr(self):
        return self.lr_schedule(self.t)

    def _update(self, name, p, g):
        xp = backend.array_module(p)
        m, v = self._buffer("m", name, p), self._buffer("v", name, p)
        t = self.t + 1
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * (g * g)
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        p -= self.lr * m_hat / (xp.sqrt(v_hat) + self.eps)
