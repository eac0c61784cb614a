"""Time one Algorithm-1 iteration of the paper's MNIST GAN: minigan, its GEMM floor, PyTorch.

    python benchmarks/bench_step.py                  # CPU, 2 threads, 50 timed rounds
    python benchmarks/bench_step.py --threads 1 --json
    python benchmarks/bench_step.py --device cuda    # CuPy vs PyTorch CUDA (skips without a GPU)

One iteration is `gan.train_step(batch)` on `minigan.models.paper_mnist()`: k = 1, batch 100,
float32; a D step on 100 real + 100 fake rows, then a G step on 100 fresh noise rows.

Three things are timed in the same process, interleaved round-robin (one iteration of
each per round, in a rotating order, so a burst of load elsewhere hits all three alike):

  minigan  `gan.train_step(batch)`.
  floor    only the matrix products that minigan's iteration performs: the same shapes,
           the same memory layouts (C-order, or a transposed view passed to BLAS as a
           flag), the same `out=` buffers, through the same library (NumPy's matmul, or
           CuPy's). The list is not written by hand: it is recorded from one real
           `train_step` by wrapping every array in a subclass that logs each np.matmul
           call. Everything minigan does beyond this floor is overhead.
  torch    the same network built from torch.nn (Linear; maxout as view + max; Dropout;
           BCE-with-logits; torch.optim.SGD with momentum, lr decayed per step as in the
           paper; D's parameters set requires_grad_(False) for the G step), starting
           from minigan's own initial weights. Skipped when torch is not installed:
           `pip install torch==2.13.0` (the CPU build).

Each turn of a round: a pause (--gap, 0.15 s), one untimed iteration (--prime), then the
timed one. OpenBLAS keeps its idle threads spinning for ~0.1 s after its last call, and
PyTorch's OpenMP threads spin too; without the pause, whoever runs next shares the two
cores with the previous library's spinners (PyTorch measured 78 ms instead of 37 ms that
way); the untimed iteration then restores the caches and wakes the thread pool, as in
a training loop. `--gap 0 --prime 0` gives the plain round-robin.

Reported: the median over the timed rounds (after warm-up rounds) of each, in ms per
iteration, and the ratios minigan / torch and minigan / floor. On a busy machine,
`--threads 1 --clock cpu` measures CPU time instead, which other processes barely move.
"""
import argparse
import gc
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402  (also puts the checkout on sys.path)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=2, help="BLAS / OpenMP threads (default 2)")
    p.add_argument("--iters", type=int, default=50, help="timed rounds (default 50, at least 30)")
    p.add_argument("--warmup", type=int, default=10, help="untimed rounds first (default 10)")
    p.add_argument("--batch", type=int, default=100, help="minibatch size m (default 100)")
    p.add_argument("--gap", type=float, default=0.15, metavar="SECONDS",
                   help="pause before each turn (default 0.15): a BLAS or OpenMP thread pool keeps "
                        "its threads spinning for up to ~0.1 s after its last call, and in a "
                        "round-robin they would take the cores from whoever runs next")
    p.add_argument("--prime", type=int, default=1, metavar="N",
                   help="untimed iterations at the start of each turn, before the timed one "
                        "(default 1): they bring back the caches and the thread pool the pause "
                        "and the other contenders took away, as in a training loop")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    p.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    p.add_argument("--only", choices=("minigan", "floor", "torch"), action="append",
                   help="time only these (repeatable); default all three")
    p.add_argument("--products", action="store_true", help="print the recorded matrix products")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="wall time (default), or this process's CPU time: with --threads 1 "
                        "that measures the work itself, whatever else the machine is running")
    p.add_argument("--json", nargs="?", const="-", metavar="FILE",
                   help="write the results as JSON to FILE (or stdout with no FILE)")
    args = p.parse_args(argv)
    if args.iters < 30:
        p.error("--iters must be at least 30 (the median of fewer is too noisy)")
    return args


# -- the data -------------------------------------------------------------------------------

def batches(m, n_batches=20):
    """`n_batches` minibatches of m real digits (the bundled mnist-5k: no download)."""
    import numpy
    from minigan.data import load
    data = load("mnist-5k")
    rows = numpy.random.default_rng(0).permutation(len(data.train))[:m * n_batches]
    return data, [numpy.ascontiguousarray(data.train[rows[i * m:(i + 1) * m]]) for i in range(n_batches)]


# -- recording the products of one iteration ------------------------------------------------

def record_products(gan, batch):
    """Every np.matmul one `gan.train_step(batch)` performs: [(a, b, out) descriptions].

    Runs on a deep copy (the GAN given is untouched) whose parameters, gradients and input
    are views of a logging ndarray subclass; anything computed from them stays in the
    subclass, so every product has a logged operand.
    """
    import numpy

    from minigan import backend

    log = []

    def describe(a):
        return {"shape": tuple(a.shape), "strides": tuple(a.strides), "dtype": a.dtype.str,
                "layout": "C" if a.flags.c_contiguous else "F" if a.flags.f_contiguous else "strided"}

    class Logged(numpy.ndarray):
        def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
            plain = [x.view(numpy.ndarray) if isinstance(x, Logged) else x for x in inputs]
            if out is not None:
                kwargs["out"] = tuple(o.view(numpy.ndarray) if isinstance(o, Logged) else o for o in out)
            if ufunc is numpy.matmul and method == "__call__":
                log.append({"a": describe(plain[0]), "b": describe(plain[1]),
                            "out": describe(kwargs["out"][0]) if out is not None else None})
            result = getattr(ufunc, method)(*plain, **kwargs)
            if out is not None:
                return out[0] if len(out) == 1 else out
            if isinstance(result, numpy.ndarray):
                return result.view(Logged)
            return result

    traced = backend.deepcopy(gan, gan.generators().values())
    for net in (traced.G, traced.D):
        for m in net.modules():
            for k in list(m._params):
                m._params[k] = m._params[k].view(Logged)
                m._grads[k] = m._grads[k].view(Logged)
    traced.train_step(batch.view(Logged))
    return log


def expected_product_count(gan):
    """What Algorithm 1 needs, counted from the layer lists, to check the recording caught all.

    D step: G forward (nG), D forward (nD), D backward: dW for every layer (nD) and dx for
    all but the first (nD - 1). G step: G forward (nG), D forward (nD), D backward: dx only
    (nD), G backward: dW (nG) and dx for all but the first (nG - 1). Multiplied by k and
    g_steps where they apply.
    """
    from minigan.layers import Linear
    nG = sum(isinstance(m, Linear) for m in gan.G.modules())
    nD = sum(isinstance(m, Linear) for m in gan.D.modules())
    d_step = nG + nD + nD + (nD - 1)
    g_step = nG + nD + nD + nG + (nG - 1)
    return gan.k * d_step + gan.g_steps * g_step


def gemm_flops(products):
    return sum(2 * p["a"]["shape"][0] * p["a"]["shape"][1] * p["b"]["shape"][1] for p in products)


def build_floor(products, xp):
    """A function that runs exactly the recorded products, on arrays laid out as recorded."""
    import numpy

    def make(d, fill):
        itemsize = numpy.dtype(d["dtype"]).itemsize
        extent = 1 + sum((n - 1) * s for n, s in zip(d["shape"], d["strides"])) // itemsize
        base = xp.full(extent, fill, dtype=d["dtype"])
        return xp.lib.stride_tricks.as_strided(base, shape=d["shape"], strides=d["strides"])

    calls = []
    for p in products:
        a, b = make(p["a"], 0.01), make(p["b"], 0.02)
        out = make(p["out"], 0.0) if p["out"] is not None else None
        calls.append((a, b, out))

    def floor():
        for a, b, out in calls:
            if out is None:
                a @ b
            else:
                xp.matmul(a, b, out=out)
    return floor


# -- PyTorch: the same network, built from torch.nn -----------------------------------------

def build_torch(gan, device, m):
    """PyTorch's version of one iteration, starting from minigan's initial weights."""
    import numpy
    import torch
    from torch import nn
    from torch.nn import functional as F
    from minigan import backend

    def linear_from(layer):
        lin = nn.Linear(layer.n_in, layer.n_out)
        with torch.no_grad():   # torch stores W as (out, in) and computes x Wᵀ
            lin.weight.copy_(torch.from_numpy(backend.to_numpy(layer.params["W"]).T.copy()))
            lin.bias.copy_(torch.from_numpy(backend.to_numpy(layer.params["b"])))
        return lin

    class Maxout(nn.Module):
        def __init__(self, layer):
            super().__init__()
            self.units, self.pieces = layer.n_units, layer.n_pieces
            self.linear = linear_from(layer)

        def forward(self, x):   # pieces of a unit are adjacent columns, as in minigan
            return self.linear(x).view(-1, self.units, self.pieces).max(dim=2).values

    from minigan.layers import Dropout, Maxout as MgMaxout, Linear, ReLU, Sigmoid

    def convert(net):
        mods = []
        for layer in net.layers:
            if isinstance(layer, MgMaxout):
                mods.append(Maxout(layer))
            elif isinstance(layer, Linear):
                mods.append(linear_from(layer))
            elif isinstance(layer, ReLU):
                mods.append(nn.ReLU())
            elif isinstance(layer, Sigmoid):
                mods.append(nn.Sigmoid())
            elif isinstance(layer, Dropout):
                mods.append(nn.Dropout(p=1.0 - layer.keep))
            else:
                raise TypeError(f"no torch equivalent for {layer!r}")
        return nn.Sequential(*mods).to(device)

    G, D = convert(gan.G), convert(gan.D)
    noise_dim = gan.noise.dim
    half_width = gan.noise.half_width
    opt_d = torch.optim.SGD(D.parameters(), lr=0.1, momentum=0.5)
    opt_g = torch.optim.SGD(G.parameters(), lr=0.1, momentum=0.5)
    ones, zeros = torch.ones(m, 1, device=device), torch.zeros(m, 1, device=device)
    state = {"t": 0}

    # the same function: with dropout off, D(G(z)) must match minigan's to float32 round-off
    z = numpy.random.default_rng(1).uniform(-half_width, half_width, (m, noise_dim)).astype("float32")
    G.eval(), D.eval()
    with torch.no_grad():
        ours = D(G(torch.from_numpy(z).to(device))).cpu().numpy()
    G.train(), D.train()
    ref = backend.deepcopy(gan, gan.generators().values())
    ref.D.eval()
    theirs = backend.to_numpy(ref.D.forward(ref.G.forward(backend.to_device(z))))
    agreement = float(numpy.abs(ours - theirs).max())

    def step(real):
        lr = max(0.1 / 1.000004 ** state["t"], 1e-6)   # the paper's decay, as minigan's SGD
        for opt in (opt_d, opt_g):
            opt.param_groups[0]["lr"] = lr
        # D step: D(x) and D(G(z)) in one pass, no gradient into G
        z = (torch.rand(m, noise_dim, device=device) * 2 - 1) * half_width
        with torch.no_grad():
            fake = G(z)
        logits = D(torch.cat([real, fake]))
        d_loss = 0.5 * (F.binary_cross_entropy_with_logits(logits[:m], ones)
                        + F.binary_cross_entropy_with_logits(logits[m:], zeros))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        with torch.no_grad():
            d_real, d_fake = torch.sigmoid(logits[:m]).mean(), torch.sigmoid(logits[m:]).mean()
        # G step: non-saturating loss through D, whose parameters get no gradient
        for p in D.parameters():
            p.requires_grad_(False)
        z = (torch.rand(m, noise_dim, device=device) * 2 - 1) * half_width
        g_loss = F.binary_cross_entropy_with_logits(D(G(z)), ones)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        for p in D.parameters():
            p.requires_grad_(True)
        state["t"] += 1
        # minigan returns its statistics as Python floats: the same synchronisation here
        return {"d_loss": float(d_loss.detach()), "g_loss": float(g_loss.detach()),
                "d_real": float(d_real), "d_fake": float(d_fake)}

    return step, agreement


# -- the run --------------------------------------------------------------------------------

def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


def quartiles(xs):
    xs = sorted(xs)
    return xs[len(xs) // 4], xs[(3 * len(xs)) // 4]


def main(argv=None):
    args = parse_args(argv)
    _common.set_threads(args.threads)

    import numpy
    from minigan import backend, models

    wanted = set(args.only or ("minigan", "floor", "torch"))
    info = _common.machine_info(args.threads)
    info["device"] = args.device

    torch = None
    if "torch" in wanted and not args.no_torch:
        try:
            import torch
            torch.set_num_threads(args.threads)
        except ImportError:
            print("torch is not installed: skipping it (pip install torch==2.13.0 for the CPU build)",
                  file=sys.stderr)
    if torch is None:
        wanted.discard("torch")

    if args.device == "cuda":
        if not backend.cupy_available():
            print("bench_step: --device cuda needs CuPy and an NVIDIA GPU; none here, skipping.")
            return 0
        if torch is not None and not torch.cuda.is_available():
            print("torch has no CUDA here: skipping it", file=sys.stderr)
            torch = None
            wanted.discard("torch")
        backend.use("cupy")
        import cupy
        xp = cupy
        info["gpu"] = cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
        info["cupy"] = cupy.__version__

        def sync():
            cupy.cuda.Device().synchronize()
            if torch is not None:
                torch.cuda.synchronize()
    else:
        backend.use("numpy")
        xp = numpy

        def sync():
            pass

    data, host_batches = batches(args.batch)
    gan = models.paper_mnist(data.pixel_means(), seed=0)

    # the products are recorded with NumPy on the host; the code path is the same on CuPy
    if args.device == "cuda":
        backend.use("numpy")
        host_gan = models.paper_mnist(data.pixel_means(), seed=0)
        products = record_products(host_gan, host_batches[0])
        backend.use("cupy")
    else:
        products = record_products(gan, host_batches[0])
    expected = expected_product_count(gan)
    if len(products) != expected:
        print(f"warning: recorded {len(products)} matrix products, expected {expected} from the "
              f"layer lists; the floor may be incomplete", file=sys.stderr)
    flops = gemm_flops(products)

    runners = {}
    mg_batches = [backend.to_device(b) for b in host_batches]
    counter = {"minigan": 0, "torch": 0}

    def run_minigan():
        gan.train_step(mg_batches[counter["minigan"] % len(mg_batches)])
        counter["minigan"] += 1

    if "minigan" in wanted:
        runners["minigan"] = run_minigan
    if "floor" in wanted:
        runners["floor"] = build_floor(products, xp)
    agreement = None
    if "torch" in wanted:
        device = "cuda" if args.device == "cuda" else "cpu"
        torch_step, agreement = build_torch(gan, device, args.batch)
        torch_batches = [torch.from_numpy(b).to(device) for b in host_batches]

        def run_torch():
            torch_step(torch_batches[counter["torch"] % len(torch_batches)])
            counter["torch"] += 1
        runners["torch"] = run_torch

    if args.clock == "cpu" and (args.threads != 1 or args.device != "cpu"):
        print("bench_step: --clock cpu only means something with --threads 1 on the CPU", file=sys.stderr)
        return 2
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    names = list(runners)
    times = {n: [] for n in names}
    gc.collect()
    for r in range(args.warmup + args.iters):
        order = names[r % len(names):] + names[:r % len(names)]   # rotate who goes first
        for n in order:
            sync()
            if args.gap:
                time.sleep(args.gap)
            for _ in range(args.prime):
                runners[n]()
            sync()
            t0 = clock()
            runners[n]()
            sync()
            if r >= args.warmup:
                times[n].append(clock() - t0)

    result = {"machine": info, "clock": args.clock, "gap_s": args.gap, "prime": args.prime,
              "iters": args.iters,
              "warmup": args.warmup, "batch": args.batch,
              "gemm_products": len(products), "gemm_gflop": flops / 1e9, "ms": {}, "iqr_ms": {}}
    for n in names:
        result["ms"][n] = 1e3 * median(times[n])
        result["iqr_ms"][n] = [1e3 * q for q in quartiles(times[n])]
    ms = result["ms"]
    if "minigan" in ms and "torch" in ms:
        result["minigan_over_torch"] = ms["minigan"] / ms["torch"]
    if "minigan" in ms and "floor" in ms:
        result["minigan_over_floor"] = ms["minigan"] / ms["floor"]
    if agreement is not None:
        result["torch_forward_max_abs_diff"] = agreement

    print_report(result, products if args.products else None)
    if args.json:
        _common.write_json(result, args.json)
    return 0


def print_report(result, products=None):
    info = result["machine"]
    print(f"machine : {info['cpu']} ({info['cores']} cores), device {info['device']}"
          + (f" [{info['gpu']}]" if "gpu" in info else ""))
    print(f"versions: python {info['python']}, numpy {info['numpy']} ({info['blas']}), "
          f"torch {info['torch']}" + (f", cupy {info['cupy']}" if "cupy" in info else ""))
    print(f"threads : {info['threads']}   load average before: {info['load_average']}   {info['date']}")
    print(f"work    : one Algorithm-1 iteration of paper_mnist (k=1, batch {result['batch']}, float32); "
          f"{result['gemm_products']} matrix products, {result['gemm_gflop']:.3f} GFLOP")
    if products:
        for p in products:
            a, b = p["a"], p["b"]
            print(f"    {a['shape']} {a['layout']} @ {b['shape']} {b['layout']}"
                  + (" -> out=" if p["out"] else ""))
    print(f"timing  : median of {result['iters']} interleaved rounds after {result['warmup']} warm-up; "
          f"each turn: {result['gap_s']:g} s pause, {result['prime']} untimed + 1 timed iteration"
          + (" (process CPU time)" if result["clock"] == "cpu" else " (wall clock)"))
    for n, v in result["ms"].items():
        q1, q3 = result["iqr_ms"][n]
        extra = ""
        if n == "floor":
            extra = f"   ({result['gemm_gflop'] / v * 1e3:.0f} GFLOP/s)"
        print(f"  {n:8s} {v:8.2f} ms/iter   (IQR {q1:.2f}–{q3:.2f}){extra}")
    if "minigan_over_torch" in result:
        print(f"  minigan / torch = {result['minigan_over_torch']:.3f}   (target ≤ 0.8)")
    if "minigan_over_floor" in result:
        print(f"  minigan / floor = {result['minigan_over_floor']:.3f}   (target ≤ 1.2)")
    if "torch_forward_max_abs_diff" in result:
        print(f"  torch model check: eval-mode D(G(z)) differs from minigan's by at most "
              f"{result['torch_forward_max_abs_diff']:.2e}")


if __name__ == "__main__":
    sys.exit(main())
