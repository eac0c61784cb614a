"""What optimisers share: counters, named state per parameter, and saving/restoring it.

An optimiser updates the arrays of a `params` dict in place from the matching `grads`
dict. Its state (step and epoch counters, one buffer per parameter and kind) goes to a
flat dict of arrays and numbers, so a checkpoint stores it in an .npz and resumes exactly.
"""
from .. import backend


class Optimizer:
    buffers = ()          # names of the per-parameter state buffers, e.g. ("velocity",)

    def __init__(self):
        self.t = 0        # minibatch steps taken
        self.epoch = 0    # set by the training loop at each epoch's start
        self.state = {name: {} for name in self.buffers}

    def set_epoch(self, epoch):
        self.epoch = int(epoch)

    def _buffer(self, kind, name, like):
        buf = self.state[kind].get(name)
        if buf is None:
            buf = self.state[kind][name] = backend.array_module(like).zeros_like(like)
        return buf

    def step(self, params, grads):
        for name, p in params.items():
            if name not in grads:
                raise KeyError(f"{type(self).__name__}: no gradient for parameter {name!r}")
            self._update(name, p, grads[name])
        self.t += 1

    def state_dict(self):
        out = {"t": self.t, "epoch": self.epoch}
        for kind, bufs in self.state.items():
            out.update({f"{kind}/{name}": backend.to_numpy(b) for name, b in bufs.items()})
        return out

    def load_state_dict(self, state):
        self.t, self.epoch = int(state["t"]), int(state["epoch"])
        for key, value in state.items():
            kind, _, name = key.partition("/")
            if kind in self.state:
                self.state[kind][name] = backend.to_device(value)
