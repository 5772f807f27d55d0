"""Flow translations as data: what a translation must hold, what it lacks, and the merge.

A translation file (flows/<flow>.<language>.yaml, docs/flows.md) holds one language of a flow
keyed by node id; these functions compare it with the flow's parsed YAML mapping and fold it in.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.text import placeholders
from bot.engine.validation import FlowProblem
from bot.flows.yamlpos import JsonPath

LOCAL_FIELDS = ("text", "min_label", "max_label")
MISSING, PLACEHOLDERS = "missing", "placeholders"
# Where each merged value came from: merged path -> (which translation, path inside it).
Origins = dict[JsonPath, tuple[int, JsonPath]]


@dataclass(frozen=True)
class Gap:
    """A text a translation lacks, or one whose placeholders differ from the base language's."""

    path: JsonPath
    node: str
    kind: str
    reason: str


def base_language(data: Mapping[str, Any]) -> str:
    """Return the language a flow's texts are written in first (and fall back to)."""
    return str(data.get("base_language") or data["languages"][0])


def translation_view(data: Mapping[str, Any], language: str) -> dict[str, Any]:
    """Give a flow's inline texts in `language` in the shape of a translation file."""
    nodes: dict[str, Any] = {}
    for node in data["nodes"]:
        entry: dict[str, Any] = {
            field: node[field][language]
            for field in LOCAL_FIELDS
            if language in node.get(field, {})
        }
        options = {opt["value"]: _option_view(opt, language) for opt in node.get("options", ())}
        if options:
            entry["options"] = options
        if language in node.get("skip_words", {}):
            entry["skip_words"] = list(node["skip_words"][language])
        if entry:
            nodes[node["id"]] = entry
    view: dict[str, Any] = {"flow": data["id"], "language": language, "nodes": nodes}
    if language in data.get("keywords", {}):
        view["keywords"] = list(data["keywords"][language])
    return view


def _option_view(option: Mapping[str, Any], language: str) -> dict[str, Any]:
    """Give one option's label and synonyms in `language`, as a translation file holds them."""
    view: dict[str, Any] = {}
    if language in option.get("label", {}):
        view["label"] = option["label"][language]
    if language in option.get("synonyms", {}):
        view["synonyms"] = list(option["synonyms"][language])
    return view


# Which fields a node translation may give, judged by the flow's node, and why not.
_FITS: Mapping[str, Callable[[Mapping[str, Any]], bool]] = {
    "text": lambda node: "text" in node,
    "min_label": lambda node: "min_label" in node,
    "max_label": lambda node: "max_label" in node,
    "options": lambda node: "options" in node,
    "skip_words": lambda node: node.get("type") == "text",
}
_MISFITS = {"skip_words": "only text questions take skip_words, and node {id!r} is a {type} node"}


def structure_problems(
    data: Mapping[str, Any], translation: Mapping[str, Any]
) -> list[FlowProblem]:
    """List the nodes, options and fields a translation names that its flow does not have."""
    nodes = {node["id"]: node for node in data["nodes"]}
    problems: list[FlowProblem] = []
    for node_id, entry in translation["nodes"].items():
        node = nodes.get(node_id)
        if node is None:
            reason = f"node {node_id!r} is not in flow {data['id']}"
            problems.append(FlowProblem(("nodes", node_id), reason))
            continue
        for field in entry:
            if not _FITS[field](node):
                template = _MISFITS.get(field, "node {id!r} has no {field} to translate")
                reason = template.format(id=node_id, field=field, type=node.get("type"))
                problems.append(FlowProblem(("nodes", node_id, field), reason))
        if "options" in node:
            problems.extend(_unknown_options(node, entry.get("options", {})))
    return problems


def _unknown_options(node: Mapping[str, Any], options: Mapping[str, Any]) -> Iterator[FlowProblem]:
    """Report option values a translation names that the choice does not offer."""
    values = {option["value"] for option in node["options"]}
    for value in options:
        if value not in values:
            reason = f"option {value!r} is not in node {node['id']!r}"
            yield FlowProblem(("nodes", node["id"], "options", value), reason)


def translation_gaps(data: Mapping[str, Any], translation: Mapping[str, Any]) -> list[Gap]:
    """List, in flow order, every text a translation lacks or whose placeholders differ."""
    base = base_language(data)
    entries = translation.get("nodes", {})
    gaps: list[Gap] = []
    for node in data["nodes"]:
        gaps.extend(_node_gaps(node, entries.get(node["id"]), base))
    return gaps


def _wanted(node: Mapping[str, Any]) -> Iterator[tuple[JsonPath, Any, str]]:
    """Yield each text of a node a translation must give: (path in the entry, base, what)."""
    for field in LOCAL_FIELDS:
        if field in node:
            yield (field,), node[field], f"{field} of node {node['id']!r}"
    for option in node.get("options", ()):
        what = f"label of option {option['value']!r} of node {node['id']!r}"
        yield ("options", option["value"], "label"), option["label"], what


def _node_gaps(node: Mapping[str, Any], entry: Any, base: str) -> Iterator[Gap]:
    """Compare one node's translation with the node's texts in the base language."""
    node_id = node["id"]
    wanted = list(_wanted(node))
    if wanted and not isinstance(entry, Mapping):
        yield Gap(("nodes", node_id), node_id, MISSING, f"node {node_id!r} is not translated")
        return
    for inner, texts, what in wanted:
        text, source = _dig(entry, inner), texts.get(base) if isinstance(texts, Mapping) else None
        path = ("nodes", node_id, *inner)
        if not isinstance(text, str):
            yield Gap(path, node_id, MISSING, f"{what} is not translated")
        elif isinstance(source, str) and placeholders(text) != placeholders(source):
            reason = f"{what} uses {_listing(text)} but {base} uses {_listing(source)}"
            yield Gap(path, node_id, PLACEHOLDERS, reason)


def _dig(value: Any, path: JsonPath) -> Any:
    """Follow `path` through nested mappings; None where it leads nowhere."""
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _listing(text: str) -> str:
    """Show a text's placeholders as `{a}, {b}`, or "no placeholders"."""
    return ", ".join(f"{{{name}}}" for name in sorted(placeholders(text))) or "no placeholders"


def merge_translations(
    data: Mapping[str, Any], translations: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], Origins]:
    """Fold translations into a copy of a flow mapping, noting where each added value came from.

    Translations must have passed structure_problems: every node and option they name exists.
    """
    merge = _Merge(data)
    for number, translation in enumerate(translations):
        merge.add(number, translation)
    return merge.data, merge.origins


class _Merge:
    """A flow mapping being extended language by language, and the origins of what was added."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data: dict[str, Any] = copy.deepcopy(dict(data))
        self.origins: Origins = {}
        self.where = {node["id"]: index for index, node in enumerate(self.data["nodes"])}

    def put(
        self, number: int, target: dict[str, Any], at: JsonPath, value: Any, src: JsonPath
    ) -> None:
        """Store `value` at merged path `at` (its last key in `target`), noting its source `src`."""
        target[str(at[-1])] = value
        self.origins[at] = (number, src)

    def add(self, number: int, translation: Mapping[str, Any]) -> None:
        """Add one translation's language, keywords and node texts."""
        language = translation["language"]
        self.data["languages"] = [*self.data["languages"], language]
        self.origins[("languages", len(self.data["languages"]) - 1)] = (number, ("language",))
        if translation.get("keywords"):
            keywords = self.data.setdefault("keywords", {})
            self.put(
                number,
                keywords,
                ("keywords", language),
                list(translation["keywords"]),
                ("keywords",),
            )
        for node_id, entry in translation["nodes"].items():
            self.add_node(number, language, node_id, entry)

    def add_node(self, number: int, language: str, node_id: str, entry: Mapping[str, Any]) -> None:
        """Add one node's texts, skip words and options in `language`."""
        index = self.where[node_id]
        node, here, src = self.data["nodes"][index], ("nodes", index), ("nodes", node_id)
        for field in LOCAL_FIELDS:
            if field in entry:
                target = node.setdefault(field, {})
                self.put(number, target, (*here, field, language), entry[field], (*src, field))
        if entry.get("skip_words"):
            target = node.setdefault("skip_words", {})
            path = (*here, "skip_words", language)
            self.put(number, target, path, list(entry["skip_words"]), (*src, "skip_words"))
        positions = {opt["value"]: pos for pos, opt in enumerate(node.get("options", ()))}
        for value, option in entry.get("options", {}).items():
            at, from_ = (*here, "options", positions[value]), (*src, "options", value)
            self.add_option(number, language, node["options"][positions[value]], at, from_, option)

    def add_option(
        self,
        number: int,
        language: str,
        target: dict[str, Any],
        at: JsonPath,
        src: JsonPath,
        option: Mapping[str, Any],
    ) -> None:
        """Add one option's label and synonyms in `language`."""
        if "label" in option:
            labels = target.setdefault("label", {})
            self.put(number, labels, (*at, "label", language), option["label"], (*src, "label"))
        if option.get("synonyms"):
            synonyms = target.setdefault("synonyms", {})
            path = (*at, "synonyms", language)
            self.put(number, synonyms, path, list(option["synonyms"]), (*src, "synonyms"))
