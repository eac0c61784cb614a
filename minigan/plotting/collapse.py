"""Mode collapse, seen: G's samples on a 2-D toy for a few training settings, side by side.

The paper (§6, "the Helvetica scenario") warns that G "must not be trained too much without
updating D", or G collapses too many values of z to the same value of x. Training with g
generator steps per discriminator step shows it: each panel scatters G's samples over the
data, marks the mixture's mode centres, and says in its title how many modes G covers and
what fraction of its samples lie within 3σ of one (minigan.metrics.modes.mode_coverage).
"""
import numpy

from .. import backend


def _report_line(report):
    if report is None:
        return ""
    get = (report.get if isinstance(report, dict) else lambda k: getattr(report, k))
    return (f"modes covered {int(get('modes_covered'))}/{int(get('n_modes'))}, "
            f"high-quality {100 * float(get('high_quality_fraction')):.0f} %")


def collapse_plot(panels, means, path, *, data=None, title=None, counts=True):
    """One scatter per panel; returns `path`.

    panels: a sequence of (label, samples (n, 2), report) where report is a ModeReport (or a
            dict with modes_covered, n_modes, high_quality_fraction[, counts]) or None.
    means:  the mode centres (K, 2), e.g. `dataset.distribution.means`, drawn as red crosses.
    data:   optional (N, 2) data samples, drawn in light grey behind G's.
    counts: write each mode's count of high-quality samples next to it (when the report has them).
    """
    import matplotlib.pyplot as plt
    panels = list(panels)
    if not panels:
        raise ValueError("collapse_plot: no panels to draw")
    means = numpy.asarray(means, dtype=float).reshape(-1, 2)
    all_x = [backend.to_numpy(s).reshape(-1, 2) for _, s, _ in panels]
    lo, hi = means.min(axis=0), means.max(axis=0)
    span = float((hi - lo).max()) or 1.0
    lo, hi = lo - 0.3 * span, hi + 0.3 * span
    n = len(panels)
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 4.6), squeeze=False)
    for ax, (label, _, report), x in zip(axes[0], panels, all_x):
        if data is not None:
            d = backend.to_numpy(data).reshape(-1, 2)
            ax.scatter(d[:, 0], d[:, 1], s=3, c="0.75", lw=0, label="data")
        inside = ((x >= lo) & (x <= hi)).all(axis=1)
        ax.scatter(x[:, 0], x[:, 1], s=4, c="tab:green", alpha=0.5, lw=0, label="G(z)")
        ax.scatter(means[:, 0], means[:, 1], marker="x", s=50, c="red", lw=1.5, label="mode centres")
        per_mode = None
        if counts and report is not None:
            per_mode = report.get("counts") if isinstance(report, dict) else getattr(report, "counts", None)
        if per_mode is not None and len(per_mode) == len(means):
            for (mx, my), c in zip(means, per_mode):
                ax.annotate(str(int(c)), (mx, my), xytext=(5, 5), textcoords="offset points",
                            fontsize=7, color="darkred")
        if not inside.all():
            outside = int((~inside).sum())
            ax.text(0.02, 0.02, f"{outside} sample{'s' if outside > 1 else ''} outside the view",
                    transform=ax.transAxes, fontsize=7, color="0.4")
        ax.set_xlim(lo[0], hi[0]); ax.set_ylim(lo[1], hi[1])
        ax.set_aspect("equal")
        ax.tick_params(labelsize=7)
        line = _report_line(report)
        ax.set_title(f"{label}\n{line}" if line else label, fontsize=9)
    legend = axes[0, 0].legend(loc="upper left", fontsize=7, framealpha=0.8)
    for handle in getattr(legend, "legend_handles", []):
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([30])              # legible legend markers for the tiny dots
    if counts:
        fig.text(0.01, 0.01, "numbers: G's samples within 3σ of each mode (high-quality)",
                 fontsize=7, color="darkred")
    if title:
        fig.suptitle(title, fontsize=10)
    # leave a strip under the axes for the footnote, so it never sits on the tick labels
    fig.tight_layout(rect=(0, 0.04 if counts else 0, 1, 0.95 if title else 1))
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
