"""Answers as residents really write them, read through the engine with the shipped survey.

Each row is (conversation language, question, what the resident says, the value stored), `None`
meaning Parley re-prompts rather than guessing. Replies are read in the conversation's language
first: a word of that language ("um" in English) is never taken for another language's answer
("um" is Portuguese for one).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.engine.conversation import Context, step
from bot.engine.model import AnswerValue, ConversationState, Flow
from bot.engine.render import texts_of
from bot.flows.files import load_flows
from bot.flows.locales import load_locales

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


@cache
def shipped() -> tuple[Flow, Context]:
    """Load the shipped default survey and locales once."""
    flow = load_flows(ROOT / "flows")["post_contact"]
    ctx = Context(locales=load_locales(ROOT / "locales"), values=Settings().placeholder_values)
    return flow, ctx


def answered(language: str, question: str, says: str) -> tuple[bool, AnswerValue]:
    """Say whether a reply was taken as an answer to `question`, and the value stored."""
    flow, ctx = shipped()
    result = step(flow, ConversationState(question, language), says, NOW, ctx)
    if not result.answers:
        assert result.state.node_id == question, texts_of(result.prompts)
        return False, None
    [answer] = result.answers
    assert answer.question_id == question
    return True, answer.value


REREAD = None  # Parley re-prompts: the reply is not taken as any answer

ANSWERS = [
    # Negative numbers are not scores: "-5" is not 5 (hyphen-minus and the minus sign U+2212).
    ("en", "respect", "-5", REREAD),
    ("en", "respect", "−5", REREAD),
    ("en", "respect", "− 4", REREAD),
    ("en", "respect", "–4", REREAD),
    ("en", "respect", "- 4", 4),  # a bullet, as before
    ("es", "trust", "-1", REREAD),
    ("en", "what_wrong", "-2", REREAD),
    ("en", "listened", "-1", REREAD),
    # The scale's printed end labels, in the conversation's language.
    ("en", "respect", "not at all", 1),
    ("en", "respect", "Completely", 5),
    ("en", "respect", "completely!", 5),
    ("en", "explained", "very well", 5),
    ("en", "trust", "a lot", 5),
    ("en", "overall", "very dissatisfied", 1),
    ("es", "respect", "totalmente", 5),
    ("es", "respect", "nada", 1),
    ("es", "overall", "muy conforme", 5),
    ("fr", "respect", "pas du tout", 1),
    # Numbers with polite words around them.
    ("en", "respect", "I'd say 4", 4),
    ("en", "respect", "I’d say 4", 4),
    ("en", "respect", "a 4", 4),
    ("en", "respect", "4 please", 4),
    ("en", "trust", "I would say 3", 3),
    ("es", "respect", "un 4", 4),
    ("es", "respect", "diría que 4", 4),
    # Yes and no with a confirmation, a courtesy or thanks.
    ("en", "listened", "yes he did", True),
    ("en", "listened", "Yes she did", True),
    ("en", "listened", "no he didnt", False),
    ("en", "listened", "no he didn't", False),
    ("en", "listened", "yes sir", True),
    ("en", "listened", "no sir", False),
    ("en", "listened", "yes thank you", True),
    ("ar", "listened", "نعم شكرا", True),
    ("ht", "listened", "wi mèsi", True),
    ("ht", "listened", "wi mesi", True),
    ("es", "listened", "sí señor", True),
    ("es", "listened", "sí gracias", True),
    ("pt", "listened", "sim obrigado", True),
    # Letters held down: "yess", "yesss", "nooo".
    ("en", "listened", "yess", True),
    ("en", "listened", "Yesss!", True),
    ("en", "listened", "nooo", False),
    ("es", "listened", "siii", True),
    # Courtesies alone answer nothing, and "um" in English is not Portuguese "one".
    ("en", "respect", "um", REREAD),
    ("en", "listened", "sir", REREAD),
    ("en", "respect", "thanks", REREAD),
    ("en", "respect", "I'd say", REREAD),
    # Still refused: words that are not answers stay unread.
    ("en", "listened", "maybe", REREAD),
    ("en", "respect", "a lot of 4", REREAD),
    ("es", "respect", "de 5", REREAD),
    # Kept as before.
    ("en", "respect", "4/5", 4),
    ("en", "respect", "4 stars", 4),
    ("pt", "respect", "um", 1),
    ("en", "respect", "cuatro", 4),
]


@pytest.mark.parametrize(("language", "question", "says", "value"), ANSWERS)
def test_answers_as_residents_write_them(
    language: str, question: str, says: str, value: AnswerValue
) -> None:
    expected = (False, None) if value is REREAD else (True, value)
    assert answered(language, question, says) == expected


SKIPS = [
    ("en", "omitir"),  # another language's skip word still skips
    ("es", "skip"),
    ("es", "nada más, gracias"),
    ("es", "nada, gracias"),
    ("en", "nothing else, thanks"),
    ("en", "no thank you"),
    ("fr", "rien, merci"),
]


@pytest.mark.parametrize(("language", "says"), SKIPS)
def test_a_polite_nothing_skips_the_comment(language: str, says: str) -> None:
    assert answered(language, "comment", says) == (True, None)


@pytest.mark.parametrize(
    "says", ["nada más que decir, el agente fue amable", "gracias por todo, fue muy amable"]
)
def test_a_real_comment_with_polite_words_is_kept(says: str) -> None:
    assert answered("es", "comment", says) == (True, says)
