"""Training curves from the JSON-lines log: losses and D's outputs against iterations."""
import json
import math

import numpy


def read_log(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def _smooth(values, n):
    if len(values) < n or n < 2:
        return numpy.asarray(values)
    return numpy.convolve(values, numpy.ones(n) / n, mode="valid")


def save_curves(log_path, path, title="training"):
    """Two panels: D and G losses (with log 2, D's loss at equilibrium), and mean D(x), D(G(z))."""
    import matplotlib.pyplot as plt
    rows = read_log(log_path)
    if not rows:
        return None
    n = max(1, len(rows) // 100)
    it = _smooth([r["iteration"] for r in rows], n)
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6))
    a.plot(it, _smooth([r["d_loss"] for r in rows], n), label="D loss")
    a.plot(it, _smooth([r["g_loss"] for r in rows], n), label="G loss")
    a.axhline(math.log(2), color="grey", ls=":", label="log 2 (D = ½)")
    a.set_xlabel("iteration"); a.set_title("losses"); a.legend()
    b.plot(it, _smooth([r["d_real"] for r in rows], n), label="mean D(x)")
    b.plot(it, _smooth([r["d_fake"] for r in rows], n), label="mean D(G(z))")
    b.axhline(0.5, color="grey", ls=":", label="½")
    b.set_ylim(0, 1); b.set_xlabel("iteration"); b.set_title("discriminator outputs"); b.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
