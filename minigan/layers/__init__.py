"""Hand-written layers: forward and backward by hand, nothing automatic.

Every layer has forward(x) -> y, backward(dy) -> dx (adding into `grads`), `params`,
`grads`, zero_grad(), train()/eval() and freeze()/unfreeze().
"""
from .activations import LeakyReLU, ReLU, Sigmoid, Tanh
from .base import Layer, frozen
from .dropout import Dropout, held_masks
from .linear import Linear
from .maxout import Maxout
from .sequential import Sequential

__all__ = ["Layer", "Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Maxout", "Dropout",
           "Sequential", "frozen", "held_masks"]
