"""Draft a flow's missing language with a machine translator, as a file for a person to review.

The draft is written as flows/<flow>.<language>.yaml with `machine: true`: Parley does not offer
it to residents until someone who reads the language has checked it and set `machine: false`.
Placeholders never reach the translator as words: each `{agency}` travels as a numbered token
(`[0]`) and is put back afterwards; a text whose tokens did not survive keeps its base-language
wording and a `# TODO review: placeholder lost` comment.
"""

from __future__ import annotations

import json
import logging
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine.text import placeholders
from bot.flows.sources import (
    FLOW_SUFFIXES,
    FlowFileError,
    FlowSource,
    parse_translation,
    read_flow_files,
)
from bot.flows.translations import base_language, translation_view
from bot.ports import Translator

logger = logging.getLogger(__name__)

PLACEHOLDER_LOST = "TODO review: placeholder lost"
NOT_TRANSLATED = "TODO review: not translated"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
# A token as translators give it back: [0], [ 0 ], or with full-width brackets ［0］.
_TOKEN = re.compile(r"[\[［]\s*(\d+)\s*[\]］]")
_KEYWORD_EDGES = string.punctuation + string.whitespace + "。、！？¿¡«»"
# Characters YAML cannot hold raw in a double-quoted scalar, or would read as line breaks.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


class DraftError(Exception):
    """The draft cannot be made: no such flow, the language is offered, the file exists."""


@dataclass
class Draft:
    """What a draft run produced: the file, how many texts, which kept their base wording."""

    path: Path
    texts: int = 0
    kept: list[str] = field(default_factory=list)


def draft_translation(
    directory: Path,
    flow_id: str,
    language: str,
    translator: Translator,
    out: Path | None = None,
    force: bool = False,
) -> Draft:
    """Translate every text of a flow into `language` and write it as a machine draft."""
    source, path = _target(directory, flow_id, language, out, force)
    base = base_language(source.data)
    draft = Draft(path)
    writer = _Writer(_Translate(translator, base, language), draft)
    kinds = {node["id"]: node["type"] for node in source.data["nodes"]}
    text = writer.document(translation_view(source.data, base), kinds, flow_id, language)
    parse_translation(text.encode("utf-8"), path)  # refuse to write what Parley could not read
    path.write_text(text, encoding="utf-8")
    logger.info(
        "drafted %s: %d texts, %d kept in %s", path.name, draft.texts, len(draft.kept), base
    )
    return draft


def _target(
    directory: Path, flow_id: str, language: str, out: Path | None, force: bool
) -> tuple[FlowSource, Path]:
    """Find the flow to translate and the file to write, refusing what must not be drafted."""
    if not _LANGUAGE.match(language):
        raise DraftError(f"{language!r} is not a language code like vi or pt-BR")
    # Flow files only: a broken draft beside them is what --force is there to replace.
    source = read_flow_files(directory).get(flow_id)
    if source is None:
        raise DraftError(f"there is no flow {flow_id!r} in {directory}")
    existing = [directory / f"{flow_id}.{language}{suffix}" for suffix in FLOW_SUFFIXES]
    if language in source.data["languages"] or any(map(_reviewed, existing)):
        raise DraftError(f"flow {flow_id!r} is already offered in {language!r}")
    path = out or existing[0]
    if path.exists() and not force:
        raise DraftError(f"{path} exists; pass --force to replace it")
    return source, path


def _reviewed(path: Path) -> bool:
    """Say whether a translation file a person has reviewed (`machine: false`) is at `path`."""
    if not path.exists():
        return False
    try:
        doc = parse_translation(path.read_bytes(), path)
    except FlowFileError:
        return False  # not even valid: nobody can have reviewed it
    return not doc.data.get("machine", False)


@dataclass
class _Translate:
    """Translate texts one at a time, protecting placeholders and remembering repeats."""

    translator: Translator
    source: str
    target: str
    seen: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def text(self, text: str) -> tuple[str, str | None]:
        """Return the text to write and, when it is the base text kept, why (a TODO comment)."""
        if text not in self.seen:
            self.seen[text] = self._fresh(text)
        return self.seen[text]

    def _fresh(self, text: str) -> tuple[str, str | None]:
        """Translate a text not seen before, swapping placeholders for tokens and back."""
        names = _PLACEHOLDER.findall(text)
        if any(_TOKEN.search(part) for part in _PLACEHOLDER.split(text)):
            # Brackets like our tokens already in the text: restoring could not be trusted.
            return text, NOT_TRANSLATED
        tokens = iter(range(len(names)))
        protected = _PLACEHOLDER.sub(lambda _: f"[{next(tokens)}]", text)
        translated = self.translator.translate(protected, self.source, self.target).strip()
        if not translated:
            return text, NOT_TRANSLATED
        restored = _restore(translated, names)
        if restored is None or placeholders(restored) != placeholders(text):
            return text, PLACEHOLDER_LOST
        return restored, None

    def keyword(self, word: str) -> str:
        """Translate a start keyword, dropping the punctuation translators add around it."""
        translated = self.translator.translate(word.lower(), self.source, self.target)
        return translated.strip(_KEYWORD_EDGES).upper() or word


def _restore(translated: str, names: list[str]) -> str | None:
    """Put each placeholder back in place of its token; None unless each token came back once."""
    found = [int(number) for number in _TOKEN.findall(translated)]
    if sorted(found) != list(range(len(names))):
        return None
    return _TOKEN.sub(lambda match: names[int(match.group(1))], translated)


@dataclass
class _Writer:
    """Write a translation file by hand: YAML libraries cannot place the review comments."""

    translate: _Translate
    draft: Draft

    def document(
        self, view: Mapping[str, Any], kinds: Mapping[str, str], flow_id: str, language: str
    ) -> str:
        """Return the whole draft file."""
        head = [
            "# yaml-language-server: $schema=translation.schema.json",
            f"# Drafted by machine translation ({self.translate.translator.name}) from "
            f"{self.translate.source}. Not offered to residents",
            "# until someone who reads the language has checked every text, added the synonyms",
            "# and skip words residents would use, and set machine to false.",
            f"flow: {flow_id}",
            f"language: {language}",
            "machine: true",
        ]
        keywords = [self.translate.keyword(word) for word in view.get("keywords", ())]
        if keywords:
            head.append(f"keywords: [{', '.join(_quote(word) for word in keywords)}]")
        body = [
            line
            for node_id, entry in view["nodes"].items()
            for line in self.node(node_id, entry, kinds[node_id])
        ]
        return "\n".join([*head, "nodes:", *body, ""])

    def node(self, node_id: str, entry: Mapping[str, Any], kind: str) -> Iterator[str]:
        """Write one node: its texts, its options' labels, empty word lists to fill in."""
        yield f"  {node_id}:"
        for key in ("text", "min_label", "max_label"):
            if key in entry:
                yield from self.text(key, entry[key], f"{node_id}.{key}", "    ")
        if "options" in entry:
            yield "    options:"
        for value, option in entry.get("options", {}).items():
            yield f"      {value}:"
            yield from self.text("label", option["label"], f"{node_id}.{value}", "        ")
            yield "        synonyms: []"
        if kind == "text":
            yield "    skip_words: []"

    def text(self, key: str, text: str, where: str, indent: str) -> Iterator[str]:
        """Write one translated text, or the base text with a comment asking for review."""
        self.draft.texts += 1
        written, todo = self.translate.text(text)
        if todo is not None:
            self.draft.kept.append(where)
            yield f"{indent}# {todo}"
        yield f"{indent}{key}: {_quote(written)}"


def _quote(text: str) -> str:
    """Quote a text as a YAML double-quoted scalar (JSON's string syntax, with a few escapes)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", quoted)


def machine_text(translator: Translator, source: str, target: str, text: str) -> str | None:
    """Translate one text with its placeholders kept; None when the result cannot be trusted."""
    written, todo = _Translate(translator, source, target).text(text)
    return None if todo is not None else written
