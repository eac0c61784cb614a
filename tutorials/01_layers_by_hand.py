# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1 · Layers by hand: forward, backward, and a check that catches mistakes
#
# A GAN is two neural networks and two losses. Everything that makes it learn is the
# chain rule, applied layer by layer. In this tutorial we derive, on paper, the forward
# and backward pass of every layer the paper's networks use — **Linear, ReLU, Sigmoid,
# Maxout and Dropout** — then run minigan's code for them and check every gradient
# against finite differences. At the end we break two backward passes on purpose and
# watch the check catch them.
#
# **The contract of a layer.** A layer is a function $y = f(x;\theta)$. During
# back-propagation some loss $L$ sits downstream, and the layer receives the *upstream
# gradient* $\delta y = \partial L/\partial y$ (same shape as $y$). Its job is to return
#
# $$\delta x = \frac{\partial L}{\partial x}, \qquad
#   \delta\theta = \frac{\partial L}{\partial \theta},
#   \qquad\text{with}\qquad
#   \frac{\partial L}{\partial x_i} = \sum_j \frac{\partial L}{\partial y_j}\,
#   \frac{\partial y_j}{\partial x_i}.$$
#
# We never build the Jacobian $\partial y_j/\partial x_i$: for each layer the sum over
# $j$ collapses to one short array expression. In minigan:
#
# * `forward(x) -> y` computes $y$ and keeps exactly what backward will need;
# * `backward(dy) -> dx` returns $\delta x$ and **adds** $\delta\theta$ into `layer.grads`
#   (it never changes the weights — that is the optimiser's job, which is what makes a
#   gradient check possible).
#
# Run this file top to bottom (`python tutorials/01_layers_by_hand.py`) or open it as a
# notebook. `MINIGAN_QUICK=1` is accepted for uniformity (this tutorial is fast anyway).

# %%
from _setup import output_folder   # finds minigan; this tutorial is quick either way

import numpy as np
import matplotlib.pyplot as plt
from minigan.gradcheck import check_layer
from minigan.layers import Dropout, Layer, Linear, Maxout, ReLU, Sigmoid

OUT = output_folder("01_layers_by_hand")
np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)           # every random number below comes from this seed

# %% [markdown]
# ## 1. Linear: $y = xW + b$
#
# With a minibatch of $B$ rows, $x$ is $(B, n_\text{in})$, $W$ is
# $(n_\text{in}, n_\text{out})$, $b$ is $(n_\text{out})$ and
#
# $$y_{nj} = \sum_i x_{ni} W_{ij} + b_j .$$
#
# Differentiate one entry at a time. $y_{nj}$ depends on $W_{ij}$ through the single
# term $x_{ni}W_{ij}$, for every row $n$ of the batch, so
#
# $$\frac{\partial L}{\partial W_{ij}} = \sum_n \delta y_{nj}\, x_{ni}
#   = (x^\top \delta y)_{ij}, \qquad
#   \frac{\partial L}{\partial b_j} = \sum_n \delta y_{nj}, \qquad
#   \frac{\partial L}{\partial x_{ni}} = \sum_j \delta y_{nj}\, W_{ij} = (\delta y\, W^\top)_{ni}.$$
#
# A sanity check that catches most slips: each gradient has the shape of what it is the
# gradient of. $\delta W$ must be $(n_\text{in}, n_\text{out})$, and $x^\top\delta y$ is
# the only product of $x$ and $\delta y$ with that shape. Note the batch sum in
# $\delta W$ and $\delta b$: a parameter is shared by every row, so its gradient
# collects a contribution from every row.
#
# Here it is as a minigan layer, written from the three equations. Forward keeps $x$,
# because $\delta W$ needs it.

# %%
class MyLinear(Layer):
    """y = x W + b, written from the derivation above."""

    def __init__(self, n_in, n_out, rng):
        super().__init__()
        self._add_param("W", rng.uniform(-0.5, 0.5, size=(n_in, n_out)))
        self._add_param("b", rng.uniform(-0.5, 0.5, size=n_out))

    def forward(self, x):
        self._cache = x                                  # backward needs x for dW
        return x @ self.params["W"] + self.params["b"]

    def backward(self, dy, input_grad=True):
        x = self._cache
        self.grads["W"] += x.T @ dy                      # dL/dW = xᵀ dy
        self.grads["b"] += dy.sum(axis=0)                # dL/db = Σ_batch dy
        self._grads_zero = False                         # tell zero_grad() there is something to clear
        return dy @ self.params["W"].T                   # dL/dx = dy Wᵀ


mine = MyLinear(3, 2, rng)
x = rng.uniform(-1, 1, size=(4, 3))                      # a batch of B = 4 rows
y = mine.forward(x)
dy = rng.standard_normal(y.shape)                        # some upstream gradient
dx = mine.backward(dy)
print("x", x.shape, "-> y", y.shape, "| dy", dy.shape, "-> dx", dx.shape,
      "dW", mine.grads["W"].shape, "db", mine.grads["b"].shape)

# %% [markdown]
# minigan's own `Linear` is the same three lines (plus shape checks and a faster
# in-place path). Give it our weights and it must agree to the last bit:

# %%
theirs = Linear(3, 2, dtype="float64")
theirs.params["W"][...] = mine.params["W"]
theirs.params["b"][...] = mine.params["b"]
same_y = np.array_equal(theirs.forward(x), y)
same_dx = np.allclose(theirs.backward(dy), dx, rtol=1e-15, atol=1e-15)
same_dW = np.allclose(theirs.grads["W"], mine.grads["W"], rtol=1e-15, atol=1e-15)
print(f"minigan Linear agrees with MyLinear: y {same_y}, dx {same_dx}, dW {same_dW}")
assert same_y and same_dx and same_dW

# %% [markdown]
# ### How do we *know* a backward is right? Finite differences.
#
# For any parameter entry $\theta_i$, the derivative is a limit we can approximate by
# nudging it: $\partial L/\partial\theta_i \approx [L(\theta_i+h) - L(\theta_i-h)]/2h$.
# `minigan.gradcheck.check_layer(layer, x)` does this for every entry of $x$ and of every
# parameter (up to 200 per tensor, chosen at random), in float64, with a sharper
# four-point version of that formula. It uses a random upstream gradient $R$ so that it
# checks $\partial\langle y, R\rangle/\partial\theta$ — i.e. backward for an arbitrary
# $\delta y$, not just for one convenient loss. It then prints one row per tensor: the
# largest relative error $|a - n|/(|a| + |n|)$ between the analytic ($a$, from backward)
# and numeric ($n$) derivative, and a verdict: **exact** ($< 10^{-10}$), **close**
# ($< 10^{-7}$) or **wrong**. (The **floor** column is the smallest derivative the
# finite difference can resolve above round-off; entries below it are compared in
# absolute terms. **kinks** comes up with ReLU, below.)

# %%
report = check_layer(MyLinear(5, 3, rng), rng.uniform(-2, 2, size=(4, 5)))
print(report)
assert report.ok
print()
print(check_layer(Linear(5, 3, init="glorot", rng=1), rng.uniform(-2, 2, size=(4, 5))))

# %% [markdown]
# Errors around $10^{-11}$: agreement to ten digits. A typo in a backward pass gives
# errors of order $10^{-3}$ to $1$ — there is no grey zone between the two.
#
# ## 2. ReLU: $y = \max(x, 0)$
#
# Elementwise, so the Jacobian is diagonal and the sum over $j$ has one term:
#
# $$\delta x = \delta y \odot [x > 0].$$
#
# The gradient passes where the unit was active and is blocked where it was not.
# At $x = 0$ there is no derivative (a *kink*); minigan takes the left slope, 0.
# Backward needs only the sign of $x$, and $y > 0$ exactly where $x > 0$, so the layer
# keeps $y$. Here is minigan's backward, in full:

# %%
import inspect
print(inspect.getsource(ReLU._backward))

# %% [markdown]
# Checking it needs one precaution: a finite difference that straddles the kink measures
# an average of the two slopes, which matches neither. The checker compares differences
# taken at $h$ and at $2h$ ($h = 10^{-4}$): where they disagree, a kink lies within reach,
# and the entry is left out and counted in the **kinks** column. Below, three inputs sit
# within $10^{-4}$ of zero. (An input *exactly* at 0 slips through — both differences
# then see the same average slope ½ — so keep test inputs off the kink itself, as
# minigan's own test suite does.)

# %%
x = rng.uniform(-2, 2, size=(4, 5))
x[0, :3] = [3e-5, -5e-5, 1e-4]
report = check_layer(ReLU(), x)
print(report)
assert report.ok and report["x"].kinks == 3

# %% [markdown]
# ## 3. Sigmoid: $y = \sigma(x) = 1/(1 + e^{-x})$
#
# $$\frac{d\sigma}{dx} = \frac{e^{-x}}{(1 + e^{-x})^2}
#   = \underbrace{\frac{1}{1 + e^{-x}}}_{\sigma(x)}\cdot
#     \underbrace{\frac{e^{-x}}{1 + e^{-x}}}_{1-\sigma(x)}
#   \qquad\Longrightarrow\qquad \delta x = \delta y \odot y\,(1 - y).$$
#
# The derivative is written in terms of the *output*, so forward keeps $y$.
# Remember its shape: $y(1-y)$ peaks at $\tfrac14$ at $x = 0$ and is nearly $0$ once
# $|x| \gtrsim 5$ — the sigmoid *saturates*. Tutorial 2 shows how that shapes the
# generator's loss. (minigan computes $\sigma$ as $\tfrac12(1 + \tanh(x/2))$, the same
# function, which never overflows.)

# %%
print(inspect.getsource(Sigmoid._backward))
report = check_layer(Sigmoid(), rng.uniform(-4, 4, size=(4, 5)))
print(report)
assert report.ok

# %% [markdown]
# ## 4. Maxout: the max of several linear pieces
#
# The paper's discriminator is built of maxout units (Goodfellow et al. 2013). A layer of
# $U$ units with $P$ pieces each is a Linear layer to $U\cdot P$ outputs, $z = xW + b$,
# viewed as $(B, U, P)$, followed by a max over the pieces:
#
# $$y_{nu} = \max_p z_{nup}.$$
#
# The max is locally just *one* of its arguments: the winning piece
# $p^* = \arg\max_p z_{nup}$. So the gradient is routed to the winner and the others
# get none:
#
# $$\delta z_{nup} = \delta y_{nu}\,[p = p^*_{nu}],$$
#
# then Linear's backward carries $\delta z$ on to $\delta W$, $\delta b$ and $\delta x$.
# Forward keeps $x$ (for Linear) and the winners $p^*$. A unit is a convex,
# piecewise-linear function of its input, and it learns *where its kinks are* — which
# is why a few maxout units can carve out a good decision boundary.

# %%
maxout = Maxout(5, 3, 4, init="glorot", rng=2, dtype="float64")   # 3 units × 4 pieces
x = rng.uniform(-2, 2, size=(2, 5))
y = maxout.forward(x)
z = (x @ maxout.params["W"] + maxout.params["b"]).reshape(2, 3, 4)
print("pieces z of the first row, one line per unit:\n", z[0])
print("y (the max of each line):", y[0], " winners p*:", z[0].argmax(axis=1))
report = check_layer(Maxout(5, 3, 4, init="glorot", rng=2), rng.uniform(-2, 2, size=(4, 5)))
print(report)
assert report.ok

# %% [markdown]
# ## 5. Dropout: a random mask, the same one both ways
#
# While training, (inverted) dropout draws a mask $m_i \sim \text{Bernoulli}(k)$ —
# $k$ is the probability to *keep* — and scales the survivors by $1/k$ so that the
# expected output is unchanged, $\mathbb E[y_i] = x_i$:
#
# $$y = x \odot m / k, \qquad \delta x = \delta y \odot m / k .$$
#
# Once $m$ is drawn, dropout is a fixed linear map, and its backward is that map again.
# The mask is part of the function: backward must use **the mask forward drew**, not a
# new one and not none. That also means a gradient check has to hold the mask fixed
# while it nudges $x$ (minigan's checker does: `minigan.layers.held_masks`). In eval
# mode dropout is the identity, in both directions. The paper's $D$ keeps 80 % of its
# input pixels and 50 % of each hidden layer's units.

# %%
drop = Dropout(keep=0.5, rng=3)
x = np.ones((2, 6))
y = drop.forward(x)
print("y = x·m/k with x = 1:\n", y)
print("dx for dy = 1 (the same mask, scaled):\n", drop.backward(np.ones_like(y)))
print(check_layer(Dropout(0.8, rng=4), rng.uniform(-2, 2, size=(4, 6))))
report = check_layer(Dropout(0.8, rng=4).eval(), rng.uniform(-2, 2, size=(4, 6)))
report.title += " in eval mode (the identity)"
print(report)

# %% [markdown]
# ## 6. A picture: what backward computes
#
# For an elementwise layer, `backward(ones)` is the derivative $f'(x)$ at every input.
# Below, each layer's forward (grey), its backward (coloured) and a plain finite
# difference (dots) on a line of inputs. For maxout we use one unit of three pieces on a
# 1-D input: its derivative is the slope of whichever piece is on top.

# %%
xs = np.linspace(-4, 4, 801).reshape(-1, 1)
one_unit = Maxout(1, 1, 3, dtype="float64")
one_unit.params["W"][...] = [[-0.8, 0.2, 1.3]]
one_unit.params["b"][...] = [-1.0, 0.3, -1.5]
fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
for ax, (name, layer) in zip(axes, [("ReLU", ReLU()), ("Sigmoid", Sigmoid()),
                                    ("Maxout, 1 unit × 3 pieces", one_unit)]):
    ys = layer.forward(xs)
    slope = layer.backward(np.ones_like(ys))             # f'(x), one per input
    h = 1e-3
    fd = (layer.forward(xs + h) - layer.forward(xs - h)) / (2 * h)
    ax.plot(xs, ys, color="0.6", lw=2, label="forward  f(x)")
    ax.plot(xs, slope, color="tab:red", lw=1.5, label="backward(1) = f′(x)")
    ax.plot(xs[::40], fd[::40], "o", ms=3.5, color="black", label="finite difference")
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.set_title(name, fontsize=10)
    ax.set_xlabel("x")
axes[1].annotate("peak ¼: the sigmoid\nsaturates on both sides", xy=(0, 0.25), xytext=(0.6, 0.5),
                 fontsize=8, arrowprops=dict(arrowstyle="->", lw=0.8))
axes[0].annotate("at the kink the centred\ndifference sees the\nmean slope ½", xy=(0, 0.5),
                 xytext=(0.7, 1.6), fontsize=8, arrowprops=dict(arrowstyle="->", lw=0.8))
axes[0].legend(fontsize=8, loc="upper left")
fig.suptitle("forward, the derivative backward computes, and a finite-difference check", fontsize=10)
fig.tight_layout()
fig.savefig(OUT / "derivatives.png", dpi=100)
plt.close(fig)
print("wrote", OUT / "derivatives.png")

# %% [markdown]
# ## 7. Breaking things on purpose
#
# A gradient check earns its keep when the code is wrong. Two realistic bugs:
#
# 1. **A sigmoid whose backward is 1 % off** — e.g. a constant mistyped. Training would
#    still "work" (the direction is right), which is exactly why such a bug survives
#    without a check. The relative error of every entry is $0.01/2.01 \approx 5\cdot10^{-3}$.
# 2. **A dropout that forgets its mask in backward** — it scales $\delta y$ by $1/k$ but
#    lets gradient through units that forward switched off. A classic, and the reason
#    the checker holds masks fixed: the numeric derivative of a dropped unit is exactly
#    0, the buggy analytic one is not.

# %%
class SloppySigmoid(Sigmoid):
    def _backward(self, dy, y):
        return 1.01 * super()._backward(dy, y)          # 1 % too large


class ForgetfulDropout(Dropout):
    def backward(self, dy, input_grad=True):
        return dy / self.keep                            # the mask m is missing


for broken in (SloppySigmoid(), ForgetfulDropout(0.5, rng=5)):
    report = check_layer(broken, rng.uniform(-2, 2, size=(4, 6)))
    print(report, "\n")
    assert not report.ok, "the check should have caught this bug"

# %% [markdown]
# Both are flagged **wrong**, the sigmoid at $5\cdot10^{-3}$ (just as predicted), the
# dropout at $1$ (a dropped unit: analytic $\ne 0$, numeric $= 0$).
#
# **What to take away.** Every backward pass is a few lines that mirror the chain rule,
# and every one of them can be checked numerically in milliseconds. `minigan gradcheck`
# (the command line) runs these checks and more: every loss, the discriminator step, and
# the generator's gradient flowing *through* a frozen discriminator — which is where
# tutorial 3 goes next, after tutorial 2 has looked at the losses.
