"""Put a draft's problems next to the question form's fields they are about.

Problems name fields of the flow (`nodes[2].options[0].label.es`); the form shows a question's
base-language fields (`text`, `options-0-label`...). A problem in another language belongs to
the translations and is listed apart, with its field, for the translation grid to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.flows.problems import FieldProblem

_PART = re.compile(r"\.([\w-]+)|\[(\d+)\]")
_LOCAL = ("text", "min_label", "max_label", "label", "synonyms", "skip_words")
_NUMBERS = ("min", "max", "retries", "max_length")


@dataclass
class NodeProblems:
    """One question's problems: by form field, about the whole question, in other languages."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    question: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Return how many problems the question has in all."""
        listed = sum(len(messages) for messages in self.fields.values())
        return listed + len(self.question) + len(self.elsewhere)


def node_problems(problems: Iterable[FieldProblem], index: int, language: str) -> NodeProblems:
    """Sort the problems of the node at `index` by the form field each is shown beside."""
    found = NodeProblems()
    prefix = f"nodes[{index}]"
    for problem in problems:
        rest = problem.field[len(prefix) :]
        if not problem.field.startswith(prefix) or rest[:1] not in ("", ".", "["):
            continue
        parts = [name or int(number) for name, number in _PART.findall(rest)]
        name, other_language = _form_field(parts, language)
        if other_language:
            found.elsewhere.append(f"{problem.field}: {problem.message}")
        elif name:
            found.fields.setdefault(name, []).append(problem.message)
        else:
            found.question.append(problem.message)
    return found


def _form_field(parts: list[str | int], language: str) -> tuple[str, bool]:
    """Name the form field a path within a node is about, and say if it is another language's."""
    if not parts:
        return "", False
    head = parts[0]
    if head == "options" and len(parts) > 2:
        sub, tail = parts[2], parts[3:]
        return f"options-{parts[1]}-{sub}", _foreign(str(sub), tail, language)
    if head in ("options", "next", *_NUMBERS):
        return str(head), False
    if head in _LOCAL:
        return str(head), _foreign(str(head), parts[1:], language)
    return "", False


def _foreign(name: str, tail: list[str | int], language: str) -> bool:
    """Say whether a localised field's path names a language other than the one edited."""
    return name in _LOCAL and bool(tail) and isinstance(tail[0], str) and tail[0] != language
