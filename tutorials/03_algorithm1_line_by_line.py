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
# # 3 · Algorithm 1, line by line
#
# The paper's whole training procedure fits in one box:
#
# > **for** number of training iterations **do**
# > &nbsp;&nbsp;**for** $k$ steps **do**
# > &nbsp;&nbsp;&nbsp;&nbsp;• Sample minibatch of $m$ noise samples $\{z^{(1)},\dots,z^{(m)}\}$ from noise prior $p_g(z)$.
# > &nbsp;&nbsp;&nbsp;&nbsp;• Sample minibatch of $m$ examples $\{x^{(1)},\dots,x^{(m)}\}$ from data generating distribution $p_\text{data}(x)$.
# > &nbsp;&nbsp;&nbsp;&nbsp;• Update the discriminator by ascending its stochastic gradient
# > $\nabla_{\theta_d}\frac1m\sum_{i=1}^m\bigl[\log D(x^{(i)}) + \log(1 - D(G(z^{(i)})))\bigr]$.
# > &nbsp;&nbsp;**end for**
# > &nbsp;&nbsp;• Sample minibatch of $m$ noise samples $\{z^{(1)},\dots,z^{(m)}\}$ from noise prior $p_g(z)$.
# > &nbsp;&nbsp;• Update the generator by descending its stochastic gradient
# > $\nabla_{\theta_g}\frac1m\sum_{i=1}^m\log(1 - D(G(z^{(i)})))$.
# > **end for**
#
# (with $k = 1$ in the paper's experiments, and — tutorial 2 — $G$ in practice ascending
# $\log D(G(z))$ instead.) Here we execute **one iteration by hand** on the smallest
# possible problem, printing the shape and values of every tensor on the way forward and
# on the way back, then check that minigan's `GAN.train_step` does exactly the same thing
# — bit for bit. Then we let it run, and redraw the paper's Figure 1 from our own
# training.

# %%
from _setup import QUICK, output_folder   # finds minigan, reads MINIGAN_QUICK

import copy
from functools import partial

import numpy as np
from minigan import data, models
from minigan.functions import sigmoid
from minigan.gradcheck import check, check_generator_chain
from minigan.layers import frozen
from minigan.losses import discriminator_loss, generator_loss
from minigan.metrics.theory import jsd
from minigan.optim import Adam
from minigan.plotting import figure1, figure1_animation, train_snapshots
from minigan.plotting.fig1 import frame_iterations

OUT = output_folder("03_algorithm1_line_by_line")
np.set_printoptions(precision=4, suppress=True)


def show(name, a, note=""):
    """One line per tensor: its name, shape, and its values (or the first few of row 0)."""
    a = np.asarray(a)
    small = 0 < np.abs(a).max() < 1e-2                  # tiny gradients: scientific notation
    fmt = dict(formatter={"float_kind": (lambda v: f"{v:.2e}") if small else (lambda v: f"{v:.4f}")})
    if a.size <= 8:
        values = np.array2string(a.ravel(), separator=" ", **fmt)
    else:
        column = a.ndim == 1 or a.shape[1] == 1
        first = a.ravel()[:4] if column else a[0, :4]
        values = ("first 4: " if column else "row 0: ") + np.array2string(first, separator=" ", **fmt)[:-1] + " …]"
    print(f"  {name:<27} {str(a.shape):<9} {values}  {note}")


# %% [markdown]
# ## The problem and the players
#
# The data are the paper's Figure 1 setting: one Gaussian, $p_\text{data} = \mathcal
# N(4, 0.5^2)$ in one dimension (`load("gaussian-1d")`, 20 000 training samples). The
# players are `models.toy(1)`: $G$ is a small MLP from $z\sim\mathcal N(0, 1)$ to $x$,
# $D$ a small MLP from $x$ to a logit, both with LeakyReLU hidden layers of 64 units,
# both trained with Adam. `center` and `scale` place them on the data at initialisation:
# $G$ starts as a narrow spike at the data's mean, and $D$'s kinks are spread over the
# data's range.

# %%
dataset = data.load("gaussian-1d", seed=0)
mean, std = float(dataset.train.mean()), float(dataset.train.std())
print(dataset)
print(f"data mean {mean:.3f}, std {std:.3f}")
gan = models.toy(1, seed=0, center=mean, scale=std)
print(gan)

m = 4                                                   # a tiny minibatch, so we can read it all
pick = np.random.default_rng(1)                         # draws the data minibatch
x = dataset.train[pick.integers(0, len(dataset.train), size=m)]
reference = copy.deepcopy(gan)                          # an untouched twin, for the final check
G, D = gan.G, gan.D

# %% [markdown]
# ## The discriminator step
#
# **Forward.** Sample $m$ noise vectors, make $m$ fakes, and run $D$ on the $2m$ rows
# $[x; G(z)]$ in one pass. Each layer's `forward` keeps what its backward will need
# (Linear keeps its input, LeakyReLU its input's sign). $G(z)$ is just data to $D$ here:
# no gradient will flow into $G$ during this step.

# %%
print("D step, forward")
z = gan.noise.sample(m, gan.rng)                        # z ~ p_z = N(0, 1)
show("z", z, "noise")
fake = G.forward(z)
show("G(z)", fake, "fakes, near the data's mean")
show("x", x, "real data, N(4, 0.5²)")
h = np.concatenate([x, fake])                           # the 2m rows D sees
show("[x; G(z)]", h)
for i, layer in enumerate(D.layers):                    # D.forward, one layer at a time
    h = layer.forward(h)
    show(f"D layer {i} {layer!r}", h)
logits = h
real_logits, fake_logits = logits[:m], logits[m:]
show("D(x) = σ(l_real)", sigmoid(real_logits))
show("D(G(z)) = σ(l_fake)", sigmoid(fake_logits))

# %% [markdown]
# **The loss and its gradient** (tutorial 2):
# $L_D = \frac12[\mathrm{BCE}(l_\text{real}, 1) + \mathrm{BCE}(l_\text{fake}, 0)] = -\frac12\hat V$,
# with $\partial L_D/\partial l_\text{real} = (\sigma(l_\text{real}) - 1)/2m$ and
# $\partial L_D/\partial l_\text{fake} = \sigma(l_\text{fake})/2m$.

# %%
d_loss, (d_real, d_fake) = discriminator_loss(real_logits, fake_logits)
print(f"  L_D = {float(d_loss):.5f}   (log 2 = 0.69315 would mean D cannot tell)")
show("∂L_D/∂l_real", d_real, "= (σ(l_real) − 1)/2m: push real logits up")
show("∂L_D/∂l_fake", d_fake, "= σ(l_fake)/2m: push fake logits down")
assert np.allclose(d_real, (sigmoid(real_logits) - 1) / (2 * m))

# %% [markdown]
# **Backward.** Start from $\partial L_D/\partial\,\text{logits}$ and run each layer's
# backward in reverse order. Each returns the gradient with respect to its input — the
# next one down receives it as its $\delta y$ — and Linear layers add
# $\delta W = h^\top\delta y$ and $\delta b = \sum\delta y$ into `D.grads`. Gradients
# from the real and the fake rows are summed into the same $\delta W$: one update
# serves both terms of $V$.

# %%
print("D step, backward")
D.zero_grad()
g = np.concatenate([d_real, d_fake])
show("∂L_D/∂logits", g)
for i in reversed(range(len(D.layers))):
    g = D.layers[i].backward(g)
    show(f"∂L_D/∂(in of D layer {i})", g)
for name, grad in D.grads.items():
    show(f"∂L_D/∂D.{name}", grad, f"‖·‖ = {np.linalg.norm(grad):.3e}")

# %% [markdown]
# The last "input gradient", $\partial L_D/\partial[x; G(z)]$, is computed but unused
# (minigan's own `discriminator_step` skips it with `input_grad=False`). The **update**
# is the optimiser's job, and the only thing that changes $D$'s weights. Ascending
# $\hat V$ = descending $L_D$. (The toy uses Adam, whose very first step moves every
# parameter by exactly its learning rate, $10^{-3}$: with one gradient seen,
# $\hat m/\sqrt{\hat v} = \pm1$.)

# %%
before = {k: v.copy() for k, v in D.params.items()}
gan.d_optimizer.step(D.params, D.grads)
print("D updated: largest change per parameter",
      {k: f"{np.abs(D.params[k] - before[k]).max():.1e}" for k in D.params})

# %% [markdown]
# ## The generator step
#
# **Forward.** Fresh noise, fresh fakes, and $D$'s (just updated) logits on them.
# **Loss:** non-saturating, $L_G = -\frac1m\sum\log D(G(z))$, so
# $\partial L_G/\partial l = (\sigma(l) - 1)/m$.
#
# **Backward — the heart of a GAN.** $G$'s loss is a function of $D$'s output, so its
# gradient must travel back *through* $D$ to reach $G(z)$, then through $G$ to $G$'s
# parameters. $D$ has to pass the gradient on without learning from it: Algorithm 1's
# generator step updates $\theta_g$ only. minigan says so with `with frozen(D):`, which
# makes $D$'s backward return $\partial L_G/\partial G(z)$ but add nothing to `D.grads`.
# (Frozen is not eval: the paper's $D$ keeps its dropout *active* while it back-propagates
# into $G$. The toy $D$ has no dropout.)

# %%
print("G step, forward")
z = gan.noise.sample(m, gan.rng)
show("z", z, "fresh noise")
h = z
for i, layer in enumerate(G.layers):                    # G.forward, one layer at a time
    h = layer.forward(h)
    show(f"G layer {i} {layer!r}", h)
fake = h
fake_logits = D.forward(fake)
show("l_fake = D(G(z)) logits", fake_logits)
g_loss, d_logits = generator_loss(fake_logits, "non_saturating")
print(f"  L_G = {float(g_loss):.5f}")
show("∂L_G/∂l_fake", d_logits, "= (σ(l) − 1)/m")

print("G step, backward")
D_grads_before = {k: v.copy() for k, v in D.grads.items()}
G.zero_grad()
with frozen(D):                                         # D passes ∂L_G/∂G(z) on, learns nothing
    g = D.backward(d_logits)
show("∂L_G/∂G(z)", g, "which way each fake should move")
assert all(np.array_equal(D.grads[k], D_grads_before[k]) for k in D.grads), "D must not learn here"
for i in reversed(range(len(G.layers))):
    g = G.layers[i].backward(g)
    show(f"∂L_G/∂(in of G layer {i})", g)
for name, grad in G.grads.items():
    show(f"∂L_G/∂G.{name}", grad, f"‖·‖ = {np.linalg.norm(grad):.3e}")
gan.g_optimizer.step(G.params, G.grads)
gan.iteration += 1

# %% [markdown]
# Read the sign of $\partial L_G/\partial G(z)$: $G$ *descends* $L_G$, so each fake
# moves against it — towards where $D$ believes data live.
#
# ## Did we do what minigan does?
#
# `reference` is the deep copy of the GAN we made before starting: same weights, same
# optimiser state, same random generator. One call of `GAN.train_step` on the same data
# minibatch must land on exactly the same parameters as our hand-made iteration:

# %%
reference.train_step(x)
for net in ("G", "D"):
    mine, theirs = getattr(gan, net).params, getattr(reference, net).params
    same = all(np.array_equal(mine[k], theirs[k]) for k in mine)
    print(f"{net}: hand-traced iteration == GAN.train_step: {same}")
    assert same

# %% [markdown]
# ## Checking every gradient we just used
#
# Tutorial 1 checked single layers. The same finite differences can check whole chains.
# `check_generator_chain` checks the generator step end to end: $z \to G \to D$
# (frozen) $\to L_G$, for $z$ and every parameter of $G$ — plus a row that fails if any
# gradient leaked into the frozen $D$. For the discriminator step, the general
# `check(forward, backward, tensors)` takes any function and its hand-written gradient.
# (The toy uses LeakyReLU, so an entry whose finite difference straddles a kink is set
# aside and counted under **kinks**.)

# %%
z = gan.noise.sample(8, np.random.default_rng(6))
report = check_generator_chain(G, D, z, partial(generator_loss, kind="non_saturating"))
print(report, "\n")
assert report.ok

D64 = copy.deepcopy(D).astype("float64")                # gradient checks run in float64
both = np.concatenate([dataset.train[:8], G.forward(z)]).astype("float64")


def d_step_loss():
    out = D64.forward(both)
    return discriminator_loss(out[:8], out[8:])[0]


def d_step_grads(R):
    D64.zero_grad()
    out = D64.forward(both)
    _, (gr, gf) = discriminator_loss(out[:8], out[8:])
    D64.backward(np.concatenate([gr, gf]) * R)
    return dict(D64.grads)


report = check(d_step_loss, d_step_grads, D64.params, title="gradcheck [x; G(z)] → D → L_D")
print(report)
assert report.ok

# %% [markdown]
# ## Now let it run: the paper's Figure 1
#
# Figure 1 of the paper shows four moments of training on exactly this problem: the data
# density (black, dotted), $G$'s density $p_g$ (green), the discriminator $D(x)$ (blue,
# dashed), and below them how $x = G(z)$ maps equally likely values of $z$ onto the $x$
# axis — arrows crowd where $p_g$ is high. We add $D^* = p_\text{data}/(p_\text{data} +
# p_g)$ in grey, the best discriminator against the current $G$ (tutorial 4).
#
# One change before we continue the run: the paper (§4) analyses $D$ "maintained near
# its optimal solution, so long as $G$ changes slowly enough". We give $G$ a learning
# rate ten times smaller than $D$'s (`plotting.fig1.make_figure1_gan` does the same),
# which makes the 1-D game settle cleanly. `train_snapshots` runs Algorithm 1
# (`gan.train_step`, minibatches of 100) and records snapshots along the way.

# %%
gan.g_optimizer = Adam(1e-4, betas=(0.5, 0.999))
iterations = 1000 if QUICK else 3000
panels = [0, 50, 150, iterations]                                    # the four panels
frames = frame_iterations(iterations, 12 if QUICK else 40)           # the animation's frames
start = gan.iteration
snaps = train_snapshots(dataset, gan=gan, iterations=iterations,
                        snapshot_at=sorted(set(panels) | set(frames)), seed=0)
by_step = {s.iteration - start: s for s in snaps}
for i in panels:
    s = by_step[i]
    p_data = dataset.distribution.pdf(s.x.reshape(-1, 1))
    print(f"iteration {s.iteration:5d}: G(z) mean {s.samples.mean():.3f} std {s.samples.std():.3f}"
          f"   JSD(p_data ‖ p_g) = {jsd(p_data, s.p_g, s.x):.4f}"
          f"   D(x) at the data's mean = {np.interp(mean, s.x, s.d):.3f}")

figure1([by_step[i] for i in panels], dataset, OUT / "figure1.png", d_star=True,
        title="Figure 1, redrawn from our own run of Algorithm 1 on N(4, 0.5²)")
figure1_animation([by_step[i] for i in frames], dataset, OUT / "figure1.gif")
print("wrote", OUT / "figure1.png", "and", OUT / "figure1.gif")

# %% [markdown]
# **Reading the figure** (panel letters as in the paper):
#
# * **(a)** At the start $p_g$ is a narrow spike, every arrow lands on the same spot, and
#   $D$ is an untrained, nearly flat curve. $D^*$ (grey) shows what a perfect
#   discriminator would say: "real" everywhere except where the spike is.
# * **(b)** $D$ has learned that the spike is fake: it dips there. $G$ follows $D$'s
#   gradient *outwards*, so the arrows fan out and $p_g$ widens.
# * **(c)** $p_g$ has roughly the data's width; what is left are small bumps, and $D$
#   leans against the remaining errors.
# * **(d)** $p_g \approx p_\text{data}$, and $D(x) \approx \frac12$ wherever the data
#   are: the discriminator "is unable to differentiate between the two distributions".
#   The equally spaced quantiles of $z$ now land as a Gaussian's quantiles would.
#
# Far from the data, where there are neither real nor fake samples, $D$ is whatever its
# initialisation left there: nothing in $V$ constrains it. (There $D^*$ is the ratio of
# two tiny density estimates, so its grey wiggles in the tails mean nothing either.) Tutorial 4 measures the theory
# behind panels (b)–(d): $D^*$ and the value $C(G) = -\log 4 + 2\,\mathrm{JSD}$.
