"""Algorithm 1: who learns in which step, the k minibatches, the two G losses, and a toy that converges."""

import numpy as np
import pytest

from minigan import backend, checkpoint, models
from minigan.data import load
from minigan.losses import generator_loss
from minigan.optim import SGD

from .conftest import as_host


def small_mnist_gan(**options):
    """The paper's model at toy widths; D's weights scaled up from ±0.005 so that a single
    step moves every float32 parameter visibly (with the paper's init the first G updates
    are ~1e-9, below float32 resolution for some weights)."""
    gan = models.paper_mnist(np.full(16, 0.2), noise_dim=4, hidden=8, d_units=3, d_pieces=2,
                             n_pixels=16, **options)
    for W in (gan.D.params[k] for k in gan.D.params if k.endswith("W")):
        W *= 100
    return gan


def snapshot(net):
    return {k: as_host(v).copy() for k, v in net.params.items()}


def changed(before, net):
    return {k for k, v in net.params.items() if not np.array_equal(before[k], as_host(v))}


def batch(n=10, seed=0):
    return backend.to_device(np.random.default_rng(seed).random((n, 16), dtype=np.float32))


def test_a_d_step_changes_d_and_not_g():
    gan = small_mnist_gan()
    g0, d0 = snapshot(gan.G), snapshot(gan.D)
    gan.discriminator_step(batch())
    assert changed(g0, gan.G) == set()
    assert changed(d0, gan.D) == set(gan.D.params)


def test_a_g_step_changes_g_and_not_d_and_leaves_d_no_gradient():
    gan = small_mnist_gan()
    g0, d0 = snapshot(gan.G), snapshot(gan.D)
    gan.generator_step(10)
    assert changed(d0, gan.D) == set()
    assert changed(g0, gan.G) == set(gan.G.params)
    assert not any(as_host(g).any() for g in gan.D.grads.values())
    assert all(m.requires_grad for m in gan.D.modules()) and gan.D.training


def test_k_discriminator_steps_each_use_their_own_minibatch():
    gan = small_mnist_gan(k=3)
    seen = []
    original = gan.discriminator_step
    gan.discriminator_step = lambda real: (seen.append(as_host(real).copy()), original(real))[1]
    stats = gan.train_step([batch(seed=s) for s in range(3)])
    assert len(seen) == 3 and not np.array_equal(seen[0], seen[1]) and not np.array_equal(seen[1], seen[2])
    assert set(stats) == {"d_loss", "g_loss", "d_real", "d_fake"}
    with pytest.raises(ValueError, match="expected k=3 minibatches, got 1"):
        gan.train_step([batch()])


def test_minimax_and_non_saturating_generator_gradients_differ_as_theory_says():
    """Same G, D, noise: dL/dlogit differs by the factor (1 − D(G(z)))/D(G(z)), so the G
    gradients are parallel per sample but weighted differently, and far larger for the
    non-saturating loss while D rejects the fakes."""
    grads = {}
    for kind in ("minimax", "non_saturating"):
        gan = small_mnist_gan(g_loss=kind)
        gan.g_optimizer = SGD(lr=0.0)           # measure the gradient, change nothing
        gan.D[5].params["b"][...] = -6.0         # D(G(z)) ≈ 0.0025: D rejects the fakes
        gan.generator_step(10)
        grads[kind] = {k: as_host(v).copy() for k, v in gan.G.grads.items()}
    norm = lambda g: np.sqrt(sum((v ** 2).sum() for v in g.values()))  # noqa: E731
    assert norm(grads["non_saturating"]) > 100 * norm(grads["minimax"])
    logits = backend.to_device(np.array([[-6.0]]))
    ratio = float(generator_loss(logits, "non_saturating")[1][0, 0] / generator_loss(logits, "minimax")[1][0, 0])
    d = 1 / (1 + np.exp(6.0))
    assert ratio == pytest.approx((1 - d) / d, rel=1e-6)


@pytest.mark.parametrize("preset", [lambda: models.paper_mnist(seed=3, hidden=8, d_units=3),
                                    lambda: models.toy(2, seed=3)])
def test_a_seed_fixes_every_initial_weight(preset):
    first, second = preset(), preset()
    for net in ("G", "D"):
        a, b = getattr(first, net).params, getattr(second, net).params
        assert all(np.array_equal(as_host(a[k]), as_host(b[k])) for k in a), net


def test_paper_preset_matches_the_released_config():
    gan = models.paper_mnist(np.full(784, 0.25))
    shapes = {k: tuple(v.shape) for k, v in gan.G.params.items()}
    assert shapes == {"0.W": (100, 1200), "0.b": (1200,), "2.W": (1200, 1200), "2.b": (1200,),
                      "4.W": (1200, 784), "4.b": (784,)}
    assert {k: tuple(v.shape) for k, v in gan.D.params.items()} == {
        "1.W": (784, 1200), "1.b": (1200,), "3.W": (240, 1200), "3.b": (1200,), "5.W": (240, 1), "5.b": (1,)}
    assert [gan.D[i].keep for i in (0, 2, 4)] == [0.8, 0.5, 0.5]
    assert np.abs(as_host(gan.G.params["0.W"])).max() <= 0.05
    assert np.abs(as_host(gan.D.params["1.W"])).max() <= 0.005
    assert np.allclose(as_host(gan.G.params["4.b"]), np.log(0.25 / 0.75), atol=1e-6)
    z = as_host(gan.noise.sample(20000, backend.rng(0)))
    assert np.abs(z).max() <= 3 ** 0.5 and abs(z.var() - 1) < 0.02
    opt = gan.d_optimizer
    assert opt.lr == 0.1 and opt.momentum == 0.5
    opt.set_epoch(250)
    assert opt.momentum == pytest.approx(0.7)
    assert gan.k == 1 and gan.g_loss == "non_saturating"


def test_checkpoint_round_trip_gives_identical_samples(tmp_path):
    gan = small_mnist_gan(seed=3)
    for s in range(3):
        gan.train_step(batch(seed=s))
    path = checkpoint.save(gan, tmp_path, config={"dataset": "mnist-5k", "seed": 3}, epoch=0, iteration=3)
    twin = small_mnist_gan(seed=99)
    checkpoint.restore(twin, path)
    z = gan.noise.sample(7, backend.rng(1))
    assert np.array_equal(as_host(gan.sample(z=z)), as_host(twin.sample(z=z)))
    if backend.name() == "numpy":                # CuPy generators keep no saveable state
        assert np.array_equal(as_host(gan.sample(5)), as_host(twin.sample(5)))  # noise state too


def _w1(a, b):
    """1-Wasserstein distance between two 1-D samples, through their quantile functions."""
    u = (np.arange(2000) + 0.5) / 2000
    return float(np.abs(np.quantile(a.ravel(), u) - np.quantile(b.ravel(), u)).mean())


def test_gaussian_1d_training_brings_p_g_to_p_data_and_d_to_one_half():
    data = load("gaussian-1d", seed=0)
    gan = models.toy(1, seed=0, hidden=64, lr=2e-3, lr_decay=1.002,
                     center=data.train.mean(0), scale=data.train.std(0))
    rng = np.random.default_rng(0)
    X = backend.to_device(data.train)
    z = gan.noise.sample(20000, backend.rng(123))      # its own noise: gan.rng stays untouched
    before = _w1(as_host(gan.sample(z=z)), data.train)
    for _ in range(2000):
        gan.train_step(X[backend.to_device(rng.integers(0, len(data.train), 256))])
    sigma = data.distribution.sigma
    after = _w1(as_host(gan.sample(z=z)), data.train)
    assert after < 0.1 * sigma < before
    support = backend.to_device(np.linspace(4 - 2 * sigma, 4 + 2 * sigma, 41, dtype=np.float32)[:, None])
    assert np.abs(as_host(gan.discriminate(support)) - 0.5).max() < 0.05
