"""What the benchmarks share: fixing thread counts before NumPy loads, and describing the machine.

`set_threads(n)` must run before numpy (or torch) is imported: OpenBLAS, MKL and OpenMP
read their thread counts from the environment once, when they load.
"""
import datetime
import os
import platform
import subprocess
import sys

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

# benchmarks/ sits next to the minigan package: make `import minigan` work from a checkout
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)


def set_threads(n):
    """Fix the BLAS/OpenMP thread count for this process (call before importing numpy)."""
    if "numpy" in sys.modules:
        raise RuntimeError("set_threads() must run before numpy is imported")
    for name in THREAD_VARIABLES:
        os.environ[name] = str(int(n))


def cpu_model():
    """The CPU's model name as lscpu prints it (or platform's guess without lscpu)."""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return platform.processor() or platform.machine()


def blas_name():
    """The BLAS NumPy was built against, e.g. 'scipy-openblas 0.3.31.188.0'."""
    import numpy
    try:
        blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '?')}"
    except Exception:  # older NumPy without mode="dicts"
        return "unknown"


def machine_info(threads):
    """Machine, versions, thread count and date: what a results table must say."""
    import numpy
    info = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "blas": blas_name(),
        "threads": threads,
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "load_average": _load_average(),
    }
    try:
        import torch
        info["torch"] = torch.__version__
    except ImportError:
        info["torch"] = None
    return info


def _load_average():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def write_json(result, dest):
    """`--json`: the result as JSON on stdout ("-") or in the file `dest`."""
    import json
    text = json.dumps(result, indent=2)
    if dest == "-":
        print(text)
    else:
        with open(dest, "w") as f:
            f.write(text + "\n")
