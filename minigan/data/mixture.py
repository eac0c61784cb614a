"""A mixture of isotropic Gaussians: the known density behind every toy data set.

    p(x) = Σ_k w_k · N(x; μ_k, σ² I),   N(x; μ, σ² I) = exp(−‖x − μ‖² / (2σ²)) / (σ√(2π))^d

Because the true density is known, toy experiments can be checked exactly: compare
D(x) with D*(x) = p_data / (p_data + p_g), count which modes G covers, or plot p(x).
`logpdf` works in the log domain with the log-sum-exp trick,

    log p(x) = m + log Σ_k exp(a_k − m),   a_k = log w_k − ‖x − μ_k‖²/(2σ²) − d·log(σ√(2π)),
    m = max_k a_k,

so points far from every mode give a large negative number, never log(0) = −inf.
"""
import math
from dataclasses import dataclass

import numpy


def _readonly(array):
    array = numpy.array(array, dtype=numpy.float64)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Mixture:
    """K Gaussians in d dimensions sharing one σ: `means` (K, d), `sigma`, `weights` (K,)."""
    means: numpy.ndarray
    sigma: float
    weights: numpy.ndarray = None

    def __post_init__(self):
        means = _readonly(self.means)
        if means.ndim == 1:
            means = _readonly(means.reshape(-1, 1))
        if means.ndim != 2 or len(means) == 0:
            raise ValueError(f"Mixture means must be (K, d), got shape {means.shape}")
        weights = numpy.full(len(means), 1.0 / len(means)) if self.weights is None else self.weights
        weights = numpy.asarray(weights, dtype=numpy.float64)
        if weights.shape != (len(means),) or (weights < 0).any() or weights.sum() <= 0:
            raise ValueError(f"Mixture weights must be {len(means)} non-negative numbers, "
                             f"got {weights}")
        if not (float(self.sigma) > 0):
            raise ValueError(f"Mixture sigma must be > 0, got {self.sigma}")
        object.__setattr__(self, "means", means)
        object.__setattr__(self, "weights", _readonly(weights / weights.sum()))
        object.__setattr__(self, "sigma", float(self.sigma))

    @property
    def dim(self):
        """d, the dimension of a sample."""
        return self.means.shape[1]

    def sample(self, n, rng=None, *, return_labels=False):
        """`n` samples, float32 (n, d); with `return_labels`, also each one's component (int64).

        `rng` is a numpy Generator or a seed. Draw a component k ~ weights, then
        x = μ_k + σ·ε with ε ~ N(0, I).
        """
        rng = numpy.random.default_rng(rng)
        k = rng.choice(len(self.means), size=n, p=self.weights)
        x = self.means[k] + self.sigma * rng.standard_normal((n, self.dim))
        x = x.astype(numpy.float32)
        return (x, k.astype(numpy.int64)) if return_labels else x

    def _rows(self, x):
        x = numpy.asarray(x, dtype=numpy.float64)
        if x.ndim == 1 and self.dim == 1:
            x = x.reshape(-1, 1)
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(f"expected points of shape (n, {self.dim}), got {x.shape}")
        return x

    def logpdf(self, x):
        """log p(x) for each row of `x` (n, d), float64 (n,), by log-sum-exp."""
        x = self._rows(x)
        # ‖x − μ‖² = ‖x‖² − 2 x·μ + ‖μ‖², an (n, K) table without an (n, K, d) temporary.
        sq = (x * x).sum(1)[:, None] - 2.0 * x @ self.means.T + (self.means ** 2).sum(1)[None, :]
        sq = numpy.maximum(sq, 0.0)
        with numpy.errstate(divide="ignore"):  # a zero weight contributes log 0 = −inf
            a = numpy.log(self.weights)[None, :] - sq / (2.0 * self.sigma ** 2)
        a -= self.dim * math.log(self.sigma * math.sqrt(2.0 * math.pi))
        m = a.max(axis=1, keepdims=True)
        return (m + numpy.log(numpy.exp(a - m).sum(axis=1, keepdims=True)))[:, 0]

    def pdf(self, x):
        """p(x) for each row of `x` (n, d), float64 (n,)."""
        return numpy.exp(self.logpdf(x))

    def support(self, n_sigma=3):
        """(low, high), float64 (d,) each: a box holding every mode ± n_sigma·σ."""
        return (self.means.min(axis=0) - n_sigma * self.sigma,
                self.means.max(axis=0) + n_sigma * self.sigma)

    def __repr__(self):
        return (f"Mixture(K={len(self.means)}, d={self.dim}, sigma={self.sigma:g}, "
                f"weights={'equal' if numpy.ptp(self.weights) == 0 else self.weights})")
