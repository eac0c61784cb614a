"""Algorithm 1 of Goodfellow et al. (2014): minibatch stochastic gradient training of GANs.

    for number of training iterations do
        for k steps do
            • Sample minibatch of m noise samples {z⁽¹⁾,…,z⁽ᵐ⁾} from noise prior p_g(z).
            • Sample minibatch of m examples {x⁽¹⁾,…,x⁽ᵐ⁾} from data generating distribution p_data(x).
            • Update the discriminator by ascending its stochastic gradient:
                  ∇_θd (1/m) Σᵢ [ log D(x⁽ⁱ⁾) + log(1 − D(G(z⁽ⁱ⁾))) ]
        end for
        • Sample minibatch of m noise samples {z⁽¹⁾,…,z⁽ᵐ⁾} from noise prior p_g(z).
        • Update the generator by descending its stochastic gradient:
              ∇_θg (1/m) Σᵢ log(1 − D(G(z⁽ⁱ⁾)))          ("minimax")
          or, as the paper trained it, ascending log D(G(z))  ("non_saturating").
    end for

D returns logits l (D(x) = σ(l)); ascending V is descending the loss
L_D = ½[BCE(l_real, 1) + BCE(l_fake, 0)], see minigan.losses.
"""
from . import backend
from .functions import sigmoid
from .layers import frozen
from .losses import G_LOSSES, discriminator_loss, generator_loss


class GAN:
    """A generator, a discriminator, their noise prior and optimisers, and Algorithm 1."""

    def __init__(self, generator, discriminator, noise, *, k=1, g_loss="non_saturating",
                 d_optimizer, g_optimizer, rng=None, g_steps=1):
        if g_loss not in G_LOSSES:
            raise ValueError(f"GAN: unknown g_loss {g_loss!r}; choose one of {G_LOSSES}")
        if int(k) < 1 or int(g_steps) < 1:
            raise ValueError(f"GAN: k and g_steps (steps per iteration) must be ≥ 1, got {k}, {g_steps}")
        self.G, self.D, self.noise = generator, discriminator, noise
        self.k, self.g_loss = int(k), g_loss
        self.g_steps = int(g_steps)   # 1 in the paper; more starves D (the "Helvetica scenario")
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        self.rng = backend.rng(rng)     # draws the noise minibatches
        self.iteration = 0

    # -- Algorithm 1 ----------------------------------------------------------------------
    def train_step(self, real_batches):
        """One iteration: a D step on each of the k minibatches given, then one G step."""
        if hasattr(real_batches, "shape"):
            real_batches = [real_batches]
        if len(real_batches) != self.k:
            raise ValueError(f"GAN.train_step: expected k={self.k} minibatches, got {len(real_batches)}")
        for real in real_batches:                               # for k steps do
            d_stats = self.discriminator_step(real)
        for _ in range(self.g_steps):                           # then the generator step
            g_stats = self.generator_step(real_batches[-1].shape[0])
        self.iteration += 1
        return {**d_stats, **g_stats}

    def discriminator_step(self, real):
        m = real.shape[0]
        z = self.noise.sample(m, self.rng)                      # sample m noise samples
        fake = self.G.forward(z)                                # G(z); no gradient into G here
        xp = backend.array_module(real)
        # D(x) and D(G(z)) in one pass over the 2m rows (each row has its own dropout mask)
        logits = self.D.forward(xp.concatenate([real, fake]))
        real_logits, fake_logits = logits[:m], logits[m:]
        loss, (d_real, d_fake) = discriminator_loss(real_logits, fake_logits)
        self.D.zero_grad()                                      # ascend ∇θd V = descend ∇θd L_D
        self.D.backward(xp.concatenate([d_real, d_fake]), input_grad=False)
        self.d_optimizer.step(self.D.params, self.D.grads)
        return {"d_loss": float(loss),
                "d_real": float(sigmoid(real_logits).mean()),
                "d_fake": float(sigmoid(fake_logits).mean())}

    def generator_step(self, m):
        z = self.noise.sample(m, self.rng)                      # sample m fresh noise samples
        fake_logits = self.D.forward(self.G.forward(z))         # D's dropout stays active
        loss, d_logits = generator_loss(fake_logits, self.g_loss)
        self.G.zero_grad()
        with frozen(self.D):                                    # D passes dL/dG(z), learns nothing
            d_fake = self.D.backward(d_logits)
        self.G.backward(d_fake, input_grad=False)               # descend ∇θg L_G
        self.g_optimizer.step(self.G.params, self.G.grads)
        return {"g_loss": float(loss)}

    # -- using the model ------------------------------------------------------------------
    def sample(self, n=None, z=None):
        """n samples G(z), z from the prior (or the given z)."""
        if z is None:
            z = self.noise.sample(n, self.rng)
        return self.G.forward(z)

    def discriminate(self, x):
        """D(x) = σ(logit) with D in eval mode (dropout off), as a probability of "real"."""
        was_training = self.D.training
        self.D.eval()
        try:
            return sigmoid(self.D.forward(x))
        finally:
            if was_training:
                self.D.train()

    def set_epoch(self, epoch):
        """Tell the optimisers' epoch schedules (the paper's momentum ramp) where we are."""
        for opt in (self.d_optimizer, self.g_optimizer):
            opt.set_epoch(epoch)

    def generators(self):
        """Every random generator the run draws from, by name: what exact resume must restore."""
        out = {"noise": self.rng}
        for net_name, net in (("G", self.G), ("D", self.D)):
            for i, m in enumerate(net.modules()):
                if hasattr(m, "rng"):
                    out[f"{net_name}.{i}"] = m.rng
        return out

    def __repr__(self):
        return (f"GAN(k={self.k}, g_loss={self.g_loss!r}, noise={self.noise!r},\n"
                f"G={self.G!r},\nD={self.D!r})")
