"""The paper's two schedules (its released MNIST config, pylearn2's ExponentialDecay and
MomentumAdjustor), as plain callables.

    ExponentialDecay:  lr(t) = max(lr₀ / factor^t, floor)          t = minibatches done
    LinearRamp:        μ(e)  = μ₀ + (μ₁ − μ₀) · min(e / E, 1)      e = epochs done

Paper values: lr₀ = 0.1, factor = 1.000004, floor = 1e-6; μ₀ = 0.5, μ₁ = 0.7, E = 250.
"""
import math


class ExponentialDecay:
    def __init__(self, start, factor, floor=0.0):
        if factor < 1:
            raise ValueError(f"ExponentialDecay: factor must be ≥ 1, got {factor}")
        self.start, self.factor, self.floor = float(start), float(factor), float(floor)

    def __call__(self, step):
        # start / factor**step, in logs so a huge step cannot overflow factor**step
        return max(self.start * math.exp(-step * math.log(self.factor)), self.floor)

    def __repr__(self):
        return f"ExponentialDecay({self.start}, ÷{self.factor}/step, floor {self.floor})"


class LinearRamp:
    def __init__(self, start, end, saturate):
        if saturate <= 0:
            raise ValueError(f"LinearRamp: saturate must be > 0, got {saturate}")
        self.start, self.end, self.saturate = float(start), float(end), float(saturate)

    def __call__(self, epoch):
        return self.start + (self.end - self.start) * min(epoch / self.saturate, 1.0)

    def __repr__(self):
        return f"LinearRamp({self.start} → {self.end} by epoch {self.saturate:g})"


def constant(value):
    """A schedule that is always `value` (how a plain number is treated)."""
    value = float(value)
    return lambda _: value


def as_schedule(value):
    return value if callable(value) else constant(value)
