"""What every layer shares: parameters, gradients, modes, and the checks that explain misuse.

A layer is a function y = f(x; θ) with a hand-written backward pass:

    forward(x)  -> y     computes y and keeps exactly what backward needs;
    backward(dy) -> dx   given dL/dy, returns dL/dx and ADDS dL/dθ into `grads`.

backward never touches the weights: updating them is the optimiser's job, so a gradient
check can compare `grads` with finite differences.

Two switches, deliberately separate:
- ``train()`` / ``eval()`` change what forward computes (dropout on or off);
- ``freeze()`` / ``unfreeze()`` (or ``with frozen(D):``) make backward skip dL/dθ while
  still returning dL/dx — how G's gradient flows through a discriminator that must not learn.
"""
import contextlib

from .. import backend


class Layer:
    """Base class: `params` and `grads` are dicts with the same keys, arrays of the same shape."""

    def __init__(self):
        self._params = {}   # name -> array; exposed as `params` (containers override)
        self._grads = {}
        self.training = True
        self.requires_grad = True
        self._cache = None
        self._grads_zero = True    # grads are (logically) zero: backward may overwrite them
        self._grads_stale = False  # ... but their memory still holds old values (see zero_grad)

    @property
    def params(self):
        return self._params

    @property
    def grads(self):
        if self._grads_stale:      # zero_grad() was called and no backward wrote them since
            for g in self._grads.values():
                g.fill(0)
            self._grads_stale = False
        self._grads_zero = False   # whoever holds them may add into them: zero_grad must clear
        return self._grads

    # -- modes ---------------------------------------------------------------------------
    def train(self):
        """Training mode: stochastic layers (dropout) are active."""
        for m in self.modules():
            m.training = True
        return self

    def eval(self):
        """Evaluation mode: stochastic layers are the identity. Gradients still flow."""
        for m in self.modules():
            m.training = False
        return self

    def freeze(self):
        """Backward returns dL/dx but computes no parameter gradients."""
        for m in self.modules():
            m.requires_grad = False
        return self

    def unfreeze(self):
        for m in self.modules():
            m.requires_grad = True
        return self

    def modules(self):
        """This layer and every layer inside it (Sequential overrides)."""
        yield self

    # -- gradients -----------------------------------------------------------------------
    def zero_grad(self):
        """Make every gradient zero, lazily.

        The arrays are marked, not cleared: the next backward writes its gradient straight
        into them (with out=) instead of adding it to zeros, and reading `grads` first clears
        any array still marked. So `grads` always shows zeros or the gradients, and the
        usual zero_grad(); backward(); step() pays no pass over the gradients to clear them.
        (An array fetched from `grads` before zero_grad() and read after it, with no backward
        in between, still shows its old values: fetch `grads` again.)
        """
        for m in self.modules():
            if not m._grads_zero:
                m._grads_zero = True
                m._grads_stale = True

    def _add_param(self, name, value):
        self._params[name] = value
        self._grads[name] = backend.array_module(value).zeros_like(value)

    def astype(self, dtype):
        """Convert parameters and gradients to `dtype` in place (float64 for gradient checks)."""
        for m in self.modules():
            grads = m.grads        # clears marked gradients first
            for k in m._params:
                m._params[k] = m._params[k].astype(dtype)
                m._grads[k] = grads[k].astype(dtype)
        return self

    @property
    def dtype(self):
        for p in self.params.values():
            return p.dtype
        return None

    def n_params(self):
        return sum(int(p.size) for p in self.params.values())

    # -- the interface -------------------------------------------------------------------
    def forward(self, x):
        raise NotImplementedError

    def backward(self, dy, input_grad=True):
        """dL/dy -> dL/dx. With input_grad=False a layer may skip dL/dx and return None."""
        raise NotImplementedError

    def __call__(self, x):
        return self.forward(x)

    # -- checks that turn misuse into a sentence -----------------------------------------
    def _check_input(self, x, n_features=None):
        if not hasattr(x, "shape") or not hasattr(x, "dtype"):
            raise TypeError(f"{self!r}: expected an array, got {type(x).__name__}")
        if x.dtype.kind != "f":
            raise TypeError(f"{self!r}: expected a floating-point input, got dtype {x.dtype}")
        if n_features is not None:
            if x.ndim != 2 or x.shape[1] != n_features:
                raise ValueError(
                    f"{self!r}: expected input of shape (batch, {n_features}), got {tuple(x.shape)}")
            if self.dtype is not None and x.dtype != self.dtype:
                raise TypeError(
                    f"{self!r}: expected {self.dtype} input (the dtype of its parameters), "
                    f"got {x.dtype}; cast with x.astype({str(self.dtype)!r})")

    def _saved(self):
        """The cache forward left for backward, or a clear error if forward never ran."""
        if self._cache is None:
            raise RuntimeError(f"{self!r}: backward() called before forward()")
        return self._cache

    def _check_grad(self, dy, shape):
        if tuple(dy.shape) != tuple(shape):
            raise ValueError(
                f"{self!r}: backward got dy of shape {tuple(dy.shape)}, "
                f"but forward produced shape {tuple(shape)}")

    def __repr__(self):
        return f"{type(self).__name__}()"


@contextlib.contextmanager
def frozen(*layers):
    """Within the block, backward through `layers` computes dL/dx only (no dL/dθ)."""
    before = [[m.requires_grad for m in layer.modules()] for layer in layers]
    for layer in layers:
        layer.freeze()
    try:
        yield
    finally:
        for layer, flags in zip(layers, before):
            for m, flag in zip(layer.modules(), flags):
                m.requires_grad = flag
