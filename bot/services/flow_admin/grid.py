"""A draft's translatable texts as a grid: a row per localised field, a column per language.

The rows come from walking the flow file's data generically: any mapping whose keys are the
flow's inline languages (the base language among them) holding texts or word lists is a
localised field (question texts, scale labels, option labels and synonyms, skip words,
keywords). Languages of translation files are looked up at the same field in their file.
Each text cell carries its SMS encoding and segment count (bot.i18n.sms).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.flows.emit import data_of_files, translation_file_name
from bot.flows.problems import FieldProblem, field_name
from bot.flows.sources import FlowFileError
from bot.flows.texts import base_file_name
from bot.flows.translations import base_language
from bot.i18n.sms import is_gsm7, segments
from bot.services.flow_admin.errors import FlowAdminError

Path = tuple[str | int, ...]
# A question text sent in more than two segments may arrive split or out of order on older
# phones, and costs the agency three messages per resident; the default flow keeps every
# question within two (tests/unit/test_default_flow.py), and so should its translations.
QUESTION_SEGMENTS = 2
# Messages (the intro is sent with the first question) and closing texts are not questions.
NOT_QUESTIONS = ("message", "end")


@dataclass(frozen=True)
class Badge:
    """How a text travels by SMS: its alphabet, its segments, and a warning if too long."""

    encoding: str
    segments: int
    warning: str


def badge(text: str, question: bool) -> Badge:
    """Work out one text's SMS encoding and segments, warning for a long question text."""
    count = segments(text)
    encoding = "GSM-7" if is_gsm7(text) else "UCS-2"
    warning = ""
    if question and count > QUESTION_SEGMENTS:
        warning = f"Longer than {QUESTION_SEGMENTS} SMS segments"
    return Badge(encoding, count, warning)


@dataclass(frozen=True)
class Cell:
    """One language's value of a row: a text, a word list joined by commas, or nothing."""

    language: str
    value: str
    words: bool
    badge: Badge | None
    # What the draft's checks say about this text (a placeholder the base text lacks...).
    problems: tuple[str, ...] = ()

    @property
    def missing(self) -> bool:
        """Say whether a text residents need is absent (word lists may stay empty)."""
        return not self.words and not self.value


@dataclass(frozen=True)
class Row:
    """One localised field: where it is, what it is, and its cell in each language."""

    key: str
    label: str
    words: bool
    question: bool
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Grid:
    """The draft's texts in every language it offers, and how each language is kept."""

    flow_id: str
    base: str
    languages: tuple[str, ...]
    inline: tuple[str, ...]
    machine: Mapping[str, bool]
    rows: tuple[Row, ...]


@dataclass
class DraftData:
    """A draft's files read as data: the flow file's and each translation file's by language."""

    flow_id: str
    base: dict[str, Any]
    translations: dict[str, dict[str, Any]]

    @property
    def inline(self) -> tuple[str, ...]:
        """Return the languages written in the flow file itself."""
        return tuple(str(language) for language in self.base.get("languages", ()))

    @property
    def languages(self) -> tuple[str, ...]:
        """Return every language the draft offers: the flow file's, then its translations'."""
        return (*self.inline, *(lang for lang in self.translations if lang not in self.inline))


def read_draft(flow_id: str, files: Mapping[str, str]) -> DraftData:
    """Read a draft's files as data; FlowAdminError when they cannot be read as a flow."""
    try:
        data = data_of_files(files)
    except FlowFileError as exc:
        raise FlowAdminError({"files": f"the draft cannot be read: {exc}"}) from None
    base = data.get(base_file_name(flow_id))
    if not isinstance(base, dict) or not isinstance(base.get("nodes"), list):
        raise FlowAdminError({"files": "the draft's flow file has no nodes"})
    translations: dict[str, dict[str, Any]] = {}
    for name, doc in data.items():
        language = doc.get("language") if isinstance(doc, dict) else None
        if isinstance(language, str) and name == translation_file_name(flow_id, language):
            translations[language] = doc
    return DraftData(flow_id, base, translations)


def localised(draft: DraftData) -> Iterator[Path]:
    """Yield the path of every localised field in the flow file, in file order."""
    inline = set(draft.inline)
    base = base_language(draft.base) if draft.inline else ""
    yield from _walk(draft.base, (), inline, base)


def _walk(value: Any, path: Path, inline: set[str], base: str) -> Iterator[Path]:
    """Find localised mappings under `value` (at `path`)."""
    if isinstance(value, Mapping):
        if _is_localised(value, inline, base):
            yield path
            return
        for key, inner in value.items():
            yield from _walk(inner, (*path, str(key)), inline, base)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _walk(inner, (*path, index), inline, base)


def _is_localised(value: Mapping[str, Any], inline: set[str], base: str) -> bool:
    """Say whether a mapping holds one text or word list per language."""
    if base not in value or not set(value) <= inline:
        return False
    texts = all(isinstance(v, str) for v in value.values())
    words = all(isinstance(v, list) and all(isinstance(w, str) for w in v) for v in value.values())
    return texts or words


def translation_path(base: Mapping[str, Any], path: Path) -> Path:
    """Map a flow file path to where a translation file keeps the same field.

    Translation files key nodes by id and options by value (docs/flows.md), not by position.
    """
    out: list[str | int] = []
    here: Any = base
    for key in path:
        inner = here[key]
        if isinstance(key, int) and isinstance(inner, Mapping):
            out.append(str(inner.get("id", inner.get("value", key))))
        elif not isinstance(key, int):
            out.append(key)
        here = inner
    return tuple(out)


def dig(data: Any, path: Path) -> Any:
    """Follow a path through mappings and lists; None where it leads nowhere."""
    for key in path:
        if isinstance(data, Mapping) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def value_in(draft: DraftData, path: Path, language: str) -> Any:
    """Return a field's value in one language, wherever that language is kept."""
    if language in draft.inline:
        field = dig(draft.base, path)
        return field.get(language) if isinstance(field, Mapping) else None
    return dig(draft.translations.get(language, {}), translation_path(draft.base, path))


def path_key(path: Path) -> str:
    """Write a path as a form field key: nodes.2.text."""
    return ".".join(str(key) for key in path)


def label_of(draft: DraftData, path: Path) -> str:
    """Name a field for people: "listened: text", "why: option slow: synonyms"."""
    parts = [p for p in translation_path(draft.base, path) if p not in ("nodes", "options")]
    return ": ".join(str(part) for part in parts) or path_key(path)


def build_grid(
    draft: DraftData, only: str | None = None, problems: Sequence[FieldProblem] = ()
) -> Grid:
    """Lay the draft out as a grid (all languages, or the base language and `only`)."""
    languages = draft.languages
    base = base_language(draft.base) if draft.inline else ""
    if only is not None:
        languages = tuple(lang for lang in languages if lang in (base, only))
    said: dict[str, list[str]] = {}
    for problem in problems:
        said.setdefault(problem.field, []).append(problem.message)
    rows = tuple(_row(draft, path, languages, said) for path in localised(draft))
    machine = {lang: bool(doc.get("machine", False)) for lang, doc in draft.translations.items()}
    return Grid(draft.flow_id, base, languages, draft.inline, machine, rows)


def _row(
    draft: DraftData, path: Path, languages: tuple[str, ...], said: Mapping[str, list[str]]
) -> Row:
    """Build one row: the field's cell in each language."""
    field = dig(draft.base, path)
    words = isinstance(field, Mapping) and any(isinstance(v, list) for v in field.values())
    question = _is_question_text(draft, path)
    cells = tuple(
        _cell(value_in(draft, path, lang), lang, question, words, said.get(_field(path, lang)))
        for lang in languages
    )
    return Row(path_key(path), label_of(draft, path), words, question, cells)


def _is_question_text(draft: DraftData, path: Path) -> bool:
    """Say whether a path is a question's text (not a message's or the closing one's)."""
    if len(path) != 3 or path[0] != "nodes" or path[2] != "text":
        return False
    node = dig(draft.base, path[:2])
    return isinstance(node, Mapping) and node.get("type") not in NOT_QUESTIONS


def _field(path: Path, language: str) -> str:
    """Name a cell as the draft's checks name fields: nodes[2].text.es."""
    return field_name((*path, language))


def _cell(value: Any, language: str, question: bool, words: bool, said: list[str] | None) -> Cell:
    """Build one cell, with a badge for a text and what the checks say of it."""
    if words:
        joined = ", ".join(str(word) for word in value) if isinstance(value, list) else ""
        return Cell(language, joined, True, None, tuple(said or ()))
    text = value if isinstance(value, str) else ""
    # A missing text is marked as such; the check's "not translated" would only repeat it.
    problems = tuple(said or ()) if text else ()
    return Cell(language, text, False, badge(text, question) if text else None, problems)
