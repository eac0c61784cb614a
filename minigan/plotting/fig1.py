"""Figure 1 of Goodfellow et al. (2014): D, p_data, p_g and the mapping x = G(z), over training.

The paper's caption, which this figure redraws from a real run on the 1-D toy `gaussian-1d`:

    "Generative adversarial nets are trained by simultaneously updating the discriminative
    distribution (D, blue, dashed line) so that it discriminates between samples from the data
    generating distribution (black, dotted line) p_x from those of the generative distribution
    p_g (G) (green, solid line). The lower horizontal line is the domain from which z is sampled
    [...]. The upper horizontal line is part of the domain of x. The upward arrows show how the
    mapping x = G(z) imposes the non-uniform distribution p_g on transformed samples. G
    contracts in regions of high density and expands in regions of low density of p_g."

Our prior is p_z = N(0, 1) rather than uniform, so the arrows start at *equally probable* z
values (the quantiles (i + ½)/L of p_z): each arrow carries the same probability mass, and
where the arrow heads crowd together on the x line, p_g is high. z is drawn at
mean + std·z (the data's), where a G that matches the data would send it: vertical arrows
mean G has learnt that map, converging ones that G squeezes the noise into too small a region.

    snaps = train_snapshots(iterations=2000, snapshot_at=(0, 50, 150, 2000))
    figure1(snaps, load("gaussian-1d"), "figure1.png")
    figure1_animation(train_snapshots(iterations=2000, frames=40), load("gaussian-1d"), "fig1.gif")

A `Snapshot` is plain NumPy arrays, so the drawing functions need no model.
"""
from dataclasses import dataclass

import numpy

from .. import backend

# the paper's colours and line styles
DATA_STYLE = dict(color="black", ls=":", lw=2.0)
PG_STYLE = dict(color="green", ls="-", lw=1.8)
D_STYLE = dict(color="blue", ls="--", lw=1.8)
DSTAR_STYLE = dict(color="0.55", ls="-", lw=0.9)


@dataclass
class Snapshot:
    """One moment of training, on the x grid `x` (n,): everything Figure 1 draws.

    d (n,):        D(x), D in eval mode
    p_g (n,):      density of G's samples (a Gaussian KDE of `samples`)
    samples (m,):  G(z) for m z from the prior
    z, gz (L,):    equally probable z values and their images G(z): the arrows
    """
    iteration: int
    x: numpy.ndarray
    d: numpy.ndarray
    p_g: numpy.ndarray
    samples: numpy.ndarray
    z: numpy.ndarray = None
    gz: numpy.ndarray = None
    label: str = ""


def prior_quantiles(noise, n_lines=21, seed=0, n_draws=200_000):
    """`n_lines` z values at the quantiles (i + ½)/n_lines of a 1-D prior, float32 (n_lines, 1).

    Estimated from `n_draws` draws of the prior, so it works for any noise object with
    `sample(n, rng)`; each value stands for the same probability mass 1/n_lines.
    """
    if noise.dim != 1:
        raise ValueError(f"prior_quantiles: the z → x arrows need a 1-D prior, this one has {noise.dim} dimensions")
    draws = backend.to_numpy(noise.sample(n_draws, backend.rng(seed))).reshape(-1)
    q = (numpy.arange(n_lines) + 0.5) / n_lines
    return numpy.quantile(draws, q).astype("float32").reshape(-1, 1)


def _generate(gan, z):
    """G(z) as a flat NumPy float64 array, G in eval mode (its training mode is restored)."""
    was_training = gan.G.training
    gan.G.eval()
    try:
        return backend.to_numpy(gan.sample(z=backend.to_device(z))).astype("float64").reshape(-1)
    finally:
        if was_training:
            gan.G.train()


def take_snapshot(gan, x, *, z_samples, z_lines=None, iteration=None, label=None):
    """A `Snapshot` of a 1-D GAN on the grid `x` (n,): D(x), G's samples, their density, the arrows.

    `z_samples` (m, 1) are the noise vectors whose images give p_g; `z_lines` (L, 1) the z
    of the arrows (see prior_quantiles). Pass the same ones at every moment so that the
    figures compare like with like. Draws nothing from `gan.rng`: taking snapshots leaves
    training unchanged.
    """
    from ..metrics.theory import gaussian_kde
    x = numpy.asarray(x, dtype="float64").reshape(-1)
    grid = backend.to_device(x.reshape(-1, 1).astype("float32"))
    d = backend.to_numpy(gan.discriminate(grid)).astype("float64").reshape(-1)
    samples = _generate(gan, z_samples)
    p_g = backend.to_numpy(gaussian_kde(samples, x))
    z = gz = None
    if z_lines is not None:
        z, gz = numpy.asarray(z_lines, dtype="float64").reshape(-1), _generate(gan, z_lines)
    it = gan.iteration if iteration is None else int(iteration)
    return Snapshot(iteration=it, x=x, d=d, p_g=p_g, samples=samples, z=z, gz=gz,
                    label=label if label is not None else f"iteration {it}")


def make_figure1_gan(dataset, seed=0, d_lr=1e-3, g_lr=1e-4):
    """`models.toy(1)` placed on the data (G starts at its mean, D's kinks around it), with D
    learning 10× faster than G (Adam, β₁ = ½).

    The paper's §4: D is "maintained near its optimal solution, so long as G changes slowly
    enough". With equal rates this toy's p_g keeps wobbling around p_data; with G ten times
    slower, D follows D* and p_g settles onto p_data, D ≈ ½ — the paper's panel (d).
    """
    from .. import models
    from ..optim import Adam
    gan = models.toy(1, seed=seed, lr=d_lr, center=dataset.train.mean(0), scale=dataset.train.std(0))
    gan.g_optimizer = Adam(g_lr, betas=(0.5, 0.999))
    return gan


def frame_iterations(iterations, frames):
    """About `frames` iterations from 0 to `iterations`, spaced geometrically (early training
    moves fastest), always including 0 and the last."""
    if frames < 2 or iterations < 1:
        return [0, int(iterations)]
    its = numpy.unique(numpy.round(numpy.geomspace(1, iterations, frames - 1)).astype(int))
    return [0] + [int(i) for i in its]


def train_snapshots(dataset=None, *, iterations=3000, snapshot_at=None, frames=None, gan=None,
                    batch_size=100, seed=0, grid_points=400, n_samples=5000, n_lines=21,
                    x_range=None):
    """Train a 1-D GAN on `gaussian-1d` with Algorithm 1 (`gan.train_step`) and take snapshots.

    Snapshots are taken before the iterations listed in `snapshot_at` (0 = the untrained
    model, `iterations` = the end); `frames=N` picks N geometrically spaced moments instead
    (for the animation). `gan` defaults to `make_figure1_gan(dataset, seed)`. The x grid spans the
    data (modes ± 4σ) and the untrained G's samples, and is the same in every snapshot.
    Returns a list of `Snapshot`, in order.
    """
    if dataset is None:
        from ..data import load
        dataset = load("gaussian-1d", seed=seed)
    mixture = dataset.distribution
    if mixture is None or mixture.dim != 1:
        raise ValueError(f"train_snapshots: needs a 1-D toy data set with a known density, got {dataset.name!r}")
    gan = make_figure1_gan(dataset, seed) if gan is None else gan
    if snapshot_at is None:
        snapshot_at = frame_iterations(iterations, frames) if frames else (0, iterations)
    wanted = {int(i) for i in snapshot_at if 0 <= int(i) <= iterations}

    z_samples = gan.noise.sample(n_samples, backend.rng(seed + 1))     # the same z every time
    z_lines = prior_quantiles(gan.noise, n_lines, seed + 2) if gan.noise.dim == 1 else None
    if x_range is None:
        x_range = _default_range(mixture, _generate(gan, z_samples))
    x = numpy.linspace(x_range[0], x_range[1], grid_points)

    train = backend.to_device(dataset.train)
    pick = numpy.random.default_rng([seed, 1])
    snapshots, start = [], gan.iteration
    for i in range(iterations + 1):
        if i in wanted:
            snapshots.append(take_snapshot(gan, x, z_samples=z_samples, z_lines=z_lines,
                                           iteration=start + i))
        if i < iterations:
            rows = backend.to_device(pick.integers(0, len(train), size=batch_size))
            gan.train_step(train[rows])
    return snapshots


def _default_range(mixture, samples, margin=0.08):
    low, high = mixture.support(4)
    lo = min(float(low[0]), float(numpy.percentile(samples, 0.5)))
    hi = max(float(high[0]), float(numpy.percentile(samples, 99.5)))
    pad = margin * (hi - lo)
    return lo - pad, hi + pad


# -- drawing -------------------------------------------------------------------------------
def _density_top(p_data):
    """A y limit that shows D ∈ [0, 1] and p_data whole (a very peaked p_g is cut off)."""
    return max(1.05, 1.15 * float(p_data.max()))


def _z_axis(snapshots, mixture):
    """(offset, scale) placing z on the panel at offset + scale·z.

    The scale is the data's standard deviation over the z's, and the offset puts the z's
    middle at the data's mean, so a G matching the data's first two moments draws vertical
    arrows. G may as well have learnt a decreasing map (N(0, 1) is symmetric): then the
    scale is negative, z grows to the left, and the arrows do not cross.
    """
    with_z = [s for s in snapshots if s.z is not None]
    if not with_z:
        return None
    zs = numpy.concatenate([s.z for s in with_z])
    if len(zs) < 2 or zs.std() == 0:
        return None
    w, mu = mixture.weights, mixture.means[:, 0]
    mean = float((w * mu).sum())
    std = float(numpy.sqrt((w * (mixture.sigma ** 2 + mu ** 2)).sum() - mean ** 2))
    last = with_z[-1]
    slope = numpy.polyfit(last.z, last.gz, 1)[0] if last.gz.std() > 0 else 1.0
    scale = numpy.copysign(std / float(zs.std()), slope)
    return mean - scale * float(zs.mean()), scale


def _draw(ax, ax_map, snap, p_data, *, ymax, z_axis, d_star=False, arrows=True):
    """One panel: densities and D above, the z → x arrows below (z drawn at z_axis[0] + z_axis[1]·z)."""
    x = snap.x
    ax.plot(x, p_data, label=r"$p_{data}$ (data)", **DATA_STYLE)
    ax.plot(x, numpy.minimum(snap.p_g, 10 * ymax), label=r"$p_g$ (G)", **PG_STYLE)
    if d_star:
        from ..metrics.theory import optimal_discriminator
        ds = backend.to_numpy(optimal_discriminator(p_data, snap.p_g))
        ax.plot(x, ds, label=r"$D^* = p_{data}/(p_{data}+p_g)$", **DSTAR_STYLE)
    ax.plot(x, snap.d, label="D(x)", **D_STYLE)
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(0, ymax)
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)

    ax_map.set_xlim(x[0], x[-1])
    ax_map.set_ylim(-0.25, 1.12)
    ax_map.axis("off")
    if not arrows or snap.z is None or z_axis is None:
        return
    x0, x1 = x[0], x[-1]
    ax_map.plot([x0, x1], [1, 1], color="black", lw=1.2)       # part of the domain of x
    ax_map.plot([x0, x1], [0, 0], color="black", lw=1.2)       # the domain of z
    ax_map.text(x0, 1.02, " x", va="bottom", ha="left", fontsize=8, style="italic")
    ax_map.text(x0, -0.04, " z", va="top", ha="left", fontsize=8, style="italic")
    if z_axis[1] < 0:
        ax_map.text(x1, -0.04, "← z increases ", va="top", ha="right", fontsize=7, color="0.3")
    zpos = z_axis[0] + z_axis[1] * snap.z
    heads = numpy.clip(snap.gz, x0, x1)
    ax_map.plot(zpos, numpy.zeros_like(zpos), "|", color="black", ms=5)
    for start, end in zip(zpos, heads):
        ax_map.annotate("", xy=(end, 1.0), xytext=(start, 0.0),
                        arrowprops=dict(arrowstyle="-|>", lw=0.7, color="black",
                                        shrinkA=0, shrinkB=0, mutation_scale=6))


def figure1(snapshots, data, path, *, d_star=False, title=None, dpi=110):
    """Figure 1: one panel per snapshot, (a), (b), … from left to right; returns `path`.

    `data` is the Dataset (its `.distribution`) or the `Mixture` itself: p_data is drawn
    from the true density. `d_star=True` also draws D* = p_data / (p_data + p_g) in grey,
    the discriminator Proposition 1 says D converges to for a fixed G.
    """
    import matplotlib.pyplot as plt
    if not snapshots:
        raise ValueError("figure1: no snapshots to draw")
    mixture = getattr(data, "distribution", None) or data
    n = len(snapshots)
    fig, axes = plt.subplots(2, n, figsize=(3.1 * n + 0.4, 3.9), squeeze=False, sharex="col",
                             gridspec_kw=dict(height_ratios=(3, 1.25), hspace=0.04, wspace=0.18))
    z_axis = _z_axis(snapshots, mixture)
    p_datas = [mixture.pdf(s.x.reshape(-1, 1)) for s in snapshots]
    ymax = max(_density_top(p) for p in p_datas)
    for i, (snap, p_data) in enumerate(zip(snapshots, p_datas)):
        ax, ax_map = axes[0, i], axes[1, i]
        _draw(ax, ax_map, snap, p_data, ymax=ymax, z_axis=z_axis, d_star=d_star)
        if i:
            ax.tick_params(labelleft=False)
        ax_map.set_title(f"({chr(ord('a') + i)}) {snap.label}", y=-0.32, fontsize=9)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, 1.0))
    if title:
        fig.suptitle(title, y=1.06, fontsize=10)
    fig.subplots_adjust(left=0.04, right=0.99, top=0.9, bottom=0.1)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return path


def figure1_animation(snapshots, data, path, *, fps=8, d_star=False, dpi=100):
    """Figure 1 as an animated GIF, one frame per snapshot (PillowWriter); returns `path`."""
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter
    if not snapshots:
        raise ValueError("figure1_animation: no snapshots to draw")
    mixture = getattr(data, "distribution", None) or data
    z_axis = _z_axis(snapshots, mixture)
    p_data = mixture.pdf(snapshots[0].x.reshape(-1, 1))
    ymax = _density_top(p_data)
    fig, (ax, ax_map) = plt.subplots(2, 1, figsize=(5.2, 4.2), sharex=True,
                                     gridspec_kw=dict(height_ratios=(3, 1.25), hspace=0.04))

    def frame(i):
        snap = snapshots[i]
        ax.clear()
        ax_map.clear()
        _draw(ax, ax_map, snap, mixture.pdf(snap.x.reshape(-1, 1)), ymax=ymax, z_axis=z_axis,
              d_star=d_star)
        ax.legend(loc="upper left", fontsize=7, frameon=False)
        ax.set_title(f"gaussian-1d, {snap.label}", fontsize=9)
        return []

    anim = FuncAnimation(fig, frame, frames=len(snapshots), blit=False)
    anim.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
    plt.close(fig)
    return path
