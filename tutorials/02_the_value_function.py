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
# # 2 · The value function, the two losses, and why one of them saturates
#
# Goodfellow et al. define a GAN as a two-player game with value function
#
# $$\min_G \max_D V(D, G) = \mathbb E_{x\sim p_\text{data}}[\log D(x)]
#   + \mathbb E_{z\sim p_z}[\log(1 - D(G(z)))].$$
#
# $D(x) \in (0, 1)$ is the discriminator's probability that $x$ is real. $D$ wants
# $V$ large: $D(x) \to 1$ on data, $D(G(z)) \to 0$ on fakes. $G$ wants $V$ small: it
# wants its fakes called real. In this tutorial we turn $V$ into the losses minigan
# actually minimises, derive their gradients, and see — in a picture and in a
# measurement — why the paper trains $G$ with a *different* loss than the minimax one.

# %%
from _setup import QUICK, output_folder   # finds minigan, reads MINIGAN_QUICK

import math
from functools import partial

import numpy as np
import matplotlib.pyplot as plt
from minigan import backend, data, models
from minigan.functions import sigmoid
from minigan.gradcheck import check_loss
from minigan.layers import frozen
from minigan.losses import bce_with_logits, discriminator_loss, generator_loss

OUT = output_folder("02_the_value_function")
np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. Logits, and the cross-entropy written in them
#
# minigan's $D$ does not end in a sigmoid: it outputs a **logit** $l$, and
# $D(x) = \sigma(l)$. Working in logits keeps everything finite (no $\log 0$) and makes
# the gradients strikingly simple. Two identities do all the work:
#
# $$\log\sigma(l) = -\operatorname{softplus}(-l), \qquad
#   \log(1 - \sigma(l)) = -\operatorname{softplus}(l), \qquad
#   \operatorname{softplus}(u) = \log(1 + e^u).$$
#
# The binary cross-entropy of a prediction $\sigma(l)$ against a target $t\in\{0, 1\}$
# is therefore
#
# $$\mathrm{BCE}(l, t) = -t\log\sigma(l) - (1-t)\log(1-\sigma(l))
#   = \operatorname{softplus}(l) - t\,l$$
#
# (using $\operatorname{softplus}(-l) = \operatorname{softplus}(l) - l$), and since
# $\operatorname{softplus}'(l) = \sigma(l)$:
#
# $$\frac{\partial\,\mathrm{BCE}}{\partial l} = \sigma(l) - t .$$
#
# Prediction minus target — no division by $D$, nothing to blow up. Averaged over $N$
# logits, each gradient gets a factor $1/N$.

# %%
logits = np.array([-4.0, -1.0, 0.0, 1.0, 4.0])
value, grad = bce_with_logits(logits, 1.0)
print("σ(l)           :", sigmoid(logits))
print("BCE(l, 1)      :", value)
print("dBCE/dl (×N)   :", grad * len(logits), "  = σ(l) − 1")

# %% [markdown]
# ## 2. From $V$ to the discriminator's loss
#
# Estimate $V$ on a minibatch of $m$ real and $m$ fake examples:
#
# $$\hat V = \frac1m\sum_i \log D(x^{(i)}) + \frac1m\sum_i \log\bigl(1 - D(G(z^{(i)}))\bigr)
#   = -\mathrm{BCE}(l_\text{real}, 1) - \mathrm{BCE}(l_\text{fake}, 0).$$
#
# Ascending $\hat V$ is descending its negative. minigan follows the paper's released
# code and minimises half of it,
#
# $$L_D = \tfrac12\bigl[\mathrm{BCE}(l_\text{real}, 1) + \mathrm{BCE}(l_\text{fake}, 0)\bigr]
#       = -\tfrac12\hat V,
#   \qquad
#   \frac{\partial L_D}{\partial l_\text{real}} = \frac{\sigma(l_\text{real}) - 1}{2m},
#   \quad
#   \frac{\partial L_D}{\partial l_\text{fake}} = \frac{\sigma(l_\text{fake})}{2m}.$$
#
# A useful landmark: a discriminator that cannot tell at all outputs $D = \tfrac12$
# everywhere, so $\hat V = 2\log\tfrac12 = -\log 4$ and $L_D = \log 2 \approx 0.693$.
# Training curves that hover near $\log 2$ mean $D$ is (on average) being fooled.

# %%
m = 6
l_real = rng.normal(1.5, 1.0, size=(m, 1))             # D mostly believes the real ones
l_fake = rng.normal(-1.0, 1.0, size=(m, 1))            # ... and mostly rejects the fakes
L_D, (d_real, d_fake) = discriminator_loss(l_real, l_fake)
V_hat = np.mean(np.log(sigmoid(l_real))) + np.mean(np.log(1 - sigmoid(l_fake)))
print(f"V̂ = {V_hat:.4f}    L_D = {float(L_D):.4f}    −½·V̂ = {-0.5 * V_hat:.4f}")
print("∂L_D/∂l_real × 2m:", (d_real * 2 * m).ravel(), " = σ(l_real) − 1")
print("∂L_D/∂l_fake × 2m:", (d_fake * 2 * m).ravel(), " = σ(l_fake)")
zeros = np.zeros((m, 1))
print(f"D = ½ everywhere: L_D = {float(discriminator_loss(zeros, zeros)[0]):.4f}, "
      f"log 2 = {math.log(2):.4f}")

# %% [markdown]
# ## 3. The generator's two losses
#
# $G$ only appears in the second term of $V$. The **minimax** game has $G$ minimise it
# directly; with $l = $ D's logit on a fake,
#
# $$L_G^\text{minimax} = \frac1m\sum_i\log\bigl(1 - \sigma(l_i)\bigr)
#   = -\frac1m\sum_i\operatorname{softplus}(l_i),
#   \qquad \frac{\partial L_G^\text{minimax}}{\partial l_i} = -\frac{\sigma(l_i)}{m}.$$
#
# The paper (§3) warns: *"Early in learning, when G is poor, D can reject samples with
# high confidence because they are clearly different from the training data. In this
# case, $\log(1 - D(G(z)))$ saturates. Rather than training G to minimize
# $\log(1 - D(G(z)))$ we can train G to maximize $\log D(G(z))$."* That is the
# **non-saturating** loss — a BCE with the *real* label on the fakes:
#
# $$L_G^\text{non-sat} = -\frac1m\sum_i\log\sigma(l_i) = \frac1m\sum_i\operatorname{softplus}(-l_i),
#   \qquad \frac{\partial L_G^\text{non-sat}}{\partial l_i} = \frac{\sigma(l_i) - 1}{m}.$$
#
# Both push $l$ up (both derivatives are negative), and both have the same fixed point.
# What differs is **how hard they push**. Per fake, with $D(G(z)) = \sigma(l)$:
#
# $$\Bigl|\frac{\partial L_G}{\partial l}\Bigr| =
#   \begin{cases} D(G(z)) & \text{minimax} \\ 1 - D(G(z)) & \text{non-saturating.}\end{cases}$$
#
# When $D$ confidently rejects a fake, $D(G(z)) \approx 0$: the minimax gradient
# vanishes exactly when $G$ most needs to learn, and the non-saturating one is at its
# largest. Everything $G$ learns is this number times the backward pass through $D$ and
# $G$ (tutorial 3), so a vanishing factor here starves all of $G$.
#
# First, a gradient check of all the losses (the same finite differences as tutorial 1):

# %%
for kind in ("minimax", "non_saturating"):
    print(check_loss(partial(generator_loss, kind=kind), {"fake_logits": rng.normal(0, 2, (8, 1))},
                     title=f"gradcheck generator_loss ({kind})"), "\n")
print(check_loss(discriminator_loss, {"real_logits": rng.normal(0, 2, (8, 1)),
                                      "fake_logits": rng.normal(0, 2, (8, 1))}))

# %% [markdown]
# ## 4. The picture: gradient against $D(G(z))$
#
# We sweep $D(G(z))$ from $10^{-4}$ (a fake rejected with near certainty) to $0.9999$,
# turn each into the logit $l = \log\frac{D}{1-D}$, and ask minigan's `generator_loss`
# for the gradient (one logit at a time, $m = 1$).

# %%
p = np.logspace(-4, np.log10(0.9999), 400)
l_sweep = np.log(p / (1 - p)).reshape(-1, 1)
grad = {}
loss = {}
for kind in ("minimax", "non_saturating"):
    per_logit = [generator_loss(l_sweep[i:i + 1], kind) for i in range(len(p))]
    loss[kind] = np.array([float(v) for v, _ in per_logit])
    grad[kind] = np.array([abs(float(g[0, 0])) for _, g in per_logit])
assert np.allclose(grad["minimax"], p) and np.allclose(grad["non_saturating"], 1 - p)
for q in (0.5, 0.1, 0.01, 0.001):
    i = np.argmin(abs(p - q))
    print(f"D(G(z)) = {q:<6}  |∂L/∂l|  minimax {grad['minimax'][i]:.4f}   "
          f"non-saturating {grad['non_saturating'][i]:.4f}")

# %% [markdown]
# ## 5. Measured: a real discriminator learning to reject a poor generator
#
# The formula is one thing; does it matter for $G$'s *parameters*? Take the 1-D toy of
# the paper's Figure 1 — data $\mathcal N(4, 0.5^2)$ — and a small GAN
# (`models.toy(1)`) whose generator starts around $0$, far from the data: a "poor G".
# We freeze $G$ and train only $D$ (Algorithm 1's discriminator step), and every few
# steps measure the norm of $G$'s full parameter gradient $\lVert\nabla_{\theta_G}L_G\rVert$
# under each loss: the loss's gradient at the logits, back through the frozen $D$ and
# through $G$.

# %%
dataset = data.load("gaussian-1d", seed=0)
gan = models.toy(1, seed=0)                              # G(z) starts near 0; the data sit at 4
z = gan.noise.sample(512, backend.rng(1))                # one fixed batch of noise to measure on
pick = np.random.default_rng(2)


def g_gradient_norm(kind):
    """‖∇_θG L_G‖ for this noise batch: loss → frozen D → G, nothing updated."""
    fake_logits = gan.D.forward(gan.G.forward(z))
    _, d_logits = generator_loss(fake_logits, kind)
    gan.G.zero_grad()
    with frozen(gan.D):                                  # D passes the gradient on, learns nothing
        d_fake = gan.D.backward(d_logits)
    gan.G.backward(d_fake)
    norm = math.sqrt(sum(float((g * g).sum()) for g in gan.G.grads.values()))
    return norm, float(sigmoid(fake_logits).mean())


d_steps = 150 if QUICK else 400
history = []
for step in range(d_steps + 1):
    if step % 10 == 0:
        mm, d_gz = g_gradient_norm("minimax")
        ns, _ = g_gradient_norm("non_saturating")
        history.append((step, d_gz, mm, ns))
    if step < d_steps:
        gan.discriminator_step(dataset.train[pick.integers(0, len(dataset.train), size=100)])
history = np.array(history)
for step, d_gz, mm, ns in history[::len(history) // 5]:
    print(f"after {int(step):3d} D steps: mean D(G(z)) = {d_gz:.4f}   ‖∇G‖ minimax {mm:.2e}   "
          f"non-saturating {ns:.2e}   ratio {ns / mm:7.1f}")

# %% [markdown]
# At the start $D$ is untrained and even slightly *prefers* the fakes
# ($D(G(z)) > \tfrac12$), so minimax pushes a little harder. Then $D$ learns: it becomes
# steeper around the fakes, which first raises both gradients, but as $D(G(z))$ sinks
# the minimax gradient on $G$'s parameters shrinks while the non-saturating one keeps
# growing. Their ratio follows $(1 - D)/D$ per fake — over a hundred to one by the end.

# %%
fig, (ax0, ax1, ax2) = plt.subplots(1, 3, figsize=(14, 4))
ax0.plot(p, loss["minimax"], color="tab:red", label=r"minimax: $\log(1 - D(G(z)))$")
ax0.plot(p, loss["non_saturating"], color="tab:blue", label=r"non-saturating: $-\log D(G(z))$")
ax0.set_xscale("log")
ax0.set_xlabel("D(G(z))")
ax0.set_ylabel("G's loss (G descends it)")
ax0.set_title("the two generator losses", fontsize=10)
ax0.legend(fontsize=8)

ax1.plot(p, grad["minimax"], color="tab:red", label="minimax:  D(G(z))")
ax1.plot(p, grad["non_saturating"], color="tab:blue", label="non-saturating:  1 − D(G(z))")
ax1.axvspan(1e-4, 0.05, color="0.92", zorder=0)
ax1.text(2e-4, 0.3, "D confidently\nrejects the fake:\nminimax saturates", fontsize=8)
ax1.set_xscale("log")
ax1.set_xlabel("D(G(z))")
ax1.set_ylabel(r"$|\partial L_G / \partial l|$  per fake")
ax1.set_title("gradient reaching D's logit", fontsize=10)
ax1.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, 0.9))

ax2.plot(history[:, 1], history[:, 2], "o-", ms=3, color="tab:red", label="minimax")
ax2.plot(history[:, 1], history[:, 3], "o-", ms=3, color="tab:blue", label="non-saturating")
ax2.set_xscale("log")
ax2.set_yscale("log")
ax2.invert_xaxis()
ax2.set_xlabel("mean D(G(z))   (D trains →)")
ax2.set_ylabel(r"$\|\nabla_{\theta_G} L_G\|$")
ax2.set_title("measured: 1-D toy, G frozen, D training", fontsize=10)
ax2.legend(fontsize=8)
fig.tight_layout()
fig.savefig(OUT / "saturation.png", dpi=100)
plt.close(fig)
print("wrote", OUT / "saturation.png")

# %% [markdown]
# **Reading the figure.** Left: both losses fall as $D(G(z))$ rises, but the minimax one
# (red) is nearly flat on the left, where a poor $G$ lives. Middle: its slope in the
# logit is $D(G(z))$ itself — at $D(G(z)) = 0.01$ the minimax gradient is 1 % of its
# maximum, while the non-saturating one is 99 %. Right: the same, measured on a real
# network's parameters.
#
# So minigan offers both (`generator_loss(..., kind="minimax" | "non_saturating")`,
# `minigan train --g-loss`), and — like the paper — trains with **non-saturating** by
# default. Note what does *not* change: the discriminator's loss, and the game's fixed
# point. At $D(G(z)) = \tfrac12$ both gradients are $\tfrac12$ per fake.
#
# Next, tutorial 3 follows one iteration of Algorithm 1 through every tensor.
