"""Figures: sample grids, training curves, and the paper's Figures 1–3 (matplotlib, Agg)."""
import matplotlib

matplotlib.use("Agg")  # files only; never needs a display

from .curves import save_curves  # noqa: E402
from .grid import image_grid, save_grid  # noqa: E402
from .samples import save_samples  # noqa: E402
from .fig1 import Snapshot, figure1, figure1_animation, train_snapshots  # noqa: E402
from .fig2 import nearest_grid, nearest_neighbours  # noqa: E402
from .fig3 import interpolate, interpolation_grid  # noqa: E402
from .collapse import collapse_plot  # noqa: E402
from .game import game_plot  # noqa: E402

__all__ = ["image_grid", "save_grid", "save_curves", "save_samples",
           "Snapshot", "train_snapshots", "figure1", "figure1_animation",
           "nearest_neighbours", "nearest_grid", "interpolate", "interpolation_grid",
           "collapse_plot", "game_plot"]
