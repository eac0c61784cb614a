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
# # 6 · Failure modes: the Helvetica scenario, and a game that never settles
#
# The paper's theory (tutorial 4) says the game has one equilibrium, $p_g = p_\text{data}$,
# $D = \frac12$, and that the criterion $C(G)$ is convex in $p_g$. Section 6 is candid
# about what the theory leaves out:
#
# > *"The disadvantages are primarily that there is no explicit representation of
# > $p_g(x)$, and that D must be synchronized well with G during training (in particular,
# > G must not be trained too much without updating D, in order to avoid 'the Helvetica
# > scenario' in which G collapses too many values of z to the same value of x to have
# > enough diversity to model $p_\text{data}$)."*
#
# Here we provoke that collapse on purpose, measure it, and then look at the simplest
# game in which gradient steps — the only tool Algorithm 1 has — circle the equilibrium
# instead of reaching it.

# %%
from _setup import QUICK, output_folder   # finds minigan, reads MINIGAN_QUICK

import math

import numpy as np
from minigan import data
from minigan.game import alternating_invariant, play, radius
from minigan.metrics.modes import collapse_experiment, mode_coverage
from minigan.plotting import collapse_plot, game_plot

OUT = output_folder("06_failure_modes")

# %% [markdown]
# ## 1. Why too many generator steps collapse $G$
#
# Freeze $D$ and ask what $G$ would do if it could optimise its loss completely. With the
# non-saturating loss, $G$ minimises
#
# $$L_G(p_g) = \mathbb E_{x\sim p_g}\bigl[-\log D(x)\bigr] = \int p_g(x)\,\bigl(-\log D(x)\bigr)\,dx .$$
#
# This is *linear* in $p_g$: an average of the function $-\log D$ under $p_g$. An average
# is never smaller than the minimum of what is averaged, and it equals the minimum only
# when all the mass sits where the minimum is. So the best response to a fixed $D$ is
#
# $$p_g^\text{best} = \delta_{x^*}, \qquad x^* = \arg\max_x D(x):$$
#
# **every** $z$ mapped to the single point $D$ finds most convincing. Nothing in $G$'s
# loss rewards diversity; diversity only pays because $D$ *reacts* — it learns that
# $x^*$ is suspiciously popular, lowers $D(x^*)$, and $G$ has to spread out. Algorithm 1
# relies on that reaction being quick: one $G$ step per $D$ step ($k = 1$ in the paper).
# Give $G$ many steps per $D$ step and it runs towards the delta before $D$ can respond.
#
# ## 2. Measuring it: the ring of eight Gaussians
#
# The standard test bed (Metz et al. 2017) is a mixture of 8 Gaussians on a circle of
# radius 2 with $\sigma = 0.02$: eight sharp, well separated modes.
# `minigan.metrics.modes.mode_coverage` assigns each sample to its nearest mode and
# counts it as *high quality* if it lies within $3\sigma$ of it; a mode is *covered* if
# it received at least 1 % of the samples (Srivastava et al. 2017).
#
# A sanity check of the measure first: real data cover all 8 modes with (almost) all
# samples high quality, and a generator that put everything on one mode would cover 1.

# %%
dataset = data.load("ring-2d", seed=0)
ring = dataset.distribution
print(dataset)
print("real data:            ", mode_coverage(dataset.test, ring))
one_mode = ring.means[0] + ring.sigma * np.random.default_rng(0).standard_normal((2000, 2))
print("all mass on one mode: ", mode_coverage(one_mode, ring))

# %% [markdown]
# `collapse_experiment` trains the same small GAN (`models.toy(2)`, same seed, same
# data) twice: once as in the paper, with **1** generator step per discriminator step,
# and once with **10** generator steps per discriminator step (`GAN(g_steps=10)`). Then
# it draws 2 000 samples from each generator and measures them.

# %%
iterations = 1000 if QUICK else 2000
runs = collapse_experiment("ring-2d", g_steps_list=(1, 10), iterations=iterations, seed=0)
for g, run in sorted(runs.items()):
    print(f"{g:2d} G step(s) per D step: {run.report}")

panels = [(f"{g} G step{'s' if g > 1 else ''} per D step" + (" (the paper's)" if g == 1 else ""),
           run.samples, run.report) for g, run in sorted(runs.items())]
collapse_plot(panels, ring.means, OUT / "collapse.png", data=dataset.test,
              title=f"ring-2d after {iterations} iterations: G trained more than D collapses")
print("wrote", OUT / "collapse.png")

# %% [markdown]
# **Reading the figure.** Grey: the data; red crosses: the 8 mode centres, with the number
# of high-quality samples next to each; green: $G$'s samples. With the paper's schedule,
# $G$ spreads round the whole ring. (In a short run it has not yet sharpened onto each
# very narrow mode, $3\sigma = 0.06$, so fewer modes count as "covered" than the picture
# suggests; longer runs cover more.) With ten generator steps per discriminator step, $G$
# piles its samples into one clump — the Helvetica scenario: many values of $z$, one
# value of $x$. Nor does a collapsed generator settle: when $D$ finally catches up with
# the crowded spot, $G$ tends to jump to another one, and training chases its tail from
# mode to mode (Metz et al. 2017 show this on the same ring).
#
# (A GAN with one step each can still miss modes — mode collapse has other causes too —
# but starving $D$ is the one the paper names, and the easiest to avoid.)
#
# ## 3. A game where gradient play circles: $v(a, b) = a\,b$
#
# Even with perfectly balanced steps, gradient play need not converge. The smallest
# example is a two-player game with one number per player:
#
# $$\min_a \max_b\; v(a, b) = a\,b .$$
#
# Its only equilibrium is $(0, 0)$: if $b \neq 0$, $a$ can lower $v$ by moving against
# $b$'s sign, and vice versa. It is a saddle, like the GAN game. Each player follows its
# own gradient with step $\eta$, $\partial v/\partial a = b$, $\partial v/\partial b = a$.
#
# **Simultaneous steps** (both use the old values):
#
# $$\begin{pmatrix}a'\\ b'\end{pmatrix} = \begin{pmatrix}1 & -\eta\\ \eta & 1\end{pmatrix}
#   \begin{pmatrix}a\\ b\end{pmatrix},
#   \qquad a'^2 + b'^2 = (a - \eta b)^2 + (b + \eta a)^2 = (1 + \eta^2)(a^2 + b^2).$$
#
# The cross terms cancel: every step turns the point by $\arctan\eta$ and pushes it
# *outwards* by the factor $\sqrt{1 + \eta^2}$. The players spiral away from the
# equilibrium, however small $\eta$ is.
#
# **Alternating steps** — $b$ answers $a$'s *new* value, as Algorithm 1's $G$ step answers
# the $D$ step just taken: $a' = a - \eta b$, $b' = b + \eta a'$. The matrix now has
# determinant 1, and a short calculation shows that
# $Q(a, b) = a^2 + b^2 - \eta\,a b$ is conserved: the players go round a closed ellipse
# for ever, never drifting off, and never arriving either.

# %%
eta, steps = 0.1, 200
trajectories = {mode: play(mode, a0=1.0, b0=1.0, lr=eta, steps=steps)
                for mode in ("simultaneous", "alternating")}
r = radius(trajectories["simultaneous"])
print(f"simultaneous: distance to (0, 0) from {r[0]:.4f} to {r[-1]:.4f};  "
      f"predicted √2·(1 + η²)^(T/2) = {math.sqrt(2) * (1 + eta ** 2) ** (steps / 2):.4f}")
q = alternating_invariant(trajectories["alternating"], eta)
ra = radius(trajectories["alternating"])
print(f"alternating:  distance between {ra.min():.4f} and {ra.max():.4f};  "
      f"Q = a² + b² − η·a·b stays {q[0]:.6f} (spread {q.max() - q.min():.1e})")
assert abs(r[-1] - math.sqrt(2) * (1 + eta ** 2) ** (steps / 2)) < 1e-9
assert q.max() - q.min() < 1e-9

game_plot(trajectories, OUT / "game.png",
          title=f"gradient play on v(a, b) = a·b from (1, 1), η = {eta}, {steps} steps")
print("wrote", OUT / "game.png")

# %% [markdown]
# **Reading the figure.** Left: in the $(a, b)$ plane, simultaneous play (red) spirals
# outwards; alternating play (blue) retraces one closed orbit around the star at
# $(0, 0)$. Right: the distance to the equilibrium — growing exponentially for one,
# oscillating for ever for the other. Neither approaches $0$.
#
# The GAN game is this picture in millions of dimensions: near the equilibrium, $D$ and
# $G$ pull each other around in rotations, and whether training spirals in, circles, or
# spirals out depends on the curvature of the losses, the step sizes and the update
# order — none of which Theorem 1 controls. This is why GAN training needs care
# (balanced learning rates, $k$, momentum), why the paper's convergence result is about
# $p_g$ in function space rather than about gradient steps on parameters, and why later
# work (e.g. the NIPS 2016 GAN tutorial, where this example comes from; extragradient
# and two-timescale methods) focuses on the dynamics of the game.
