"""The question form: a node's base-language fields as strings, and back into the node.

Rows (options, branching rules) are posted as `options-<n>-label`, `rules-<n>-goto`...; a blank
row is ignored, so the page offers one spare row to add with, JavaScript or not. Texts in other
languages are kept as they were: the translation grid edits those.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.engine.flowdef import ALLOWED_PLACEHOLDERS
from bot.engine.text import placeholders

OPERATORS = {
    "in": "is one of",
    "eq": "is",
    "ne": "is not",
    "lt": "is less than",
    "lte": "is at most",
    "gt": "is more than",
    "gte": "is at least",
    "answered": "was answered",
    "no_answer": "was not answered",
}
_NUMBERS = ("min", "max", "retries", "max_length")
_LABELS = ("min_label", "max_label")
_BOUNDS = ("lt", "lte", "gt", "gte")
_ROW = re.compile(r"^(options|rules)-(\d{1,2})-(\w+)$")


@dataclass
class QuestionValues:
    """What the form shows and posts, as typed."""

    text: str = ""
    numbers: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    options: list[dict[str, str]] = field(default_factory=list)
    rules: list[dict[str, str]] = field(default_factory=list)
    otherwise: str = ""


def values_of_node(node: Mapping[str, Any], language: str) -> QuestionValues:
    """Show a node's fields in `language` as the form's strings."""
    values = QuestionValues(text=local_text(node.get("text"), language))
    values.numbers = {name: str(node[name]) for name in _NUMBERS if name in node}
    values.labels = {name: local_text(node.get(name), language) for name in _LABELS}
    for option in _mappings(node.get("options")):
        synonyms = _texts(option.get("synonyms")).get(language)
        values.options.append(
            {
                "value": str(option.get("value", "")),
                "label": local_text(option.get("label"), language),
                "synonyms": ", ".join(map(str, synonyms)) if isinstance(synonyms, list) else "",
            }
        )
    next_ = node.get("next")
    rules = next_ if isinstance(next_, list) else []
    for rule in rules:
        when = rule.get("when") if isinstance(rule, dict) else None
        if isinstance(when, dict) and when:
            operator, value = next(iter(when.items()))
            shown = ", ".join(map(_word, value)) if isinstance(value, list) else _word(value)
            values.rules.append({"op": operator, "value": shown, "goto": str(rule.get("goto"))})
        elif isinstance(rule, dict):
            values.otherwise = str(rule.get("goto", ""))
    if isinstance(next_, str):
        values.otherwise = next_
    return values


def values_of_form(form: Mapping[str, str]) -> QuestionValues:
    """Read the posted form as typed, rows in their order."""
    values = QuestionValues(text=form.get("text", ""), otherwise=form.get("otherwise", ""))
    values.numbers = {name: form.get(name, "").strip() for name in _NUMBERS if name in form}
    values.labels = {name: form.get(name, "") for name in _LABELS if name in form}
    rows: dict[str, dict[int, dict[str, str]]] = {"options": {}, "rules": {}}
    for key, value in form.items():
        found = _ROW.match(key)
        if found:
            rows[found[1]].setdefault(int(found[2]), {})[found[3]] = value.strip()
    values.options = [rows["options"][n] for n in sorted(rows["options"])]
    values.rules = [rows["rules"][n] for n in sorted(rows["rules"])]
    return values


def node_of_values(
    node: Mapping[str, Any], values: QuestionValues, language: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Apply the form to a node; return the new node and the fields that could not be read."""
    new = copy.deepcopy(dict(node))
    errors: dict[str, str] = {}
    new["text"] = {**_texts(node.get("text")), language: values.text.strip()}
    unknown = sorted(placeholders(values.text) - ALLOWED_PLACEHOLDERS)
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in sorted(ALLOWED_PLACEHOLDERS))
        errors["text"] = f"unknown placeholder {{{unknown[0]}}}; use one of {known}"
    for name, typed in values.numbers.items():
        if not typed:
            new.pop(name, None)
        elif typed.isdigit():
            new[name] = int(typed)
        else:
            errors[name] = "must be a whole number"
    for name, typed in values.labels.items():
        _set_local(new, name, language, typed.strip())
    if "options" in node:
        new["options"] = _options(node, values.options, language)
    new["next"] = _next(values, errors)
    if new["next"] is None:
        new.pop("next")
    return new, errors


def _options(
    node: Mapping[str, Any], rows: list[dict[str, str]], language: str
) -> list[dict[str, Any]]:
    """Build a choice's options from its rows, keeping other languages' words per value."""
    old = {str(o.get("value")): o for o in _mappings(node.get("options"))}
    options: list[dict[str, Any]] = []
    for row in rows:
        label, value = row.get("label", ""), row.get("value", "")
        if not label and not value:
            continue
        value = value or _slug(label) or f"option_{len(options) + 1}"
        option = copy.deepcopy(dict(old.get(value, {})))
        option["value"] = value
        option["label"] = {**_texts(option.get("label")), language: label}
        words = [word.strip() for word in row.get("synonyms", "").split(",") if word.strip()]
        synonyms = {**_texts(option.get("synonyms")), language: words}
        option["synonyms"] = {lang: w for lang, w in synonyms.items() if w}
        if not option["synonyms"]:
            del option["synonyms"]
        options.append(option)
    return options


def _next(values: QuestionValues, errors: dict[str, str]) -> str | list[dict[str, Any]] | None:
    """Build `next` from the rule rows and the otherwise choice: an id when no rule is given."""
    rules: list[dict[str, Any]] = []
    for position, row in enumerate(values.rules):
        operator, goto = row.get("op", ""), row.get("goto", "")
        if not goto:
            continue
        if operator not in OPERATORS:
            errors[f"rules-{position}-op"] = "choose how to compare the answer"
            continue
        when = _when(operator, row.get("value", ""))
        if when is None:
            errors[f"rules-{position}-value"] = "give a whole number, or values split by commas"
            continue
        rules.append({"when": when, "goto": goto})
    otherwise = values.otherwise.strip() or None
    if not rules:
        return otherwise
    return [*rules, {"goto": otherwise}] if otherwise else rules


def _when(operator: str, typed: str) -> dict[str, Any] | None:
    """Read one rule's test; None if its value cannot be read for its operator."""
    if operator in ("answered", "no_answer"):
        return {operator: True}
    words = [_answer(word.strip()) for word in typed.split(",") if word.strip()]
    if operator == "in":
        return {"in": words} if words else None
    if len(words) != 1 or (operator in _BOUNDS and not isinstance(words[0], int)):
        return None
    return {operator: words[0]}


def _answer(word: str) -> Any:
    """Read an answer value: a whole number, yes/no as true/false, else an option's value."""
    if word.lstrip("-").isdigit():
        return int(word)
    return {"yes": True, "true": True, "no": False, "false": False}.get(word.lower(), word)


def _word(value: Any) -> str:
    """Write an answer value as the form shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def local_text(texts: Any, language: str) -> str:
    """Return a text in one language, "" if it has none."""
    return str(texts.get(language, "")) if isinstance(texts, Mapping) else ""


def _mappings(items: Any) -> list[Mapping[str, Any]]:
    """Return the mappings of a list, [] if it is not one (a draft may hold anything)."""
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []


def _texts(texts: Any) -> dict[str, Any]:
    """Return a {language: text} mapping's copy, {} if it is not one."""
    return dict(texts) if isinstance(texts, Mapping) else {}


def _set_local(node: dict[str, Any], name: str, language: str, text: str) -> None:
    """Set a field's text in one language; a blank label with no other language goes."""
    texts = {**_texts(node.get(name)), language: text}
    if not text:
        del texts[language]
    if texts:
        node[name] = texts
    else:
        node.pop(name, None)


def _slug(label: str) -> str:
    """Make an option value from its label: lower-case letters, digits and _."""
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return slug if slug[:1].isalpha() else ""
