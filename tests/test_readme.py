"""The README opens with the two set-up commands, and CI runs the test one verbatim."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _opening_commands():
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_readme_opens_with_install_and_run_then_install_and_test():
    train, test = _opening_commands()
    assert "pip install ." in train and "minigan train" in train
    assert 'pip install ".[test]"' in test and "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _opening_commands()[1] in ci
