"""A small flow with a Vietnamese translation file, and a fake machine translator, for tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOW = """\
id: tiny
name: Tiny
base_language: en
languages: [en, es]
keywords: {en: [TINY], es: [PEQUE]}
nodes:
  - id: hello
    type: message
    text:
      en: "{agency}: a short survey about your visit. Reply STOP to opt out of all messages."
      es: "{agency}: una breve encuesta sobre su visita. Responda ALTO para no recibir nada."
    next: rate
  - id: rate
    type: scale
    min: 1
    max: 5
    min_label: {en: "bad", es: "mal"}
    max_label: {en: "good", es: "bien"}
    text: {en: "How was it?", es: "¿Qué tal?"}
    next: why
  - id: why
    type: choice
    options:
      - value: slow
        label: {en: "Slow", es: "Lento"}
        synonyms: {en: [late]}
      - value: other
        label: {en: "Other", es: "Otro"}
    text: {en: "Why?", es: "¿Por qué?"}
    next: comment
  - id: comment
    type: text
    text: {en: "Anything else?", es: "¿Algo más?"}
    next: bye
  - id: bye
    type: end
    text: {en: "Thanks. Complaints: {complaints}", es: "Gracias. Quejas: {complaints}"}
"""

VI = """\
# yaml-language-server: $schema=translation.schema.json
flow: tiny
language: vi
machine: false
keywords: [KHAOSAT]
nodes:
  hello:
    text: "{agency}: khảo sát ngắn về chuyến thăm của bạn. Trả lời STOP để ngừng nhận tin nhắn."
  rate:
    text: "Thế nào?"
    min_label: "tệ"
    max_label: "tốt"
  why:
    text: "Tại sao?"
    options:
      slow: {label: "Chậm", synonyms: [trễ, lâu quá]}
      other: {label: "Khác"}
  comment:
    text: "Còn gì nữa không?"
    skip_words: [không có gì]
  bye:
    text: "Cảm ơn. Khiếu nại: {complaints}"
"""


def write(directory: Path, name: str, text: str) -> Path:
    """Write a file (creating its directory) and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def changed(old: str, new: str, base: str = VI) -> str:
    """Return a text with one fragment replaced (which must be there exactly once)."""
    assert base.count(old) == 1, f"{old!r} is in the text {base.count(old)} times"
    return base.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """Return the 1-based line of the only line of `text` containing `fragment`."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, f"{fragment!r} is on lines {lines}"
    return lines[0]


def shipped_locales(directory: Path, codes: tuple[str, ...] = ("en", "es", "vi")) -> Path:
    """Copy some shipped locale files into `directory` and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for code in codes:
        shutil.copy(ROOT / "locales" / f"{code}.yaml", directory / f"{code}.yaml")
    return directory


class BracketTranslator:
    """A machine translator for tests: `«vi text»`, remembering every text it was sent.

    With `lose` set it drops the tokens standing in for placeholders, as real translators
    sometimes do, so the draft must notice.
    """

    name = "brackets"

    def __init__(self, lose: bool = False) -> None:
        self.lose = lose
        self.sent: list[str] = []

    def translate(self, text: str, source: str | None, target: str) -> str:
        """Return the text tagged with the target language."""
        self.sent.append(text)
        if self.lose:
            text = re.sub(r"\[\d+\]", "", text)
        return f"«{target} {text}»"
