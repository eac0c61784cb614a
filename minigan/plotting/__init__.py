"""Figures: sample grids, training curves, and the paper's Figures 1–3 (matplotlib, Agg)."""
import matplotlib

matplotlib.use("Agg")  # files only; never needs a display

from .curves import save_curves  # noqa: E402
from .grid import image_grid, save_grid  # noqa: E402
from .samples import save_samples  # noqa: E402

__all__ = ["image_grid", "save_grid", "save_curves", "save_samples"]
