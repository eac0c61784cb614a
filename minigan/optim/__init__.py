"""Optimisers that update a `params` dict in place from its `grads`: momentum SGD, Adam."""
from .adam import Adam
from .base import Optimizer
from .schedules import ExponentialDecay, LinearRamp
from .sgd import SGD, constrain_columns

__all__ = ["Optimizer", "SGD", "Adam", "ExponentialDecay", "LinearRamp", "constrain_columns"]
