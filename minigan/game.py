"""Why gradient play need not converge: the bilinear game v(a, b) = a·b.

Player a minimises v, player b maximises it; the only equilibrium is (0, 0). Both take
gradient steps of size η, with ∂v/∂a = b and ∂v/∂b = a:

    simultaneous:  a' = a − η·b,       b' = b + η·a
    alternating:   a' = a − η·b,       b' = b + η·a'      (b sees a's new move, as D and G do
                                                            in Algorithm 1)

Simultaneous play is the rotation-and-stretch [[1, −η], [η, 1]]: every step turns by
atan(η) and multiplies the radius √(a² + b²) by exactly √(1 + η²), so it spirals out.
Alternating play has determinant 1 and (for η < 2) conserves

    Q(a, b) = a² + b² − η·a·b,

an ellipse around (0, 0): it circles for ever, bounded, never reaching the equilibrium.
Goodfellow's NIPS 2016 tutorial (arXiv:1701.00160) uses this game to show that GAN
training can orbit instead of converging.
"""
import numpy

MODES = ("simultaneous", "alternating")


def play(mode="simultaneous", a0=1.0, b0=1.0, lr=0.1, steps=200):
    """The trajectory (a_t, b_t), t = 0 … steps: a float64 NumPy array of shape (steps+1, 2)."""
    if mode not in MODES:
        raise ValueError(f"play: unknown mode {mode!r}; choose one of {MODES}")
    if int(steps) < 0:
        raise ValueError(f"play: steps must be ≥ 0, got {steps}")
    a, b, lr = float(a0), float(b0), float(lr)
    path = numpy.empty((int(steps) + 1, 2))
    path[0] = a, b
    for t in range(1, int(steps) + 1):
        if mode == "simultaneous":
            a, b = a - lr * b, b + lr * a       # both use the old (a, b)
        else:
            a = a - lr * b                      # a moves first ...
            b = b + lr * a                      # ... and b answers the new a
        path[t] = a, b
    return path


def radius(path):
    """√(a² + b²) along a trajectory: the distance from the equilibrium (0, 0)."""
    return numpy.hypot(path[:, 0], path[:, 1])


def alternating_invariant(path, lr):
    """Q = a² + b² − η·a·b along a trajectory: constant under alternating play."""
    a, b = path[:, 0], path[:, 1]
    return a * a + b * b - float(lr) * a * b
