"""Why GAN training may not converge: gradient play on the simplest two-player game.

    v(a, b) = a·b,    a minimises, b maximises;   the only equilibrium is (0, 0).

Simultaneous gradient steps a ← a − η b, b ← b + η a multiply the distance to (0, 0) by
√(1 + η²) every step: the players spiral outwards. Alternating steps (b moves after seeing the
new a, as Algorithm 1 updates G after D) keep a conserved quantity and go round a closed orbit,
never reaching the equilibrium either. The trajectories come from minigan.game.play.
"""
import numpy

STYLES = {"simultaneous": dict(color="tab:red"), "alternating": dict(color="tab:blue")}


def game_plot(trajectories, path, *, equilibrium=(0.0, 0.0), title=None):
    """Left: each trajectory in the (a, b) plane, start marked, equilibrium starred; right: the
    distance to the equilibrium against the step. `trajectories` maps a label to an (T, 2)
    array of (a, b); returns `path`."""
    import matplotlib.pyplot as plt
    if not trajectories:
        raise ValueError("game_plot: no trajectories to draw")
    eq = numpy.asarray(equilibrium, dtype=float)
    fig, (ax, ax_r) = plt.subplots(1, 2, figsize=(10, 4.6), gridspec_kw=dict(width_ratios=(1, 1.1)))
    for label, ab in trajectories.items():
        ab = numpy.asarray(ab, dtype=float).reshape(-1, 2)
        style = STYLES.get(label, {})
        line, = ax.plot(ab[:, 0], ab[:, 1], lw=1, label=label, **style)
        ax.plot(ab[0, 0], ab[0, 1], "o", color=line.get_color(), ms=6)
        ax.plot(ab[-1, 0], ab[-1, 1], "s", color=line.get_color(), ms=5)
        ax_r.plot(numpy.hypot(*(ab - eq).T), color=line.get_color(), label=label)
    ax.plot(*eq, marker="*", color="black", ms=14, ls="none", label="equilibrium (0, 0)")
    ax.axhline(eq[1], color="0.85", lw=0.8, zorder=0)
    ax.axvline(eq[0], color="0.85", lw=0.8, zorder=0)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("a  (minimises a·b)")
    ax.set_ylabel("b  (maximises a·b)")
    ax.set_title("trajectories (○ start, □ end)", fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    ax_r.axhline(0, color="0.85", lw=0.8)
    ax_r.set_xlabel("step")
    ax_r.set_ylabel("distance to the equilibrium")
    ax_r.set_title("does play approach the equilibrium?", fontsize=9)
    ax_r.legend(fontsize=8)
    fig.suptitle(title or "gradient play on v(a, b) = a·b", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
