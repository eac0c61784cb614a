"""The whole gradient-check suite that `minigan gradcheck` runs: every layer kind, every loss,
the discriminator step and the generator step through a frozen D, on the paper's MNIST
architecture at narrower widths (same layer kinds, dropout and losses; 1200 → 24, 240×5 → 6×5).

The networks here use Glorot-initialised weights rather than the paper's tiny ranges
(0.005 for D): with those, dL/dθ is ~1e-6 of the loss and no float64 finite difference
could resolve it; the backward code being checked is the same either way.
"""
from functools import partial

from .. import backend
from ..layers import Dropout, LeakyReLU, Linear, Maxout, ReLU, Sequential, Sigmoid, Tanh
from ..losses import bce_with_logits, discriminator_loss, generator_loss
from .core import check, check_generator_chain, check_layer, check_loss


def small_paper_mnist(seed=0, noise_dim=10, hidden=24, n_pixels=16, units=6, pieces=5):
    """G and D of the paper's shapes, narrower. Biases are random so that no two maxout
    pieces tie exactly when dropout zeroes a row's whole input (a kink, not a bug)."""
    r = backend.spawn(backend.rng(seed), 10)
    bias = lambda n: r[9].uniform(-0.5, 0.5, size=n)          # noqa: E731
    glorot = lambda n_in, n_out, i: dict(init="glorot", bias=bias(n_out), rng=r[i])  # noqa: E731
    G = Sequential([Linear(noise_dim, hidden, **glorot(noise_dim, hidden, 0)), ReLU(),
                    Linear(hidden, hidden, **glorot(hidden, hidden, 1)), ReLU(),
                    Linear(hidden, n_pixels, **glorot(hidden, n_pixels, 2)), Sigmoid()])
    D = Sequential([Dropout(0.8, rng=r[3]), Maxout(n_pixels, units, pieces, **glorot(n_pixels, units * pieces, 4)),
                    Dropout(0.5, rng=r[5]), Maxout(units, units, pieces, **glorot(units, units * pieces, 6)),
                    Dropout(0.5, rng=r[7]), Linear(units, 1, **glorot(units, 1, 8))])
    return G, D


def run_suite(seed=0):
    """Yield one Report per check."""
    xp = backend.xp()
    g = backend.rng(seed)
    x = lambda *shape: g.uniform(-2, 2, size=shape)            # noqa: E731
    away = lambda a: xp.where(xp.abs(a) < 0.05, 0.5, a)        # noqa: E731  keep off kinks
    yield check_layer(Linear(7, 5, init="glorot", rng=1), x(4, 7))
    yield check_layer(Maxout(7, 3, 4, init="glorot", rng=2), x(4, 7))
    for layer in (ReLU(), LeakyReLU(0.2), Sigmoid(), Tanh()):
        yield check_layer(layer, away(x(4, 6)))
    yield check_layer(Dropout(0.5, rng=3), x(4, 6))
    yield check_layer(Dropout(0.5, rng=3).eval(), x(4, 6))
    logits = lambda: x(8, 1) * 2                                 # noqa: E731
    yield check_loss(partial(bce_with_logits, target=0.3), {"logits": logits()})
    yield check_loss(discriminator_loss, {"real_logits": logits(), "fake_logits": logits()})
    for kind in ("non_saturating", "minimax"):
        yield check_loss(partial(generator_loss, kind=kind), {"fake_logits": logits()},
                         title=f"gradcheck generator_loss ({kind})")
    G, D = small_paper_mnist(seed)
    yield check_layer(D, g.uniform(0, 1, size=(6, 16)))
    z = g.uniform(-3 ** 0.5, 3 ** 0.5, size=(6, 10))
    for kind in ("non_saturating", "minimax"):
        report = check_generator_chain(G, D, z, partial(generator_loss, kind=kind))
        report.title += f" ({kind}; the G step)"
        yield report
    yield _discriminator_step(D, g.uniform(0, 1, size=(5, 16)), g.uniform(0, 1, size=(5, 16)))


def _discriminator_step(D, real, fake):
    """The D step: [x; G(z)] → D → L_D, gradients into every D parameter."""
    from .core import _float64
    D, real, fake = _float64(D, real, fake)
    xp = backend.array_module(real)
    both = xp.concatenate([real, fake])

    def forward():
        logits = D.forward(both)
        return discriminator_loss(logits[:len(real)], logits[len(real):])[0]

    def backward(R):
        D.zero_grad()
        logits = D.forward(both)
        _, (d_real, d_fake) = discriminator_loss(logits[:len(real)], logits[len(real):])
        D.backward(xp.concatenate([d_real, d_fake]) * R)
        return dict(D.grads)

    from ..layers import held_masks
    with held_masks(D):
        return check(forward, backward, dict(D.params), title="gradcheck [x; G(z)] → D → L_D (the D step)")
