"""The GAN losses, each returning (value, gradient with respect to the logits).

D outputs a logit l; D(x) = σ(l). Written in logits, every loss below is a softplus,
softplus(u) = log(1 + eᵘ), computed stably (see minigan.functions).

Binary cross-entropy, target t ∈ [0, 1], mean over the N entries:
    BCE(l, t) = mean[ softplus(l) − t·l ]              dBCE/dl = (σ(l) − t) / N

Discriminator (the paper's released model; the mean over each half):
    L_D = ½ [ BCE(l_real, 1) + BCE(l_fake, 0) ]  = −½ [ mean log D(x) + mean log(1 − D(G(z))) ]
Minimising L_D ascends V(D, G) = E log D(x) + E log(1 − D(G(z))). When D = ½ everywhere,
L_D = log 2 (the sum of the two BCE terms is log 4 ≈ 1.386).

Generator:
    "minimax":         L_G = mean log(1 − D(G(z))) = −mean softplus(l)      dL/dl = −σ(l) / N
    "non_saturating":  L_G = −mean log D(G(z))    =  mean softplus(−l)     dL/dl = (σ(l) − 1) / N
Early in training D rejects fakes, σ(l) ≈ 0, and the minimax gradient vanishes while the
non-saturating one is ≈ −1/N: the paper's reason to train G with the latter.
"""
from . import backend
from .functions import sigmoid, softplus

G_LOSSES = ("non_saturating", "minimax")


def _check_logits(logits, who):
    if not hasattr(logits, "dtype") or logits.dtype.kind != "f":
        raise TypeError(f"{who}: expected floating-point logits, got {getattr(logits, 'dtype', type(logits))}")
    if logits.size == 0:
        raise ValueError(f"{who}: got an empty array of logits")


def bce_with_logits(logits, target):
    """Mean binary cross-entropy of σ(logits) against `target`; returns (value, dL/dlogits)."""
    _check_logits(logits, "bce_with_logits")
    xp = backend.array_module(logits)
    target = xp.broadcast_to(xp.asarray(target, dtype=logits.dtype), logits.shape)
    n = logits.size
    value = (softplus(logits) - target * logits).sum() / n
    grad = (sigmoid(logits) - target) / logits.dtype.type(n)
    return value, grad


def discriminator_loss(real_logits, fake_logits):
    """L_D = ½[BCE(real, 1) + BCE(fake, 0)]; returns (value, (dL/dreal, dL/dfake))."""
    real_value, d_real = bce_with_logits(real_logits, 1.0)
    fake_value, d_fake = bce_with_logits(fake_logits, 0.0)
    return 0.5 * (real_value + fake_value), (0.5 * d_real, 0.5 * d_fake)


def generator_loss(fake_logits, kind="non_saturating"):
    """L_G for `kind` "non_saturating" (−mean log D) or "minimax" (mean log(1 − D))."""
    if kind == "non_saturating":
        return bce_with_logits(fake_logits, 1.0)
    if kind == "minimax":
        value, grad = bce_with_logits(fake_logits, 0.0)
        return -value, -grad
    raise ValueError(f"generator_loss: unknown kind {kind!r}; choose one of {G_LOSSES}")
