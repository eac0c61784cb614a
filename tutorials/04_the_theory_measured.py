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
# # 4 · The theory, measured
#
# Section 4 of the paper proves two facts about the game
# $V(D, G) = \mathbb E_{p_\text{data}}[\log D(x)] + \mathbb E_{p_g}[\log(1 - D(x))]$
# (written with $p_g$, the distribution of $G(z)$, instead of $z$):
#
# * **Proposition 1.** For a fixed $G$, the best discriminator is
#   $D^*_G(x) = \dfrac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}$.
# * **Theorem 1.** Against that discriminator the game's value is
#   $C(G) = \max_D V(D, G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data}\,\|\,p_g)$, so its
#   global minimum, $-\log 4$, is reached exactly when $p_g = p_\text{data}$.
#
# In one dimension both densities can be put on a grid and every integral done
# numerically, so we can check the algebra to many digits, and then check the claim
# that matters in practice: that *training* $D$ with Algorithm 1's discriminator step
# actually finds $D^*$. The functions live in `minigan.metrics.theory`.

# %%
from _setup import QUICK, output_folder   # finds minigan, reads MINIGAN_QUICK

import math

import numpy as np
import matplotlib.pyplot as plt
from minigan import backend, data, models
from minigan.layers import Linear, Sequential
from minigan.metrics.theory import (c_of_g, gaussian_kde, jsd, optimal_discriminator,
                                    train_discriminator_to_convergence, value)
from minigan.optim import Adam, ExponentialDecay

OUT = output_folder("04_the_theory_measured")
LOG4 = math.log(4.0)

# %% [markdown]
# ## 1. Proposition 1 on paper
#
# Write $V$ as one integral over $x$:
#
# $$V(D, G) = \int \bigl[\,p_\text{data}(x)\log D(x) + p_g(x)\log(1 - D(x))\,\bigr]\,dx .$$
#
# $D$ is free to take any value in $[0, 1]$ at every $x$ separately, so we can maximise
# the integrand pointwise. For $a, b > 0$ the function $y \mapsto a\log y + b\log(1-y)$
# has derivative $a/y - b/(1-y)$, which vanishes at $y = a/(a+b)$, and it is concave, so
# that is the maximum. With $a = p_\text{data}(x)$, $b = p_g(x)$:
#
# $$D^*_G(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)} .$$
#
# ## 2. Theorem 1 on paper
#
# Substitute $D^*$ back and write $m = \tfrac12(p_\text{data} + p_g)$:
#
# $$C(G) = \int p_\text{data}\log\frac{p_\text{data}}{p_\text{data} + p_g}
#        + \int p_g\log\frac{p_g}{p_\text{data} + p_g}
#        = \int p_\text{data}\log\frac{p_\text{data}}{2m} + \int p_g\log\frac{p_g}{2m} .$$
#
# Pull the $\tfrac12$ out of each logarithm — each gives $-\log 2$, since both densities
# integrate to 1:
#
# $$C(G) = -\log 4 + \mathrm{KL}(p_\text{data}\,\|\,m) + \mathrm{KL}(p_g\,\|\,m)
#        = -\log 4 + 2\,\mathrm{JSD}(p_\text{data}\,\|\,p_g).$$
#
# The Jensen–Shannon divergence is $\ge 0$ and zero only when the two densities are
# equal; it is at most $\log 2$, reached when they do not overlap at all. So
# $-\log 4 \le C(G) \le 0$.
#
# ## 3. The algebra, checked on a grid
#
# Data: the paper's 1-D Gaussian $\mathcal N(4, 0.5^2)$. For $G$ we take a generator
# whose density we know exactly: the linear map $G(z) = 3.5 + 0.8\,z$, $z\sim\mathcal N(0,1)$,
# so $p_g = \mathcal N(3.5, 0.8^2)$ — too far left and too wide.

# %%
dataset = data.load("gaussian-1d", seed=0)


def normal_pdf(x, mu, s):
    return np.exp(-0.5 * ((np.asarray(x) - mu) / s) ** 2) / (s * math.sqrt(2 * math.pi))


grid = np.linspace(-4.0, 12.0, 8001)                     # wide enough for both densities
p_data = dataset.distribution.pdf(grid)
p_g = normal_pdf(grid, 3.5, 0.8)
d_star = optimal_discriminator(p_data, p_g)

print(f"V(D*, G)                 = {value(d_star, p_data, p_g, grid):+.8f}")
print(f"−log 4 + 2·JSD(p_data‖p_g) = {c_of_g(p_data, p_g, grid):+.8f}   "
      f"(JSD = {jsd(p_data, p_g, grid):.6f}, at most log 2 = {math.log(2):.6f})")
print("any other D does worse:")
for name, D in [("D = ½ everywhere", np.full_like(grid, 0.5)),
                ("D = 0.9·D* + 0.05", 0.9 * d_star + 0.05),
                ("D = D*² (over-confident on fakes)", d_star ** 2),
                ("D = p_data / (p_data + N(4, 0.8²))", optimal_discriminator(p_data, normal_pdf(grid, 4, 0.8)))]:
    print(f"   V = {value(D, p_data, p_g, grid):+.6f}   {name}")
assert abs(value(d_star, p_data, p_g, grid) - c_of_g(p_data, p_g, grid)) < 1e-8

# %% [markdown]
# Both sides of Theorem 1 agree to the last printed digit, and every other discriminator
# gives a smaller $V$. (A plain $D = \frac12$ always scores exactly $-\log 4$: it is
# the optimal discriminator only when there is nothing to discriminate.)
#
# How does $C(G)$ depend on $G$? Slide a Gaussian $p_g$ across the data, or stretch it:

# %%
mus = np.linspace(0.0, 8.0, 81)
sigmas = np.geomspace(0.05, 4.0, 81)
c_mu = [c_of_g(p_data, normal_pdf(grid, mu, 0.5), grid) for mu in mus]
c_sigma = [c_of_g(p_data, normal_pdf(grid, 4.0, s), grid) for s in sigmas]
print(f"C(G) at p_g = p_data: {c_of_g(p_data, normal_pdf(grid, 4.0, 0.5), grid):+.6f}  (−log 4 = {-LOG4:+.6f})")
print(f"C(G) with p_g = N(0, 0.5²), no overlap: {c_mu[0]:+.6f}  (the ceiling is 0)")

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10.5, 3.8))
for ax, xs, cs, label, truth in [(ax0, mus, c_mu, r"mean $\mu$ of $p_g = \mathcal{N}(\mu, 0.5^2)$", 4.0),
                                 (ax1, sigmas, c_sigma, r"std $s$ of $p_g = \mathcal{N}(4, s^2)$", 0.5)]:
    ax.plot(xs, cs, color="tab:green", lw=2, label=r"$C(G) = -\log 4 + 2\,\mathrm{JSD}$")
    ax.axhline(-LOG4, color="black", ls=":", label=r"$-\log 4$ (global minimum)")
    ax.axhline(0.0, color="0.6", ls="--", lw=0.8, label="0 (no overlap)")
    ax.axvline(truth, color="0.8", lw=0.8, zorder=0)
    ax.set_xlabel(label)
    ax.set_ylim(-1.5, 0.1)
ax1.set_xscale("log")
ax0.set_ylabel("C(G)")
ax0.set_title("sliding G across the data", fontsize=10)
ax1.set_title("stretching G around the data", fontsize=10)
ax0.legend(fontsize=8, loc="lower right")
fig.suptitle(r"Theorem 1: the game's value against the best D is minimal exactly at $p_g = p_{data}$",
             fontsize=10)
fig.tight_layout()
fig.savefig(OUT / "c_of_g.png", dpi=100)
plt.close(fig)
print("wrote", OUT / "c_of_g.png")

# %% [markdown]
# $C(G)$ has its unique minimum $-\log 4$ at $p_g = p_\text{data}$. Note also how it
# **flattens** at $0$ as soon as the two densities stop overlapping ($\mu \lesssim 2$ or
# $\mu \gtrsim 6$): there, moving $G$ a little changes nothing in the criterion. That is
# the theoretical face of the saturation we met in tutorial 2, and one reason the paper
# does not train $G$ on $C(G)$'s minimax form.
#
# ## 4. Does training find $D^*$? Proposition 1, measured
#
# The proofs assume $D$ can reach $D^*$. Let us see whether Algorithm 1's
# discriminator step — minibatches, Adam, a 64-unit MLP — gets there. We build a GAN
# whose generator is the linear $G(z) = 3.5 + 0.8z$ above, freeze it, and train only
# $D$ with `train_discriminator_to_convergence`. It runs `gan.discriminator_step` on
# real minibatches, evaluates $D$ on a grid, and compares it with
# $D^* = p_\text{data}/(p_\text{data} + p_g)$ where the data live (within $3\sigma$ of
# the mode). Because our $G$ is linear we can hand it the exact $p_g$; for a neural $G$
# it would estimate $p_g$ from samples. We train in rounds, to watch the distance to
# $D^*$ shrink.

# %%
mean, std = float(dataset.train.mean()), float(dataset.train.std())
gan = models.toy(1, seed=0, center=mean, scale=std)
linear_g = Linear(1, 1, bias=3.5)
linear_g.params["W"][...] = 0.8                          # G(z) = 3.5 + 0.8 z
gan.G = Sequential([linear_g])
g_before = {k: v.copy() for k, v in gan.G.params.items()}

total_steps = 1500 if QUICK else 5000
rounds = 5 if QUICK else 10
optimizer = Adam(ExponentialDecay(1e-3, (1e-3 / 1e-4) ** (1 / total_steps), 1e-4), betas=(0.5, 0.999))
trace = []
for r in range(rounds):
    report = train_discriminator_to_convergence(
        gan, dataset, total_steps // rounds, optimizer=optimizer, seed=r,
        p_g=lambda x: normal_pdf(x, 3.5, 0.8))
    trace.append(((r + 1) * (total_steps // rounds), report.max_error, report.c_of_g - report.value_d))
    print(f"after {trace[-1][0]:5d} D steps: max |D − D*| = {report.max_error:.4f}   "
          f"C(G) − V(D, G) = {trace[-1][2]:.2e}")
assert all(np.array_equal(gan.G.params[k], g_before[k]) for k in g_before), "G must stay frozen"
print(f"V(D, G) = {report.value_d:.5f} ≤ C(G) = {report.c_of_g:.5f}")

# %% [markdown]
# $D$ closes in on $D^*$: the largest gap anywhere on the data's support ends at a few
# hundredths (it is a maximum, so it is noisy: the edges of the support see few real
# samples), and $V(D, G)$ ends within about $10^{-3}$ of its ceiling $C(G)$ — never
# above it, as Proposition 1 says it cannot be. $G$'s parameters were never touched.
#
# ## 5. The value during a real run
#
# Finally, the whole game. We train the toy GAN of tutorial 3 (its $G$ learning 10×
# slower than $D$) and measure, every few iterations, $C(G) = -\log 4 + 2\,\mathrm{JSD}$
# with $p_g$ estimated from 5 000 samples of $G$ (a kernel density estimate). Beside it,
# the discriminator's own minibatch estimate of $V$, which is just $-2L_D$. Since
# $V(D, G) \le C(G)$ for every $D$, the estimate should sit below $C(G)$ (up to
# minibatch noise) — close to it only while $D$ is near $D^*$.

# %%
run = models.toy(1, seed=0, center=mean, scale=std)
run.g_optimizer = Adam(1e-4, betas=(0.5, 0.999))
pick = np.random.default_rng(0)
z_eval = run.noise.sample(5000, backend.rng(1))
near = np.linspace(1.0, 7.0, 3001)                       # a finer grid where G's samples lie
p_data_near = dataset.distribution.pdf(near)
iterations = 600 if QUICK else 2000
c_trace, v_trace = [], []
for i in range(iterations + 1):
    if i % 25 == 0:
        p_hat = gaussian_kde(backend.to_numpy(run.sample(z=z_eval)), near)
        c_trace.append((i, c_of_g(p_data_near, p_hat, near)))
    if i < iterations:
        stats = run.train_step(dataset.train[pick.integers(0, len(dataset.train), size=100)])
        v_trace.append(-2.0 * stats["d_loss"])
c_trace = np.array(c_trace)
print(f"C(G): {c_trace[0, 1]:+.4f} at the start, {c_trace[-1, 1]:+.4f} after {iterations} iterations "
      f"(−log 4 = {-LOG4:+.4f});   mean −2·L_D over the last 100: {np.mean(v_trace[-100:]):+.4f}")

# %%
fig, (ax0, ax1, ax2) = plt.subplots(1, 3, figsize=(15, 4))
g = report.grid
ax0.plot(g, report.p_data, color="black", ls=":", lw=2, label=r"$p_{data} = \mathcal{N}(4, 0.5^2)$")
ax0.plot(g, report.p_g, color="tab:green", lw=1.8, label=r"$p_g = \mathcal{N}(3.5, 0.8^2)$")
ax0.plot(g, report.d_star, color="0.45", lw=3, alpha=0.6, label=r"$D^* = p_{data}/(p_{data}+p_g)$")
ax0.plot(g, report.d, color="tab:blue", ls="--", lw=1.8, label=f"D after {total_steps} steps")
support = g[report.on_support]
ax0.axvspan(support.min(), support.max(), color="0.93", zorder=0, label="data ± 3σ (compared)")
ax0.set_xlim(0.5, 7.5)
ax0.set_ylim(0, 1.05)
ax0.set_xlabel("x")
ax0.set_title("Proposition 1: D trained with G frozen", fontsize=10)
ax0.legend(fontsize=7, loc="upper left")

t = np.array(trace)
ax1.plot(t[:, 0], t[:, 1], "o-", color="tab:blue", label=r"max $|D - D^*|$ on the data's support")
ax1.plot(t[:, 0], t[:, 2], "s-", color="tab:orange", label=r"$C(G) - V(D, G)$  ($\geq 0$)")
ax1.set_yscale("log")
ax1.set_xlabel("D steps (G frozen)")
ax1.set_title("D converges to D*", fontsize=10)
ax1.legend(fontsize=8)

its = np.arange(1, len(v_trace) + 1)
smooth = np.convolve(v_trace, np.ones(20) / 20, mode="valid")
ax2.plot(its, v_trace, color="tab:blue", alpha=0.2, lw=0.8)
ax2.plot(its[19:], smooth, color="tab:blue", label=r"$-2 L_D$: D's minibatch estimate of V")
ax2.plot(c_trace[:, 0], c_trace[:, 1], "o-", ms=3, color="tab:green",
         label=r"$C(G) = -\log 4 + 2\,\mathrm{JSD}$ (KDE of G)")
ax2.axhline(-LOG4, color="black", ls=":", label=r"$-\log 4$")
ax2.set_ylim(-1.6, -0.2)
ax2.set_xlabel("iteration of Algorithm 1")
ax2.set_title("the game's value during training", fontsize=10)
ax2.legend(fontsize=8, loc="upper right")
fig.tight_layout()
fig.savefig(OUT / "d_star.png", dpi=100)
plt.close(fig)
print("wrote", OUT / "d_star.png")

# %% [markdown]
# **Reading the figure.** Left: the trained $D$ (blue, dashed) lies on $D^*$ (thick
# grey) across the data's support: above ½ to the right, where $p_\text{data}$ exceeds
# $p_g$, below ½ to the left where $G$ puts too much mass. Outside the shaded band
# there are few real samples and $D$ is less constrained. Middle: the distance to $D^*$
# and the gap $C(G) - V(D, G)$ shrink as $D$ trains. Right: during real training,
# $C(G)$ falls from near $0$ (the initial spike-shaped $G$ barely overlaps the data) to
# almost exactly $-\log 4$. For the first hundred iterations $D$'s own estimate of $V$
# is far *below* $C(G)$: $D$ is nowhere near $D^*$ yet (it has not learnt how much
# better it could do against the spike), a gap the bound $V \le C$ allows. Then the
# two meet and settle together at $-\log 4$: $D(x) \approx \frac12$, the equilibrium
# of Theorem 1. The theorem describes the game as if $D$ were re-optimised at every
# step; in practice $D$ takes one step per iteration and catches up as $G$ slows down.
#
# Two caveats the paper states itself: the proof is about densities and an unlimited
# $D$, while we optimise a finite network's *parameters* by SGD; and in high dimensions
# we cannot compute $p_g$ at all — tutorial 5 meets that problem when it tries to
# measure a model of MNIST.
