"""A chain of layers: y = f_n(… f_2(f_1(x)))  and, by the chain rule,
dL/dx = J_1ᵀ J_2ᵀ … J_nᵀ dL/dy — backward is the layers' backwards in reverse order.

Parameters are exposed under the keys "i.name" (e.g. "0.W"), as the very arrays the
layers hold, so an optimiser that updates `params` in place updates the layers.
"""
from .base import Layer


class Sequential(Layer):
    def __init__(self, layers):
        super().__init__()
        self.layers = list(layers)

    def modules(self):
        yield self
        for layer in self.layers:
            yield from layer.modules()

    @property
    def params(self):
        return {f"{i}.{k}": v for i, l in enumerate(self.layers) for k, v in l.params.items()}

    @property
    def grads(self):
        return {f"{i}.{k}": v for i, l in enumerate(self.layers) for k, v in l.grads.items()}

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dy, input_grad=True):
        """Back-propagate dy through the layers in reverse order.

        With input_grad=False nobody needs dL/dx, so the backward stops at the lowest layer
        that learns (has parameters and is not frozen), which is told to skip its own dL/dx.
        Layers below it (the paper's D starts with Dropout) would only compute gradients
        nobody reads: for the D step that is a 200×1200×784 product saved. Returns dL/dx,
        or None when input_grad=False.
        """
        stop = 0 if input_grad else self._lowest_learning_layer()
        for i in reversed(range(stop, len(self.layers))):
            dy = self.layers[i].backward(dy, input_grad=input_grad or i > stop)
        return dy if input_grad else None

    def _lowest_learning_layer(self):
        """Index of the first layer with parameters that get gradients (len(self) if none)."""
        for i, layer in enumerate(self.layers):
            if any(m.requires_grad and m._params for m in layer.modules()):
                return i
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        inner = ",\n  ".join(repr(l) for l in self.layers)
        return f"Sequential(\n  {inner}\n)"
