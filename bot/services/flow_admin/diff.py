"""Compare two versions of a flow per question and per language, for the version history page.

Question ids stay the same across versions, so each question is matched by its id: added,
removed, or changed in its settings (type, options, branching, retries) or in its texts (each
text, label, option label and synonym list, language by language).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.services.flow_admin.versions import version_of
from bot.services.runtime import Runtime

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
# A node's fields that hold a text per language; everything else is a setting.
_LOCAL = ("text", "min_label", "max_label", "skip_words")
_OPTION_LOCAL = ("label", "synonyms")


@dataclass(frozen=True)
class Change:
    """One field that differs: `field` is `text`, `options[value].label`, `next`…"""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class TextChange(Change):
    """One text that differs in one language (None: the text is not there)."""

    language: str = ""


@dataclass(frozen=True)
class QuestionDiff:
    """How one question (a node, by id) differs between the two versions."""

    id: str
    status: str
    settings: tuple[Change, ...] = ()
    texts: tuple[TextChange, ...] = ()

    def by_language(self) -> dict[str, list[TextChange]]:
        """Group the text changes by language, in the order they were found."""
        grouped: dict[str, list[TextChange]] = {}
        for change in self.texts:
            grouped.setdefault(change.language, []).append(change)
        return grouped


@dataclass(frozen=True)
class FlowDiff:
    """Every difference between version `old` and version `new` of a flow."""

    flow_id: str
    old: int
    new: int
    languages_added: tuple[str, ...]
    languages_removed: tuple[str, ...]
    settings: tuple[Change, ...]
    questions: tuple[QuestionDiff, ...]

    @property
    def same(self) -> bool:
        """Say whether the two versions say the same to every resident."""
        changed = self.languages_added or self.languages_removed or self.settings
        return not (changed or self.questions)


def diff_versions(rt: Runtime, flow_id: str, old: int, new: int) -> FlowDiff:
    """Compare two published versions of a flow (their definitions, as residents get them)."""
    with rt.uow() as uow:
        before = version_of(uow, flow_id, old).definition
        after = version_of(uow, flow_id, new).definition
    return diff_definitions(flow_id, old, new, before, after)


def diff_definitions(
    flow_id: str, old: int, new: int, before: Mapping[str, Any], after: Mapping[str, Any]
) -> FlowDiff:
    """Compare two flow definitions (translations merged in)."""
    was, now = list(before.get("languages", ())), list(after.get("languages", ()))
    top = sorted((set(before) | set(after)) - {"nodes", "languages", "name"})
    settings = tuple(_changes(before, after, ["name", *top]))
    return FlowDiff(
        flow_id,
        old,
        new,
        tuple(code for code in now if code not in was),
        tuple(code for code in was if code not in now),
        settings,
        tuple(_questions(before.get("nodes", ()), after.get("nodes", ()))),
    )


def _questions(before: Any, after: Any) -> Iterator[QuestionDiff]:
    """Match nodes by id, in the new version's order then the removed ones."""
    old = {node["id"]: node for node in before}
    new = {node["id"]: node for node in after}
    for node_id, node in new.items():
        if node_id not in old:
            yield QuestionDiff(node_id, ADDED, texts=tuple(_texts({}, node)))
            continue
        settings = tuple(_changes(_setting(old[node_id]), _setting(node), None))
        texts = tuple(_texts(old[node_id], node))
        if settings or texts:
            yield QuestionDiff(node_id, CHANGED, settings, texts)
    for node_id, node in old.items():
        if node_id not in new:
            yield QuestionDiff(node_id, REMOVED, texts=tuple(_texts(node, {})))


def _changes(
    before: Mapping[str, Any], after: Mapping[str, Any], keys: list[str] | None
) -> Iterator[Change]:
    """List the keys whose values differ (all keys of either when `keys` is None)."""
    for key in keys if keys is not None else sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            yield Change(key, before.get(key), after.get(key))


def _setting(node: Mapping[str, Any]) -> dict[str, Any]:
    """Return a node without its texts: what it asks and where it leads."""
    plain = {key: value for key, value in node.items() if key not in _LOCAL}
    if "options" in plain:
        plain["options"] = [
            {k: v for k, v in option.items() if k not in _OPTION_LOCAL}
            for option in plain["options"]
        ]
    return plain


def _texts(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[TextChange]:
    """List each text of a node that differs, language by language."""
    old, new = dict(_localised(before)), dict(_localised(after))
    for field in [*new, *(key for key in old if key not in new)]:
        was, now = old.get(field, {}), new.get(field, {})
        for language in [*now, *(code for code in was if code not in now)]:
            if was.get(language) != now.get(language):
                yield TextChange(field, was.get(language), now.get(language), language)


def _localised(node: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Yield each per-language field of a node: its texts, then its options' labels."""
    for field in _LOCAL:
        if isinstance(node.get(field), Mapping):
            yield field, node[field]
    for option in node.get("options", ()):
        for field in _OPTION_LOCAL:
            if isinstance(option.get(field), Mapping):
                yield f"options[{option['value']}].{field}", option[field]
