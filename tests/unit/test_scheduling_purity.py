"""The send rules are a pure core: standard library (zoneinfo included) and each other only.

Reading the rules file (YAML, JSON Schema) lives in bot/config/send_rules.py and a number's
time zones (phonenumbers) in bot/services/timezones.py: every module in bot/scheduling is
pure, new ones included (the import-linter contracts in pyproject.toml say so too).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEDULING = ROOT / "bot" / "scheduling"
PURE = sorted(SCHEDULING.glob("*.py"))
PURE_NAMES = {f"bot.scheduling.{path.stem}" for path in PURE if path.stem != "__init__"}


def foreign_imports(source: str) -> list[str]:
    """List the imported modules that are neither standard library nor pure scheduling."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            # Relative imports are named as written, so `from .policy import x` is caught.
            names.append("." * node.level + node.module)
        elif isinstance(node, ast.ImportFrom):
            names.extend("." * node.level + alias.name for alias in node.names)
    return [name for name in names if not _allowed(name)]


def _allowed(name: str) -> bool:
    """Say whether a pure scheduling module may import `name`."""
    if name.startswith("."):
        return f"bot.scheduling.{name.lstrip('.')}" in PURE_NAMES
    if name.startswith("bot."):
        return name in PURE_NAMES
    return name.split(".")[0] in sys.stdlib_module_names


def test_the_pure_modules_are_the_rules_and_their_data() -> None:
    assert {path.name for path in PURE} == {
        "__init__.py",
        "callwords.py",
        "calltypes.py",
        "disposition.py",
        "model.py",
        "pacing.py",
        "rules.py",
        "states.py",
    }


@pytest.mark.parametrize("path", PURE, ids=lambda path: path.name)
def test_pure_scheduling_module_imports_only_stdlib_and_pure_scheduling(path: Path) -> None:
    assert foreign_imports(path.read_text(encoding="utf-8")) == []


def test_importing_the_rules_loads_no_third_party_package() -> None:
    probe = (
        "import sys, bot.scheduling.rules\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'yaml', 'jsonschema', 'phonenumbers', 'flask', 'sqlalchemy'} "
        "or m in {'bot.config.settings', 'bot.flows.yamlpos', 'bot.config.send_rules'}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import yaml", ["yaml"]),
        ("import phonenumbers", ["phonenumbers"]),
        ("from bot.config.send_rules import load_policy", ["bot.config.send_rules"]),
        ("from bot.services.timezones import resident_timezone", ["bot.services.timezones"]),
        ("from .policy import load_policy", [".policy"]),
        ("from . import timezones", [".timezones"]),
        ("from bot.config.settings import ConfigError", ["bot.config.settings"]),
        ("from bot.engine.model import Flow", ["bot.engine.model"]),
        ("def f():\n    import jsonschema\n", ["jsonschema"]),
        ("from zoneinfo import ZoneInfo\nfrom bot.scheduling.model import SendPolicy", []),
        ("from .calltypes import readable\nimport datetime, re", []),
    ],
)
def test_the_checker_finds_foreign_imports(source: str, found: list[str]) -> None:
    assert foreign_imports(source) == found
