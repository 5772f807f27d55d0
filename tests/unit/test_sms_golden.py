"""Every SMS text reads byte for byte as before the engine returned structured prompts.

tests/unit/data/sms_texts.json was written once by `python -m tests.unit.sms_texts` on the code
from before prompts (commit 8322403): the opening, each question, its re-prompt and what follows
each of its answers, for the shipped flow and a flow of edge-case hints, in all 13 locales.
Regenerate it only for a wanted change of wording, and review the diff.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.sms_texts import GOLDEN, sms_texts

GOLDEN_TEXTS: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
RENDERED = sms_texts()
THIRTEEN = 13


def test_the_golden_file_covers_every_flow_in_thirteen_languages() -> None:
    assert set(GOLDEN_TEXTS) == {"post_contact", "edge"}
    assert all(len(languages) == THIRTEEN for languages in GOLDEN_TEXTS.values())
    assert set(RENDERED) == set(GOLDEN_TEXTS)


@pytest.mark.parametrize(
    ("flow_id", "language"),
    [(flow_id, code) for flow_id, languages in GOLDEN_TEXTS.items() for code in languages],
)
def test_sms_texts_are_unchanged(flow_id: str, language: str) -> None:
    assert RENDERED[flow_id][language] == GOLDEN_TEXTS[flow_id][language]
