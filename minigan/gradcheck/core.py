"""Gradient checking by centred finite differences, in float64.

For a function y = f(θ) and a fixed random direction R (the "upstream gradient"), the
analytic gradient of the scalar ⟨y, R⟩ is what backward(R) returns. The numeric one is
the fourth-order centred difference, with f_k = f(θ + k·h·e_i):

    ∂⟨y, R⟩/∂θ_i ≈ ⟨ 8(f_1 − f_−1) − (f_2 − f_−2), R ⟩ / 12h         (error O(h⁴))

The textbook two-point form (f_1 − f_−1)/2h has error O(h²), which forces h ≈ 1e-6 and
then round-off of ~1e-16/1e-6 swamps small gradients of a scalar loss. With O(h⁴)
we can take h = 1e-4: truncation ~1e-16, round-off ~1e-12, so relative errors of a
correct backward stay below 1e-7 even for gradients of size 1e-4. Subtracting the
outputs before the dot product keeps the round-off to the entries that θ_i moves.

Per entry the relative error is |a − n| / max(floor, |a| + |n|). The textbook floor is
1e-8; here it is raised to what the difference can resolve: each evaluation of ⟨y, R⟩
carries round-off of a few ulps, ~8ε·Σ|y ⊙ R| (ε = 2.2e-16), which the stencil turns
into ~16ε·Σ|y ⊙ R| / h in n; an entry smaller than that divided by tol cannot be told apart
from round-off at relative accuracy tol. Such entries are compared absolutely against
the floor instead; every entry above it (all of them, for a well-scaled check) is held
to the relative tolerance. The floor is printed in the report.

Kinks (ReLU at 0, a tie between maxout pieces) have no derivative. Two tests find them:
the centred differences at h and at 2h agree to O(h²) where f is smooth and disagree
where a kink lies off-centre within ±2h; the one-sided slopes (f_1 − f_0)/h and
(f_0 − f_−1)/h agree to O(h) where f is smooth and differ by the jump in slope where
the kink sits at the centre (a ReLU input of exactly 0). Such entries are counted in
the report's "kinks" column and left out of the comparison.

Every check runs on float64 copies of the layers and arrays it is given — it never
changes the caller's — with dropout masks held fixed, so the function being
differentiated is the same at every evaluation.
"""
import random

from .. import backend
from ..layers import frozen, held_masks
from .report import Report, Row

EPS = 1e-4
TOL = 1e-7


def check(forward, backward, tensors, *, title="gradcheck", eps=EPS, tol=TOL,
          max_per_tensor=200, seed=0):
    """Compare backward's gradients with finite differences of forward.

    forward()      -> array y (any shape, scalar allowed), reading the arrays in `tensors`;
    backward(R)    -> {name: ∂⟨y, R⟩/∂tensor} for every name in `tensors`;
    tensors        -> {name: float64 array}, perturbed in place one entry at a time.
    At most `max_per_tensor` entries of each tensor are checked (chosen at random, seeded).
    """
    for name, t in tensors.items():
        if t.dtype.name != "float64":
            raise TypeError(f"gradcheck: {name!r} is {t.dtype}; gradient checks need float64")
    xp = backend.array_module(*tensors.values())
    y = xp.array(forward(), copy=True)    # f at θ: a copy, since forward may return its input
    R = backend.rng(seed).standard_normal(y.shape)
    analytic = backward(R)
    roundoff = 16 * xp.finfo(xp.float64).eps * float(abs(y * R).sum()) / eps
    floor = max(1e-8, roundoff / tol)
    picker = random.Random(seed)
    report = Report(title)
    for name, t in tensors.items():
        a = analytic[name]
        if a is None or tuple(a.shape) != tuple(t.shape):
            raise ValueError(f"gradcheck: backward returned shape {getattr(a, 'shape', None)} "
                             f"for {name!r} of shape {t.shape}")
        flat, a_flat = t.reshape(-1), a.reshape(-1)
        entries = range(t.size) if t.size <= max_per_tensor else picker.sample(range(t.size), max_per_tensor)
        worst, kinks = 0.0, 0
        for i in entries:
            old = float(flat[i])
            f = {}
            for k in (-2, -1, 1, 2):
                flat[i] = old + k * eps
                f[k] = xp.array(forward(), copy=True)
            flat[i] = old
            right = float(((f[1] - y) * R).sum()) / eps                # one-sided, error O(h)
            left = float(((y - f[-1]) * R).sum()) / eps
            n_h = (right + left) / 2                                  # centred, error O(h²)
            n_2h = float(((f[2] - f[-2]) * R).sum()) / (4 * eps)      # error O(4h²)
            if (abs(n_h - n_2h) > 1e-4 * (abs(n_h) + abs(n_2h)) + 10 * roundoff
                    or abs(right - left) > 0.1 * (abs(right) + abs(left)) + 10 * roundoff):
                kinks += 1
                continue
            numeric = (4 * n_h - n_2h) / 3                            # Richardson: error O(h⁴)
            exact = float(a_flat[i])
            worst = max(worst, abs(exact - numeric) / max(floor, abs(exact) + abs(numeric)))
        report.rows.append(Row(name, tuple(t.shape), len(entries) - kinks, worst, tol, floor, kinks))
    return report


def _float64(*things):
    """Deep copies in float64, of layers and arrays alike (via astype).

    A CuPy random generator cannot be copied, so a copied layer shares its original's.
    """
    generators = [m.rng for t in things if hasattr(t, "modules") for m in t.modules() if hasattr(m, "rng")]
    return [t.astype("float64") for t in backend.deepcopy(things, generators)]


def check_layer(layer, x, **options):
    """Check dL/dx and every dL/dθ of `layer` at input x (a float64 copy of both)."""
    layer, x = _float64(layer, x)

    def backward(R):
        layer.zero_grad()
        dx = layer.backward(R)
        return {"x": dx, **layer.grads}

    with held_masks(layer):
        return check(lambda: layer.forward(x), backward, {"x": x, **layer.params},
                     title=f"gradcheck {layer!r}".replace("\n", ""), **options)


def check_loss(loss_fn, inputs, *, title=None, **options):
    """Check a loss: `loss_fn(**inputs) -> (value, grads)`, grads in the order of `inputs`."""
    names = list(inputs)
    inputs = dict(zip(names, _float64(*inputs.values())))

    def backward(R):
        grads = loss_fn(**inputs)[1]
        grads = grads if isinstance(grads, tuple) else (grads,)
        return {n: g * R for n, g in zip(names, grads)}

    title = title or f"gradcheck {getattr(loss_fn, '__name__', 'loss')}"
    return check(lambda: loss_fn(**inputs)[0], backward, inputs, title=title, **options)


def check_generator_chain(G, D, z, loss_fn, **options):
    """Check the G step's gradient: z → G → D (frozen, dropout active) → loss_fn(logits).

    Analytic: dL/dlogits from the loss, back through D with `frozen(D)` (so D gets no
    parameter gradients), then through G into G's parameters. The report has a row per
    G parameter and for z, and a row "D grads (frozen)" that fails if D received any.
    """
    G, D, z = _float64(G, D, z)

    def forward():
        return loss_fn(D.forward(G.forward(z)))[0]

    def backward(R):
        G.zero_grad()
        D.zero_grad()
        logits = D.forward(G.forward(z))
        with frozen(D):
            d_fake = D.backward(loss_fn(logits)[1] * R)
        dz = G.backward(d_fake)
        return {"z": dz, **{f"G.{k}": g for k, g in G.grads.items()}}

    tensors = {"z": z, **{f"G.{k}": p for k, p in G.params.items()}}
    with held_masks(G, D):
        report = check(forward, backward, tensors, title="gradcheck z → G → D(frozen) → loss",
                       **options)
    leaked = max((float(abs(g).max()) for g in D.grads.values()), default=0.0)
    report.rows.append(Row("D grads (frozen)", (), len(D.grads), leaked, options.get("tol", TOL), 0.0))
    return report
