"""The paper's theory (Goodfellow et al. 2014, §4), measured on a 1-D grid.

Proposition 1: for a fixed G, the discriminator that maximises V(D, G) is

    D*(x) = p_data(x) / (p_data(x) + p_g(x)).

Theorem 1: plugging it in, the virtual training criterion is

    C(G) = max_D V(D, G) = −log 4 + 2·JSD(p_data ‖ p_g),

with V(D, G) = ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx and
JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2. So C(G) ≥ −log 4, with equality
exactly when p_g = p_data, where D* = ½ everywhere.

On the 1-D toys p_data is known (`dataset.distribution.pdf`); p_g is estimated by a
Gaussian kernel density estimate of G's samples (kde.py); integrals are trapezoid sums on
the grid. `train_discriminator_to_convergence` then checks Proposition 1 directly: freeze G, train
only D, and compare D with D*. Densities are arrays on a grid, NumPy or CuPy.
"""
import math
from dataclasses import dataclass

from .. import backend
from .kde import gaussian_kde, silverman_bandwidth

TINY = 1e-300   # log(max(D, TINY)): finite, and times a zero density it counts as 0


def integrate(f, grid):
    """∫ f(x) dx by the trapezoid rule: Σ_i (f_i + f_{i+1})/2 · (x_{i+1} − x_i)."""
    return float((0.5 * (f[1:] + f[:-1]) * (grid[1:] - grid[:-1])).sum())


def optimal_discriminator(p_data, p_g):
    """D*(x) = p_data / (p_data + p_g) pointwise; ½ where both densities are 0 (undefined)."""
    xp = backend.array_module(p_data, p_g)
    p_data, p_g = xp.asarray(p_data, dtype=xp.float64), xp.asarray(p_g, dtype=xp.float64)
    total = p_data + p_g
    return xp.where(total > 0, p_data / xp.where(total > 0, total, 1.0), 0.5)


def value(D, p_data, p_g, grid):
    """V(D, G) = ∫ p_data log D + p_g log(1 − D) dx, on the grid (0·log 0 = 0)."""
    xp = backend.array_module(D, p_data, p_g, grid)
    D = xp.asarray(D, dtype=xp.float64)
    f = (xp.asarray(p_data) * xp.log(xp.maximum(D, TINY))
         + xp.asarray(p_g) * xp.log(xp.maximum(1.0 - D, TINY)))
    return integrate(f, xp.asarray(grid, dtype=xp.float64))


def kl(p, q, grid):
    """KL(p ‖ q) = ∫ p log(p / q) dx, with 0·log(0/q) = 0."""
    xp = backend.array_module(p, q)
    p, q = xp.asarray(p, dtype=xp.float64), xp.asarray(q, dtype=xp.float64)
    ratio = xp.where(p > 0, p, 1.0) / xp.where(p > 0, xp.maximum(q, TINY), 1.0)
    return integrate(p * xp.log(ratio), xp.asarray(grid, dtype=xp.float64))


def jsd(p, q, grid):
    """JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2; between 0 and log 2."""
    m = 0.5 * (p + q)
    return 0.5 * kl(p, m, grid) + 0.5 * kl(q, m, grid)


def c_of_g(p_data, p_g, grid):
    """C(G) = −log 4 + 2·JSD(p_data ‖ p_g): the value of the game when D = D*."""
    return -math.log(4.0) + 2.0 * jsd(p_data, p_g, grid)


def covering_grid(mixture, fakes, points, n_sigma=3.0):
    """`points` evenly spaced x covering p_data (modes ± (n_sigma + 1)·σ) and p_g (G's samples
    ± 4 bandwidths): both densities must integrate to ≈ 1 on it for V and JSD to be right."""
    xp = backend.array_module(fakes)
    low, high = mixture.support(n_sigma + 1.0)
    margin = 4.0 * silverman_bandwidth(fakes)
    low = min(float(low[0]), float(fakes.min()) - margin)
    high = max(float(high[0]), float(fakes.max()) + margin)
    return xp.linspace(low, high, points)


@dataclass
class DiscriminatorReport:
    """D after training with G frozen, against D* on a grid (NumPy arrays, float64)."""
    grid: object
    d: object             # D(x), D in eval mode
    d_star: object        # D*(x) = p_data / (p_data + p̂_g)
    p_data: object
    p_g: object           # Gaussian KDE of G's samples
    on_support: object    # bool mask: grid points within n_sigma·σ of a data mode
    max_error: float      # max |D − D*| over the support
    value_d: float        # V(D, G)
    c_of_g: float         # V(D*, G) = −log 4 + 2·JSD
    steps: int

    def __str__(self):
        return (f"after {self.steps} D steps with G frozen: max |D − D*| on the support = "
                f"{self.max_error:.4f}; V(D, G) = {self.value_d:.4f} ≤ C(G) = {self.c_of_g:.4f}")


def train_discriminator_to_convergence(gan, dataset, steps, *, batch_size=256, lr=1e-2,
                                       final_lr=1e-4, optimizer=None, fresh=False, p_g=None,
                                       n_g_samples=20_000, grid_points=2001, n_sigma=3.0, seed=0,
                                       progress=False):
    """Proposition 1, measured: train only D against a frozen G, then compare D with D*.

    G's parameters and optimiser are never touched. D takes `steps` steps of Algorithm 1's
    D update (`gan.discriminator_step`) on real minibatches of `batch_size` rows from
    `dataset.train` (or, with `fresh`, drawn anew from the true density each step, so that
    D learns the population's D* rather than that of a finite sample), with `optimizer` or
    a fresh Adam(β = 0.9, 0.999) whose rate decays geometrically from `lr` to `final_lr`;
    the GAN's own d_optimizer is put back afterwards. Then D, in eval mode, is evaluated on
    a grid covering p_data and p_g (`covering_grid`); p_g is a KDE of `n_g_samples` samples
    of G, or exactly `p_g(grid)` when G's law is known; and the largest |D − D*| over the
    grid points within `n_sigma`·σ of a data mode is reported. D keeps what it learnt.
    """
    from tqdm import tqdm

    from ..optim import Adam, ExponentialDecay
    mixture = dataset.distribution
    if mixture is None or mixture.dim != 1:
        raise ValueError("train_discriminator_to_convergence: needs a 1-D toy data set "
                         "(gaussian-1d or bimodal-1d) whose density is known")
    if optimizer is None:
        decay = (lr / final_lr) ** (1.0 / max(steps, 1))
        optimizer = Adam(ExponentialDecay(lr, max(decay, 1.0), final_lr), betas=(0.9, 0.999))
    draw = _real_batches(dataset, batch_size, seed, fresh)
    saved_optimizer, gan.d_optimizer = gan.d_optimizer, optimizer
    gan.D.train()
    try:
        for _ in tqdm(range(steps), disable=not progress, desc="D with G frozen"):
            gan.discriminator_step(draw())
    finally:
        gan.d_optimizer = saved_optimizer

    fakes = gan.sample(n_g_samples)
    grid = covering_grid(mixture, fakes, grid_points, n_sigma)
    d = backend.to_numpy(gan.discriminate(grid.reshape(-1, 1).astype(gan.D.dtype))).reshape(-1)
    grid = backend.to_numpy(grid)
    p_data = mixture.pdf(grid)
    p_g = backend.to_numpy(gaussian_kde(fakes, grid) if p_g is None else p_g(grid))
    d_star = backend.to_numpy(optimal_discriminator(p_data, p_g))
    gap = abs(grid[:, None] - mixture.means[None, :, 0]).min(axis=1)
    on_support = gap <= n_sigma * mixture.sigma
    return DiscriminatorReport(
        grid=grid, d=d.astype("float64"), d_star=d_star, p_data=p_data, p_g=p_g,
        on_support=on_support, max_error=float(abs(d - d_star)[on_support].max()),
        value_d=value(d, p_data, p_g, grid), c_of_g=c_of_g(p_data, p_g, grid), steps=steps)


def _real_batches(dataset, batch_size, seed, fresh):
    """A function returning the next real minibatch (on the active backend)."""
    pick = backend.rng(seed)
    if fresh:   # the Mixture samples on the host from a seed; each batch gets its own seed
        mixture = dataset.distribution
        return lambda: backend.to_device(mixture.sample(batch_size, int(pick.integers(0, 2**62))))
    train = backend.to_device(dataset.train)
    return lambda: train[pick.integers(0, len(train), size=batch_size)]
