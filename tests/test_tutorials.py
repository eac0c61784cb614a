"""Every tutorial runs top to bottom in quick mode and writes the figures it promises.

Each tutorial in tutorials/ is run as its own process, the way a reader runs it
(`python tutorials/NN_name.py`), with MINIGAN_QUICK=1 (short training) and
MINIGAN_TUTORIAL_OUT pointing at a fresh temporary folder. The test checks the exit
status and that every figure the tutorial promises exists and is a non-empty PNG (or GIF).
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minigan import backend

REPO = Path(__file__).resolve().parent.parent
TUTORIALS = REPO / "tutorials"
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".gif": b"GIF8"}
TIMEOUT_S = 600       # a tutorial in quick mode takes well under a minute; this only stops a hang

# The figures each tutorial writes into its output folder.
FIGURES = {
    "01_layers_by_hand.py": ["derivatives.png"],
    "02_the_value_function.py": ["saturation.png"],
    "03_algorithm1_line_by_line.py": ["figure1.png", "figure1.gif"],
    "04_the_theory_measured.py": ["c_of_g.png", "d_star.png"],
    "05_mnist.py": ["samples.png", "curves.png", "figure2_nearest.png",
                    "figure3_interpolation.png", "parzen_sigma.png"],
    "06_failure_modes.py": ["collapse.png", "game.png"],
    # without CuPy and a GPU the tutorial explains why and stops, with exit status 0
    "07_gpu.py": ["speed.png", "samples_gpu.png"] if backend.cupy_available() else [],
}


def test_every_tutorial_is_tested():
    on_disk = {p.name for p in TUTORIALS.glob("[0-9][0-9]_*.py")}
    assert on_disk == set(FIGURES), f"tutorials without a test entry (or entries without a file): " \
                                    f"{sorted(on_disk ^ set(FIGURES))}"


def run_tutorial(name, out):
    env = dict(os.environ, MINIGAN_QUICK="1", MINIGAN_TUTORIAL_OUT=str(out), MPLBACKEND="Agg",
               MINIGAN_BACKEND="numpy")
    # the tutorials import minigan from this checkout, installed or not
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    # The toy networks are tiny: BLAS threads only add overhead, and on a busy machine
    # they make training an order of magnitude slower. A caller's own setting wins.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return subprocess.run([sys.executable, str(TUTORIALS / name)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT_S)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_tutorial_runs_and_writes_its_figures(name, tmp_path):
    out = tmp_path / "out"
    proc = run_tutorial(name, out)
    transcript = f"--- stdout (last 3000 characters)\n{proc.stdout[-3000:]}\n" \
                 f"--- stderr (last 3000 characters)\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, f"{name} exited with {proc.returncode}\n{transcript}"
    assert f"figures go to {out}" in proc.stdout, f"{name} did not announce its output folder\n{transcript}"
    for figure in FIGURES[name]:
        path = out / figure
        assert path.is_file(), f"{name} did not write {figure}\n{transcript}"
        head = path.read_bytes()[:8]
        assert path.stat().st_size > 100 and head.startswith(MAGIC[path.suffix]), \
            f"{name}: {figure} is not a valid {path.suffix} file ({path.stat().st_size} bytes)"
    if name == "07_gpu.py" and not FIGURES[name]:
        assert "skipping this tutorial" in proc.stdout, transcript
