"""The engine is a pure core: its modules import only the standard library and bot.engine."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "bot" / "engine"
MODULES = sorted(ENGINE.glob("*.py"))


def foreign_imports(source: str) -> list[str]:
    """List the imported modules that are neither standard library nor bot.engine."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return [name for name in names if not _allowed(name)]


def _allowed(name: str) -> bool:
    """Say whether a module may be imported by the engine."""
    if name == "bot.engine" or name.startswith("bot.engine."):
        return True
    return name.split(".")[0] in sys.stdlib_module_names


def test_the_engine_has_modules() -> None:
    assert {path.stem for path in MODULES} >= {"model", "text", "conversation", "parsing"}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_engine_module_imports_only_stdlib_and_engine(path: Path) -> None:
    assert foreign_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import yaml", ["yaml"]),
        ("from sqlalchemy.orm import Session", ["sqlalchemy.orm"]),
        ("import os, requests", ["requests"]),
        ("from bot.services import surveys", ["bot.services"]),
        ("import bot", ["bot"]),
        ("def f():\n    import redis\n", ["redis"]),
        ("if True:\n    from flask import Flask\n", ["flask"]),
        ("import re\nfrom collections.abc import Mapping\nfrom bot.engine.model import Flow", []),
        ("from . import model\nfrom .text import normalise", []),
    ],
)
def test_the_checker_finds_foreign_imports(source: str, found: list[str]) -> None:
    assert foreign_imports(source) == found
