"""Finite-difference gradient checks for any layer, loss or chain (see core.py)."""
from .core import check, check_generator_chain, check_layer, check_loss
from .report import Report, Row

__all__ = ["check", "check_layer", "check_loss", "check_generator_chain", "Report", "Row"]
