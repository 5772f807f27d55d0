"""Errors raised for configuration and definition files (a leaf: imports nothing from bot)."""

from __future__ import annotations

from pathlib import Path


class ConfigError(ValueError):
    """A setting is missing or malformed; raised at start-up, never per request."""


class FieldsError(ValueError):
    """A request that cannot be carried out as asked; `fields` maps each field to its problem."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


class DefinitionFileError(Exception):
    """A flow or locale file is invalid; str() reads `flows/x.yaml:42: reason`."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(path, line, reason)
        self.path = path
        self.line = line
        self.reason = reason

    def __str__(self) -> str:
        return f"{shown_path(self.path)}:{self.line}: {self.reason}"


def shown_path(path: Path) -> str:
    """Show a path relative to the working directory when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
