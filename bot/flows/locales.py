"""Load the locale catalogs, locales/<code>.yaml: system texts and the words Parley understands."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.engine.locale import locale_from_dict
from bot.engine.model import Locale
from bot.engine.text import placeholders
from bot.errors import DefinitionFileError
from bot.flows.yamlpos import PositionedDocument, check_schema, load_schema, parse_document

logger = logging.getLogger(__name__)

# The shipped schema, whatever directory the locales themselves are read from.
LOCALE_SCHEMA = Path(__file__).resolve().parents[2] / "locales" / "schema.json"
LOCALE_SUFFIXES = (".yaml", ".yml")
# Values the engine and the services fill in; anything else would reach a resident as "{x}".
PLACEHOLDERS = frozenset(
    {"agency", "complaints", "emergency", "help", "keyword", "min", "max", "min_label", "max_label"}
)


class LocaleFileError(DefinitionFileError):
    """A locale file is invalid: `locales/es.yaml:12: missing required field 'help'`."""


def load_locales(directory: Path) -> dict[str, Locale]:
    """Load every locale in `directory`, keyed by code, checking them against each other."""
    if not directory.is_dir():
        raise NotADirectoryError(f"locales directory {directory} does not exist")
    docs: dict[str, tuple[Path, PositionedDocument]] = {}
    for path in sorted(p for p in directory.iterdir() if p.suffix in LOCALE_SUFFIXES):
        doc = read_locale_file(path)
        code = doc.data["code"]
        if code in docs:
            reason = f"locale {code!r} is already defined in {docs[code][0].name}"
            raise LocaleFileError(path, doc.line_of(("code",)), reason)
        docs[code] = (path, doc)
    _check_same_placeholders(list(docs.values()))
    locales = {code: locale_from_dict(doc.data) for code, (_, doc) in docs.items()}
    logger.info("loaded locales %s", ", ".join(locales))
    return locales


def read_locale_file(path: Path) -> PositionedDocument:
    """Parse and check one locale file; raise LocaleFileError naming the line of a problem."""
    doc = parse_document(path.read_bytes(), path, LocaleFileError)
    check_schema(doc, load_schema(LOCALE_SCHEMA), path, LocaleFileError)
    code = doc.data["code"]
    if path.stem != code:
        reason = f"code {code!r} does not match the file name {path.name!r}"
        raise LocaleFileError(path, doc.line_of(("code",)), reason)
    for key, text in doc.data["messages"].items():
        unknown = sorted(placeholders(text) - PLACEHOLDERS)
        if unknown:
            known = ", ".join(f"{{{name}}}" for name in sorted(PLACEHOLDERS))
            reason = f"{key!r} uses unknown placeholder {{{unknown[0]}}} (known: {known})"
            raise LocaleFileError(path, doc.line_of(("messages", key)), reason)
    return doc


def _check_same_placeholders(docs: list[tuple[Path, PositionedDocument]]) -> None:
    """Require each message to use the same placeholders in every locale, as in the first."""
    if not docs:
        return
    (first_path, first), *others = docs
    expected = {key: placeholders(text) for key, text in first.data["messages"].items()}
    for path, doc in others:
        for key, text in doc.data["messages"].items():
            used = placeholders(text)
            if used != expected[key]:
                reason = (
                    f"{key!r} uses {_listing(used)} but {first_path.name} uses "
                    f"{_listing(expected[key])}; every language needs the same placeholders"
                )
                raise LocaleFileError(path, doc.line_of(("messages", key)), reason)


def _listing(names: frozenset[str]) -> str:
    """Show a set of placeholder names as `{a}, {b}`, or "no placeholders"."""
    return ", ".join(f"{{{name}}}" for name in sorted(names)) or "no placeholders"
