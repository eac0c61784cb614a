"""Presets: the paper's MNIST model and small models for the 1-D and 2-D toys.

paper_mnist() follows the released config of Goodfellow et al. (2014), `mnist.yaml` in
github.com/goodfeli/adversarial:
    z ~ U(−√3, √3)^100
    G: 100 → 1200 ReLU → 1200 ReLU → 784 sigmoid,  W ~ U(−0.05, 0.05),
       output bias = logit(mean pixel) ("init_sigmoid_bias_from_marginals")
    D: maxout 240×5 → maxout 240×5 → 1 (a logit),  W ~ U(−0.005, 0.005),
       dropout on each layer's input: keep 0.8 (scale 1.25), then keep 0.5 (scale 2)
    both: SGD, batch 100, lr 0.1 ÷ 1.000004 per minibatch (floor 1e-6),
          momentum 0.5 → 0.7 linearly by epoch 250.
"""
import math

from . import backend
from .gan import GAN
from .layers import Dropout, LeakyReLU, Linear, Maxout, ReLU, Sequential, Sigmoid
from .noise import GaussianNoise, UniformNoise
from .optim import SGD, Adam, ExponentialDecay, LinearRamp


def logit_of_marginals(pixel_means, eps=1e-6):
    """b = log(p / (1 − p)) with p clipped to [eps, 1 − eps]: σ(b) is the mean pixel."""
    xp = backend.xp()
    p = xp.clip(backend.to_device(pixel_means, dtype="float64"), eps, 1 - eps)
    return xp.log(p / (1 - p))


def paper_mnist(pixel_means=None, *, seed=0, k=1, g_loss="non_saturating", lr=0.1,
                noise_dim=100, hidden=1200, d_units=240, d_pieces=5, n_pixels=784, g_init=0.05):
    """The paper's MNIST GAN, ready to train. `pixel_means` (n_pixels,) sets G's output bias.

    g_init is the range of G's initial weights, U(−g_init, g_init): 0.05 in the paper.
    With it an untrained G(z) varies by ~0.01 per pixel across z (real digits: ~0.2), so
    every early sample is the same image, D learns to reject that one image, and on the
    bundled 4,000 digits G collapses for thousands of iterations. g_init = 0.2 gives G
    enough z-dependence to draw diverse digits within minutes (`minigan train --g-init`).
    """
    r = backend.spawn(backend.rng(seed), 9)
    out_bias = 0.0 if pixel_means is None else logit_of_marginals(pixel_means)
    G = Sequential([
        Linear(noise_dim, hidden, scale=g_init, rng=r[0]), ReLU(),
        Linear(hidden, hidden, scale=g_init, rng=r[1]), ReLU(),
        Linear(hidden, n_pixels, scale=g_init, bias=out_bias, rng=r[2]), Sigmoid(),
    ])
    D = Sequential([
        Dropout(0.8, rng=r[3]), Maxout(n_pixels, d_units, d_pieces, scale=0.005, rng=r[4]),
        Dropout(0.5, rng=r[5]), Maxout(d_units, d_units, d_pieces, scale=0.005, rng=r[6]),
        Dropout(0.5, rng=r[7]), Linear(d_units, 1, scale=0.005, rng=r[8]),
    ])

    def optimiser():
        return SGD(lr=ExponentialDecay(lr, 1.000004, 1e-6), momentum=LinearRamp(0.5, 0.7, 250))

    return GAN(G, D, UniformNoise(noise_dim, math.sqrt(3.0)), k=k, g_loss=g_loss,
               d_optimizer=optimiser(), g_optimizer=optimiser(), rng=backend.spawn(r[0], 1)[0])


def toy(dim, *, seed=0, k=1, g_loss="non_saturating", noise_dim=None, hidden=64, lr=1e-3,
        g_steps=1, center=0.0, scale=1.0, lr_decay=1.0):
    """A small GAN for the 1-D and 2-D toys: MLPs with LeakyReLU, trained with Adam.

    `center` and `scale` (the data's mean and standard deviation) place both networks on
    the data at initialisation: G's output starts at `center` with spread ~`scale`, and
    D's first-layer kinks are spread across center ± 2·scale, so D can bend where the
    data is rather than being nearly linear there. lr_decay > 1 divides both learning
    rates by it after every step (floor lr/100), which lets the game settle.
    """
    r = backend.spawn(backend.rng(seed), 8)
    xp = backend.xp()
    noise_dim = noise_dim or dim
    center = xp.broadcast_to(xp.asarray(center, dtype="float32"), (dim,))
    scale = float(xp.mean(xp.asarray(scale, dtype="float32")))
    G = Sequential([
        Linear(noise_dim, hidden, init="glorot", rng=r[0]), LeakyReLU(0.2),
        Linear(hidden, hidden, init="glorot", rng=r[1]), LeakyReLU(0.2),
        Linear(hidden, dim, init="glorot", bias=center, rng=r[2]),
    ])
    G[4].params["W"] *= scale
    first = Linear(dim, hidden, init="glorot", rng=r[3])
    first.params["W"] /= scale
    first.params["b"][...] = (r[7].uniform(-2, 2, size=hidden) - center @ first.params["W"]).astype("float32")
    D = Sequential([
        first, LeakyReLU(0.2),
        Linear(hidden, hidden, init="glorot", rng=r[4]), LeakyReLU(0.2),
        Linear(hidden, 1, init="glorot", rng=r[5]),
    ])
    def optimiser():
        return Adam(ExponentialDecay(lr, lr_decay, lr / 100), betas=(0.5, 0.999))

    return GAN(G, D, GaussianNoise(noise_dim), k=k, g_loss=g_loss, d_optimizer=optimiser(),
               g_optimizer=optimiser(), rng=r[6], g_steps=g_steps)


def for_dataset(dataset, **options):
    """The preset a dataset trains with: paper_mnist for images, toy(d) for the toys.
    Options that are None (not given) leave the preset's own value."""
    if dataset.image_shape is None:
        return toy(dataset.train.shape[1], center=dataset.train.mean(0), scale=dataset.train.std(0),
                   **_only(options, "seed", "k", "g_loss", "lr"))
    return paper_mnist(dataset.pixel_means(), n_pixels=dataset.train.shape[1],
                       **_only(options, "seed", "k", "g_loss", "lr", "g_init"))


def _only(options, *names):
    return {k: v for k, v in options.items() if k in names and v is not None}
