"""The Parzen-window log-likelihood of Goodfellow et al. (2014), Table 1.

A Gaussian Parzen window (kernel density estimate) is fitted on N samples μ_i drawn
from G; every test image x is then scored by

    log p(x) = logmeanexp_i( −‖x − μ_i‖² / (2σ²) ) − d·log(σ√(2π))

and the model is reported as the mean of log p(x) over the test set ± std/√N_test.
σ is picked from logspace(−1, 0, 10) by the mean log-likelihood of validation images.

How it is computed, so that it is exact and its memory bounded:

- ‖x − μ‖² = ‖x‖² − 2 x·μ + ‖μ‖²: one matrix product per (x batch, μ chunk), never an
  (n_x, n_μ, d) temporary. Inputs may be float32; every chunk is cast to float64 first, so
  the cancellation in that sum stays at float64 round-off.
- logmeanexp over μ is a *running* log-sum-exp over μ chunks of size B_μ. With
  m = max so far and s = Σ exp(a − m) so far, a new chunk a' updates
      m' = max(m, max a'),    s' = s·exp(m − m') + Σ exp(a' − m'),
  and at the end logmeanexp = m + log s − log N. No exponential ever overflows, and a
  point far from every centre gets a large negative number, never log 0.
- The distances do not depend on σ, so one distance table serves every σ of the grid.

Memory: besides the inputs, at most ~3·B_x·B_μ float64 (the distance table, the exponent
table and the product's temporary), (B_x + B_μ)·d float64 for the chunks cast to float64,
N_μ for the ‖μ‖² and 2·S·B_x for the running (m, s) of S values of σ. With the default
B_x = B_μ = 1 000 and d = 784 that is ≈ 37 MB, whatever N_test and N_μ are (measured:
43 MB peak for the paper's 10 000 centres, 1 000 validation and 10 000 test images; see
benchmarks/bench_parzen.py).

Everything here asks `minigan.backend` for its array module, so the same code runs on
NumPy arrays (CPU) and CuPy arrays (GPU).
"""
import math
from dataclasses import dataclass, field

from tqdm import tqdm

from .. import backend
from .distances import squared_distances

BATCH = 1000


def default_sigmas():
    """The paper's grid: 10 values of σ evenly spaced in log between 0.1 and 1."""
    return [10.0 ** (-1.0 + k / 9.0) for k in range(10)]


def parzen_log_likelihood(x, centres, sigma, *, batch_size=BATCH, centre_batch_size=None,
                          progress=False):
    """log p(x) for each row of `x` under the Parzen window of `centres` with width `sigma`.

    x (n, d) and centres (N, d): float32 or float64, NumPy or CuPy (the result lives in
    the same module). `sigma` is one number -> float64 (n,), or a sequence of S numbers
    -> float64 (S, n), computed from one pass over the distances. `batch_size` rows of x
    and `centre_batch_size` (default: `batch_size`) centres are held at a time.
    """
    scalar = not hasattr(sigma, "__len__")
    sigmas = [float(sigma)] if scalar else [float(s) for s in sigma]
    if not sigmas or min(sigmas) <= 0 or not all(math.isfinite(s) for s in sigmas):
        raise ValueError(f"parzen_log_likelihood: σ must be positive and finite, got {sigma!r}")
    xp = backend.array_module(x, centres)
    x, centres = _rows(xp, x, "x"), _rows(xp, centres, "centres")
    if x.shape[1] != centres.shape[1]:
        raise ValueError(f"parzen_log_likelihood: x has {x.shape[1]} columns but the centres "
                         f"have {centres.shape[1]}")
    if len(centres) == 0:
        raise ValueError("parzen_log_likelihood: no centres to fit the window on")
    bx, bm = int(batch_size), int(centre_batch_size or batch_size)
    if bx < 1 or bm < 1:
        raise ValueError(f"parzen_log_likelihood: batch sizes must be ≥ 1, got {bx}, {bm}")

    n, d, n_centres = len(x), x.shape[1], len(centres)
    # ‖μ‖² for every centre, once (N floats).
    cc = xp.empty(n_centres, dtype=xp.float64)
    for j in range(0, n_centres, bm):
        c = centres[j:j + bm].astype(xp.float64)
        cc[j:j + bm] = (c * c).sum(axis=1)

    out = xp.empty((len(sigmas), n), dtype=xp.float64)
    chunks = -(-n // bx) * -(-n_centres // bm)
    with tqdm(total=chunks, disable=not progress, desc="Parzen", unit="block",
              dynamic_ncols=True) as bar:
        for i in range(0, n, bx):
            xb = x[i:i + bx].astype(xp.float64)
            xx = (xb * xb).sum(axis=1)
            run_max = xp.full((len(sigmas), len(xb)), -xp.inf)
            run_sum = xp.zeros((len(sigmas), len(xb)))
            for j in range(0, n_centres, bm):
                c = centres[j:j + bm].astype(xp.float64)
                sq = squared_distances(xb, c, xx, cc[j:j + bm])
                xp.maximum(sq, 0.0, out=sq)          # round-off can make ‖x − μ‖² ≈ −1e-13
                nearest = sq.min(axis=1)
                for s, sigma_s in enumerate(sigmas):
                    k = -0.5 / sigma_s ** 2
                    new_max = xp.maximum(run_max[s], k * nearest)
                    a = sq * k                        # a = −‖x − μ‖² / (2σ²)
                    a -= new_max[:, None]
                    rescaled = run_sum[s] * xp.exp(run_max[s] - new_max)   # old sum, new max
                    run_sum[s] = rescaled + xp.exp(a, out=a).sum(axis=1)
                    run_max[s] = new_max
                bar.update(1)
            for s, sigma_s in enumerate(sigmas):
                log_mean = run_max[s] + xp.log(run_sum[s]) - math.log(n_centres)
                out[s, i:i + bx] = log_mean - d * math.log(sigma_s * math.sqrt(2.0 * math.pi))
    return out[0] if scalar else out


def select_sigma(centres, validation, sigmas=None, *, batch_size=BATCH, progress=False):
    """(best σ, {σ: mean validation log-likelihood}) over `sigmas` (default: the paper's grid)."""
    sigmas = default_sigmas() if sigmas is None else [float(s) for s in sigmas]
    ll = parzen_log_likelihood(validation, centres, sigmas, batch_size=batch_size,
                               progress=progress)
    scores = {s: float(row.mean()) for s, row in zip(sigmas, ll)}
    best = max(scores, key=scores.get)
    return best, scores


@dataclass
class ParzenResult:
    """Mean test log-likelihood ± its standard error, the σ it used, and how σ was chosen."""
    mean: float
    stderr: float
    sigma: float
    validation_scores: dict = field(default_factory=dict)
    n_test: int = None
    n_centres: int = None

    def __str__(self):
        counts = ""
        if self.n_test is not None:
            counts = f", {self.n_test} test points, {self.n_centres} centres"
        return f"{self.mean:.2f} ± {self.stderr:.2f} (σ = {self.sigma:.4g}{counts})"

    def table(self):
        """The σ grid and each σ's mean validation log-likelihood, one line each."""
        lines = ["       σ   mean validation log p"]
        for s, v in self.validation_scores.items():
            lines.append(f"{s:8.4f}   {v:12.2f}" + ("   <- chosen" if s == self.sigma else ""))
        return "\n".join(lines)


def parzen_estimate(centres, validation, test, sigmas=None, *, batch_size=BATCH, progress=False):
    """The paper's Table 1 procedure: σ by validation, then mean test log p ± std/√N.

    std is the population standard deviation (ddof = 0) of the per-example log p(x).
    """
    if len(validation) == 0 or len(test) == 0:
        raise ValueError("parzen_estimate: the validation and test sets must not be empty")
    sigma, scores = select_sigma(centres, validation, sigmas, batch_size=batch_size,
                                 progress=progress)
    ll = parzen_log_likelihood(test, centres, sigma, batch_size=batch_size, progress=progress)
    return ParzenResult(mean=float(ll.mean()), stderr=float(ll.std()) / math.sqrt(len(ll)),
                        sigma=sigma, validation_scores=scores, n_test=len(ll),
                        n_centres=len(centres))


def _rows(xp, a, what):
    a = xp.asarray(a)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2:
        raise ValueError(f"parzen: {what} must be (n, d), got shape {tuple(a.shape)}")
    if a.dtype.kind != "f":
        a = a.astype(xp.float64)
    return a
