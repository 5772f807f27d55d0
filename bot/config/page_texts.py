"""The words of the public pages, per language: locales/<page>/<lang>.yaml, one key per text.

Every language's file holds the same keys as the English one and the same {placeholders} in
each text, so no visitor meets a missing or half-filled sentence; a file that does not is
refused with its name and key, as a ConfigError.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.errors import ConfigError

BASE_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def load_page_texts(directory: Path) -> dict[str, dict[str, str]]:
    """Read every language's texts for one page, keyed by language code, then by text."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read it: {exc}") from exc
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ConfigError(f"{path}: expected one text per key")
        found[path.stem] = {str(key): value for key, value in data.items()}
    if BASE_LANGUAGE not in found:
        raise ConfigError(f"{directory}: no {BASE_LANGUAGE}.yaml to check the others against")
    _check_alike(directory, found)
    return found


def _check_alike(directory: Path, found: Mapping[str, Mapping[str, str]]) -> None:
    """Refuse a language whose keys or placeholders differ from the base language's."""
    base = found[BASE_LANGUAGE]
    for code, texts in found.items():
        if set(texts) != set(base):
            differ = sorted(set(texts) ^ set(base))
            raise ConfigError(
                f"{directory / code}.yaml: keys differ from {BASE_LANGUAGE}'s: {differ}"
            )
        for key, text in texts.items():
            if set(_PLACEHOLDER.findall(text)) != set(_PLACEHOLDER.findall(base[key])):
                raise ConfigError(
                    f"{directory / code}.yaml: {key}: placeholders differ from {BASE_LANGUAGE}'s"
                )
