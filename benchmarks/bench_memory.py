"""Peak resident memory of training the paper's MNIST GAN.

    python benchmarks/bench_memory.py                        # mnist (mnist-5k offline), 300 iterations
    python benchmarks/bench_memory.py --dataset synthetic-mnist --json
    python benchmarks/bench_memory.py --dataset mnist-5k --iterations 200

The training runs in a fresh child process, so what is measured is that run alone: the
child calls `minigan.train.train(TrainConfig(...))` (the real loop: data loading, Algorithm
1, per-epoch sample grids and curves, checkpoints) and reports its peak resident set size
(`ru_maxrss`) at three points: after the imports, after loading the data, and at the end.

Datasets:
  mnist            the real thing (50 000 training images); offline, minigan falls back to
                   the bundled mnist-5k and says so on stderr
  mnist-5k         the bundled 5 000-digit subset
  synthetic-mnist  a full-size stand-in, written to a temporary folder as the four IDX
                   files (60 000 + 10 000 random 28×28 uint8 images): the memory of the full
                   split, measurable offline

Training runs for whole epochs (that is what TrainConfig counts), enough of them to cover
`--iterations`: one epoch of full MNIST is 500 iterations, one of mnist-5k is 40.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

CHILD = r"""
import json, resource, sys, time
config = json.loads(sys.argv[1])
def peak_mb():
    # ru_maxrss (Linux: KiB); and VmHWM, the high-water mark of this process image alone
    # (ru_maxrss survives exec, so it also covers the parent's size when it forked: the
    # parent here stays small and never imports NumPy, so the two agree)
    ru = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with open("/proc/self/status") as f:
            hwm = next(int(l.split()[1]) / 1024 for l in f if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        hwm = ru
    return round(ru, 1), round(hwm, 1)
import numpy
import minigan.train as mt
from minigan.data import load
phases = {"imports": peak_mb()}
probe = load(config["dataset"])
train_rows, source = len(probe.train), probe.source
del probe
phases["data loaded"] = peak_mb()
epochs = max(1, -(-config["iterations"] // (train_rows // 100)))
started = time.time()
gan, summary = mt.train(mt.TrainConfig(dataset=config["dataset"], epochs=epochs, out=config["out"],
                                       progress=False, seed=0))
phases["trained"] = peak_mb()
print(json.dumps({"phases_mb": phases, "iterations": summary["iterations"], "epochs": epochs,
                  "train_rows": train_rows, "source": source,
                  "seconds": round(time.time() - started, 1)}))
"""


def write_synthetic_mnist(folder):
    """The four MNIST IDX files, full size, filled with random pixels."""
    import numpy
    from minigan.data.idx import write_idx
    rng = numpy.random.default_rng(0)
    for prefix, n in (("train", 60000), ("t10k", 10000)):
        write_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"),   # gzipped, as MNIST is
                  rng.integers(0, 256, size=(n, 28, 28), dtype=numpy.uint8))
        write_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"),
                  rng.integers(0, 10, size=n, dtype=numpy.uint8))
    return folder


def measure(dataset, iterations, threads):
    """Train in a child process; return its report (phases in MB, iterations, data source)."""
    with tempfile.TemporaryDirectory(prefix="minigan-mem-") as tmp:
        env = dict(os.environ, PYTHONPATH=_common.REPO + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   MPLBACKEND="Agg")
        for name in _common.THREAD_VARIABLES:
            env[name] = str(threads)
        if dataset == "synthetic-mnist":   # written by another child: this process stays small
            dataset = os.path.join(tmp, "mnist")
            os.makedirs(dataset)
            subprocess.run([sys.executable, os.path.abspath(__file__), "--write-synthetic", dataset],
                           env=env, check=True)
        config = {"dataset": dataset, "iterations": iterations, "out": os.path.join(tmp, "run")}
        done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(config)], env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"bench_memory: the training child failed (exit {done.returncode})")
        for line in done.stderr.splitlines():   # e.g. the offline fallback notice
            if line.startswith("minigan:"):
                print(line, file=sys.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dataset", default="mnist", choices=("mnist", "mnist-5k", "synthetic-mnist"))
    p.add_argument("--iterations", type=int, default=300, help="at least this many (whole epochs)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit-mb", type=float, default=400.0, help="the target peak (default 400 MB)")
    p.add_argument("--json", nargs="?", const="-", metavar="FILE")
    p.add_argument("--write-synthetic", metavar="FOLDER", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.write_synthetic:
        write_synthetic_mnist(args.write_synthetic)
        return 0

    report = measure(args.dataset, args.iterations, args.threads)
    peak = max(max(pair) for pair in report["phases_mb"].values())
    report.update({"dataset": args.dataset, "peak_mb": peak, "limit_mb": args.limit_mb,
                   "threads": args.threads, "python": sys.version.split()[0]})
    print(f"training {args.dataset} ({report['train_rows']} training rows; {report['source']})")
    print(f"  {report['iterations']} iterations in {report['epochs']} epoch(s), {report['seconds']} s, "
          f"{args.threads} threads")
    print("  peak resident set so far   ru_maxrss    VmHWM")
    for phase, (ru, hwm) in report["phases_mb"].items():
        print(f"    after {phase:18s} {ru:7.1f} MB {hwm:7.1f} MB")
    verdict = "under" if peak < args.limit_mb else "OVER"
    print(f"  peak resident memory: {peak:.1f} MB ({verdict} the {args.limit_mb:.0f} MB target)")
    if args.json:
        _common.write_json(report, args.json)
    return 0 if peak < args.limit_mb else 1


if __name__ == "__main__":
    sys.exit(main())
