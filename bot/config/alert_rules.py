"""Load the alert rules (survey_rules.yaml's `alerts`) and each language's alert words.

The rules say which answers raise an alert for the officer's supervisors, and which a
commendation; an agency without the file gets the defaults below. The words live in
locales/alert_words/<lang>.yaml, one file per language. Both are checked against a JSON Schema
and a mistake is reported as `file:line: reason` (a ConfigError, raised at start-up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.config.send_rules import POLICY_SCHEMA, PolicyFileError
from bot.errors import ConfigError, DefinitionFileError
from bot.flows.yamlpos import check_schema, load_schema, parse_document
from bot.i18n.alert_words import CATEGORIES, Boundary, WordList

WORDS_SCHEMA = Path(__file__).resolve().parent / "alert_words.schema.json"


class AlertWordsError(DefinitionFileError, ConfigError):
    """An alert words file is invalid; str() reads `ar.yaml:7: reason`."""


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a read-only copy of a mapping (the rules are shared by every thread)."""
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class AlertRules:
    """Which answers raise alerts and commendations; the defaults suit the default flow."""

    # A 1-5 scale answer of 1 or 2 (the default flow asks "what went wrong" from 2 down).
    scale_at_or_below: int | None = 2
    # A 0-10 answer of 0 to 3: the most unhappy of the "detractors".
    nps_at_or_below: int | None = 3
    # Per question id, instead of the two above.
    thresholds: Mapping[str, int] = field(default_factory=lambda: _frozen({}))
    # A scale's minimum, "no" to a yes/no question, and the choices named per question.
    lowest_category: bool = True
    lowest_choices: Mapping[str, frozenset[str]] = field(default_factory=lambda: _frozen({}))
    words: bool = True
    word_categories: frozenset[str] = frozenset(CATEGORIES)
    commendations: bool = True

    def threshold(self, question_id: str, nps: bool) -> int | None:
        """Return the score at or below which an answer to this question raises an alert."""
        if question_id in self.thresholds:
            return self.thresholds[question_id]
        return self.nps_at_or_below if nps else self.scale_at_or_below


def load_alert_rules(path: Path | None) -> AlertRules:
    """Read the `alerts` section of the survey rules file; no file or section: the defaults."""
    if path is None:
        return AlertRules()
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise PolicyFileError(path, 1, f"cannot read the file: {exc.strerror}") from exc
    doc = parse_document(source, path, PolicyFileError)
    if not isinstance(doc.data, dict) or "alerts" not in doc.data:
        return AlertRules()
    check_schema(doc, load_schema(POLICY_SCHEMA), path, PolicyFileError)
    given = dict(doc.data["alerts"] or {})
    if "thresholds" in given:
        given["thresholds"] = _frozen(given["thresholds"])
    if "lowest_choices" in given:
        choices = {key: frozenset(values) for key, values in given["lowest_choices"].items()}
        given["lowest_choices"] = _frozen(choices)
    if "word_categories" in given:
        given["word_categories"] = frozenset(given["word_categories"])
    return AlertRules(**given)


def load_alert_words(directory: Path) -> dict[str, WordList]:
    """Read every language's alert words from `directory` (<lang>.yaml); none: an empty map."""
    if not directory.is_dir():
        return {}
    schema = load_schema(WORDS_SCHEMA)
    lists: dict[str, WordList] = {}
    for path in sorted(directory.glob("*.yaml")):
        doc = parse_document(path.read_bytes(), path, AlertWordsError)
        data = doc.data or {}
        check_schema(doc, schema, path, AlertWordsError)
        words = {category: data.get(category, ()) for category in CATEGORIES}
        boundary = Boundary(data.get("match", Boundary.WORDS))
        lists[path.stem] = WordList.build(path.stem, words, boundary, data.get("prefixes", ()))
    return lists
