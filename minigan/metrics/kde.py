"""A Gaussian kernel density estimate in 1-D: how the theory checks estimate p_g from G's samples.

    p̂(x) = (1/n) Σ_i N(x; s_i, h²) = (1/(n·h·√(2π))) Σ_i exp(−(x − s_i)² / (2h²))

with Silverman's rule of thumb for the bandwidth, h = 0.9 · min(std, IQR / 1.34) · n^(−1/5).
"""
import math

from .. import backend


def silverman_bandwidth(samples):
    """h = 0.9 · min(std, IQR / 1.34) · n^(−1/5) (the std alone when the IQR is 0)."""
    xp = backend.array_module(samples)
    x = xp.sort(xp.asarray(samples, dtype=xp.float64).reshape(-1))
    n = len(x)
    if n < 2:
        raise ValueError(f"silverman_bandwidth: need at least 2 samples, got {n}")
    iqr = float(x[(3 * (n - 1)) // 4] - x[(n - 1) // 4])
    std = float(x.std())
    spread = min(std, iqr / 1.34) if iqr > 0 else std
    if spread <= 0:
        raise ValueError("silverman_bandwidth: all samples are equal; give a bandwidth")
    return 0.9 * spread * n ** -0.2


def gaussian_kde(samples, grid, bandwidth=None, *, batch_size=4096):
    """p̂ on the points of `grid` (1-D), from `samples` (n,) or (n, 1); NumPy or CuPy.

    Samples are summed `batch_size` at a time: at most len(grid)·batch_size floats.
    """
    xp = backend.array_module(samples, grid)
    s = xp.asarray(samples, dtype=xp.float64).reshape(-1)
    g = xp.asarray(grid, dtype=xp.float64).reshape(-1)
    h = float(bandwidth) if bandwidth is not None else silverman_bandwidth(s)
    if not h > 0:
        raise ValueError(f"gaussian_kde: the bandwidth must be positive, got {h}")
    total = xp.zeros_like(g)
    for i in range(0, len(s), batch_size):
        u = (g[:, None] - s[None, i:i + batch_size]) * (1.0 / h)
        total += xp.exp(-0.5 * u * u).sum(axis=1)
    return total / (len(s) * h * math.sqrt(2.0 * math.pi))
