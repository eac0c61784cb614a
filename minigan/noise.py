"""The prior p_z(z) that G turns into samples.

    UniformNoise(d, a):   z ~ U(−a, a)^d        a = √3 gives unit variance (the paper's MNIST)
    GaussianNoise(d, s):  z ~ N(0, s²)^d
"""
import math

from . import backend


class UniformNoise:
    def __init__(self, dim, half_width=math.sqrt(3.0), dtype="float32"):
        self.dim, self.half_width, self.dtype = int(dim), float(half_width), dtype

    def sample(self, n, rng):
        a = self.half_width
        return rng.uniform(-a, a, size=(n, self.dim)).astype(self.dtype)

    def __repr__(self):
        return f"UniformNoise({self.dim}, ±{self.half_width:.4g})"


class GaussianNoise:
    def __init__(self, dim, std=1.0, dtype="float32"):
        self.dim, self.std, self.dtype = int(dim), float(std), dtype

    def sample(self, n, rng):
        return (self.std * rng.standard_normal((n, self.dim))).astype(self.dtype)

    def __repr__(self):
        return f"GaussianNoise({self.dim}, σ={self.std:g})"


def fixed(noise, n, seed):
    """n noise vectors from their own seed: the same grid of samples at every epoch."""
    return noise.sample(n, backend.rng(seed))
