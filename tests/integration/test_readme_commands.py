"""The README's command-line examples work exactly as written, from the repository root."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PREFIX = ".venv/bin/python -m bot"
# A command in backticks, a table cell (where `\|` is a literal bar) or a shell block line.
_COMMAND = re.compile(r"(?:[\w.-]*/)*python3? -m bot(?:[^`|\n#\\]|\\\|)*")
# Never-ending commands, and those that call a provider's API (Telegram's), are only checked
# to exist.
_RUNS_FOREVER = ("worker", "telegram")


def readme_commands() -> list[str]:
    """Return every `python -m bot …` command the README shows, as written, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [match.group(0).strip() for match in _COMMAND.finditer(text)]


def runnable_as_written(command: str) -> bool:
    """Say whether a command has no placeholder, optional part or outside file in it."""
    words = command.partition(" -m bot")[2].split()
    placeholder = any(re.search(r"[A-Z\[\]@$]|\.csv", word) for word in words)
    return not placeholder and words[0] not in _RUNS_FOREVER


def command_path(command: str) -> str:
    """Return the command's group and subcommand: its words before the first argument."""
    words = command.partition(" -m bot")[2].split()
    path = words[:1]
    if len(words) > 1 and re.fullmatch(r"[a-z][a-z-]*", words[1]) and words[0] != "chat":
        path.append(words[1])
    return " ".join(path)


def shell(command: str, database: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run a command line as a person would type it in a shell at the repository root."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "REDIS_URL"}}
    env |= {"DATABASE_URL": f"sqlite:///{database}", "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        ["/bin/bash", "-c", command],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def commands() -> list[str]:
    """Return the README's commands; the virtualenv they name must exist."""
    if not VENV_PYTHON.exists():
        pytest.fail(f"{VENV_PYTHON} is missing: run scripts/setup first", pytrace=False)
    found = readme_commands()
    assert len(found) >= 20, found
    return found


def test_every_readme_command_names_the_virtualenvs_python(commands: list[str]) -> None:
    bare = [command for command in commands if not command.startswith(PREFIX)]
    assert bare == [], "a bare `python -m bot` fails outside the virtualenv"


def test_every_readme_command_exists(commands: list[str], tmp_path: Path) -> None:
    paths = sorted({command_path(command) for command in commands})
    assert {"db upgrade", "token create", "user create", "chat", "worker"} <= set(paths)
    for path in paths:
        done = shell(f"{PREFIX} {path} --help", tmp_path / "help.db")
        assert done.returncode == 0, (path, done.stderr)
        assert "Usage:" in done.stdout, path


def test_readme_commands_without_placeholders_run_as_written(
    commands: list[str], tmp_path: Path
) -> None:
    runnable = list(dict.fromkeys(c for c in commands if runnable_as_written(c)))
    assert any(c.endswith("bot db upgrade") for c in runnable)
    assert any(c.endswith("bot chat post_contact --lang es") for c in runnable)
    for command in runnable:
        done = shell(command, tmp_path / "readme.db", stdin="ALTO\n")
        assert done.returncode == 0, (command, done.stdout, done.stderr)
