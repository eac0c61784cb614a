"""Time and peak memory of the paper's Parzen evaluation (Goodfellow et al. 2014, Table 1).

    10 000 centres (G's samples) of dimension 784, σ chosen from logspace(−1, 0, 10) on 1 000
    validation images, then the mean log-likelihood of 10 000 test images.

The data are stand-ins with the right shapes: "random" (uniform pixels in [0, 1]) or "mnist-5k"
(the bundled digits, resampled and jittered with N(0, 0.05²) noise, clipped to [0, 1]). Timing
does not depend on the values, only on the shapes and the batch size.

    python benchmarks/bench_parzen.py                  # the paper's sizes
    python benchmarks/bench_parzen.py --test 2000      # quicker
    python benchmarks/bench_parzen.py --json           # one JSON object on stdout
    python benchmarks/bench_parzen.py --threads 1      # BLAS threads (before NumPy loads)

Peak memory: on NumPy, tracemalloc's peak of Python-visible allocations (NumPy reports its
array buffers to it) while the estimate runs, and the process's ru_maxrss; on CuPy, the
default memory pool's bytes in use at the end (an indication, not a peak).
"""
import argparse
import json
import os
import resource
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402  (also puts the checkout on sys.path)


def stand_ins(kind, centres, validation, test, dim, seed):
    import numpy
    rng = numpy.random.default_rng(seed)
    if kind == "random":
        return [rng.random((n, dim), dtype=numpy.float32) for n in (centres, validation, test)]
    from minigan.data import load
    pool = load("mnist-5k")
    pool = numpy.concatenate([pool.train, pool.validation, pool.test])
    if pool.shape[1] != dim:
        raise SystemExit(f"--data mnist-5k has dimension {pool.shape[1]}, not --dim {dim}")
    out = []
    for n in (centres, validation, test):
        x = pool[rng.integers(0, len(pool), n)] + rng.normal(0, 0.05, (n, dim)).astype(numpy.float32)
        out.append(numpy.clip(x, 0, 1).astype(numpy.float32))
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--centres", type=int, default=10_000)
    p.add_argument("--validation", type=int, default=1_000)
    p.add_argument("--test", type=int, default=10_000)
    p.add_argument("--dim", type=int, default=784)
    p.add_argument("--batch-size", type=int, default=1_000)
    p.add_argument("--data", choices=("random", "mnist-5k"), default="random")
    p.add_argument("--backend", choices=("numpy", "cupy"), default="numpy")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=None,
                   help="BLAS/OpenMP threads (default: leave the environment as it is)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    if args.threads is not None:
        _common.set_threads(args.threads)
    from minigan import backend
    from minigan.metrics import parzen_estimate

    backend.use(args.backend)
    centres, validation, test = (backend.to_device(a) for a in stand_ins(
        args.data, args.centres, args.validation, args.test, args.dim, args.seed))
    inputs_mb = sum(a.nbytes for a in (centres, validation, test)) / 2**20

    if args.backend == "numpy":
        tracemalloc.start()
    started = time.perf_counter()
    result = parzen_estimate(centres, validation, test, batch_size=args.batch_size)
    if args.backend == "cupy":
        import cupy
        cupy.cuda.Stream.null.synchronize()
    seconds = time.perf_counter() - started
    if args.backend == "numpy":
        peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        import cupy
        peak_mb = cupy.get_default_memory_pool().used_bytes() / 2**20
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux

    # distance-table work: (validation + test) × centres × dim multiply-adds
    gflop = 2.0 * (args.validation + args.test) * args.centres * args.dim / 1e9
    report = {
        "backend": args.backend, "data": args.data, "centres": args.centres,
        "validation": args.validation, "test": args.test, "dim": args.dim,
        "batch_size": args.batch_size, "seconds": round(seconds, 2),
        "gflop_per_s": round(gflop / seconds, 2), "inputs_mb": round(inputs_mb, 1),
        "peak_extra_mb": round(peak_mb, 1), "maxrss_mb": round(maxrss_mb, 1),
        "mean": round(result.mean, 3), "stderr": round(result.stderr, 3),
        "sigma": round(result.sigma, 4),
    }
    machine = _common.machine_info(os.environ.get("OPENBLAS_NUM_THREADS", "default"))
    if args.json:
        print(json.dumps({**report, "machine": machine}))
    else:
        width = max(map(len, report))
        print("Parzen evaluation (paper's Table 1 procedure)")
        for key, v in report.items():
            print(f"  {key:<{width}}  {v}")
        print(f"  on {machine['cpu']} ({machine['cores']} cores, {machine['threads']} BLAS threads, "
              f"load {machine['load_average']}), numpy {machine['numpy']}, {machine['blas']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
