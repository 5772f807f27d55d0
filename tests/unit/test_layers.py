"""The package layers hold: the import-linter contracts in pyproject.toml pass.

scripts/test runs `lint-imports` too; this test keeps `pytest` alone honest, and shows that
the contracts can fail (a forbidden import is caught) rather than pass vacuously.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What the `lint-imports` script runs (`python -m importlinter.cli` would run nothing).
LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the checkout at `cwd`."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_are_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def test_a_service_importing_the_web_breaks_the_contracts(tmp_path: Path) -> None:
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "bot", copy / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(
        ROOT / "storage", copy / "storage", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    optout = copy / "bot" / "services" / "optout.py"
    optout.write_text(optout.read_text(encoding="utf-8") + "\nimport bot.web.context\n")
    result = _lint_imports(copy)
    assert result.returncode != 0
    assert "bot.services.optout -> bot.web.context" in result.stdout
