"""Tests for bot.engine.conversation: begin(), step() and prompt() through whole surveys."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot.engine.conversation import Context, begin, prompt, step
from bot.engine.model import (
    AnswerRecord,
    AnswerValue,
    ConversationState,
    Flow,
    Node,
    NodeKind,
    Status,
    StepResult,
)
from bot.engine.render import texts_of
from tests.unit.engine_fixtures import NOW, VALUES, context, flow_of, make_flow, run

FLOW = make_flow()
CTX = context()

Row = tuple[str | None, tuple[str, ...]]

EN_TRANSCRIPT: list[Row] = [
    (None, ("Springfield PD: thank you for your time.",
            "Did the officer treat you with respect?\nReply 1 (not at all) to 5 (completely).")),
    ("⭐⭐", ("What went wrong?\nReply SKIP to skip.",)),
    ("He shouted at me.", ("What was the contact about?\n1 Traffic\n2 Noise complaint\n"
                           "3 Reporting a crime\n4 Other",)),
    ("maybe", ("Sorry, I didn't get that.\n1 Traffic\n2 Noise complaint\n3 Reporting a crime\n"
               "4 Other",)),
    ("car", ("Would you contact Springfield PD again?\nReply YES or NO.",)),
    ("Nope!", ("To raise a concern, call 555-0100.",
               "How likely are you to recommend Springfield PD?\n"
               "Reply 0 (not likely) to 10 (very likely).")),
    ("11", ("Sorry, I didn't get that.\nReply 0 (not likely) to 10 (very likely).",)),
    ("ten", ("Anything else?\nReply SKIP to skip.",)),
    ("SKIP", ("Thank you!",)),
]  # fmt: skip
EN_ANSWERS = {"respect": 2, "why_low": "He shouted at me.", "reason": "traffic", "again": False,
              "recommend": 10, "comment": None}  # fmt: skip

ES_TRANSCRIPT: list[Row] = [
    (None, ("Springfield PD: gracias por su tiempo.",
            "¿El agente le trató con respeto?\nResponda de 1 (nada) a 5 (totalmente).")),
    ("cuatro de cinco", ("¿De qué se trató el contacto?\n1 Tráfico\n2 Queja por ruido\n"
                         "3 Denunciar delito\n4 Otro",)),
    ("2️⃣", ("¿Volvería a contactar a Springfield PD?\nResponda SÍ o NO.",)),
    ("quizás", ("Perdone, no le entendí.\nResponda SÍ o NO.",)),
    ("Sí", ("¿Qué probabilidad hay de que recomiende a Springfield PD?\n"
            "Responda de 0 (nada probable) a 10 (muy probable).",)),
    ("9/10", ("¿Algo más?\nResponda OMITIR para saltar.",)),
    ("  Muy amable, gracias.  ", ("¡Gracias!",)),
]  # fmt: skip
ES_ANSWERS = {"respect": 4, "reason": "noise", "again": True, "recommend": 9,
              "comment": "Muy amable, gracias."}  # fmt: skip


@pytest.mark.parametrize(
    ("language", "transcript", "answers"),
    [("en", EN_TRANSCRIPT, EN_ANSWERS), ("es", ES_TRANSCRIPT, ES_ANSWERS)],
)
def test_complete_survey_transcript(
    language: str, transcript: list[Row], answers: dict[str, AnswerValue]
) -> None:
    says = [text for text, _ in transcript[1:] if text is not None]
    results, recorded = run(FLOW, language, says)
    for (text, expected), result in zip(transcript, results, strict=True):
        assert texts_of(result.prompts) == expected, f"after {text!r}"
    assert {answer.question_id: answer.value for answer in recorded} == answers
    assert {answer.language for answer in recorded} == {language}
    assert results[-1].state == ConversationState(None, language, Status.COMPLETED)


def test_answer_records_keep_the_raw_text_and_time() -> None:
    later = NOW + timedelta(minutes=5)
    state = begin(FLOW, "en", CTX).state
    result = step(FLOW, state, "  4️⃣ ", later, CTX)
    assert result.answers == (AnswerRecord("respect", "  4️⃣ ", 4, "en", later),)


def test_begin_falls_back_to_the_base_language() -> None:
    result = begin(FLOW, "fr", CTX)
    assert result.state == ConversationState("respect", "en", Status.ACTIVE, 0)
    assert texts_of(result.prompts)[0] == "Springfield PD: thank you for your time."


END = {"id": "bye", "type": "end"}


def test_begin_on_an_end_node_completes() -> None:
    flow = flow_of({"id": "bye", "type": "end"})
    # The result's texts are its prompts rendered (texts_of), no longer a field.
    result = begin(flow, "es", CTX)
    assert (result.state, texts_of(result.prompts), result.answers) == (
        ConversationState(None, "es", Status.COMPLETED),
        ("bye (es)",),
        (),
    )


def test_an_end_node_without_text_sends_nothing() -> None:
    flow = flow_of(
        {"id": "m", "type": "message", "next": "bye"}, {**END, "text": {"en": "", "es": ""}}
    )
    assert texts_of(begin(flow, "en", CTX).prompts) == ("m (en)",)


@pytest.mark.parametrize(
    ("kind", "extra", "reply", "value"),
    [
        ("choice", {"options": [{"value": "a", "label": {"en": "Apple", "es": "Manzana"}},
                                {"value": "b", "label": {"en": "Pear", "es": "Pera"}}]},
         "pera", "b"),
        ("scale", {"min": 0, "max": 3}, "three", 3),
        ("nps", {}, "0", 0),
        ("yes_no", {}, "sí", True),
        ("text", {}, "fine", "fine"),
    ],
)  # fmt: skip
def test_every_question_kind_records_its_answer(
    kind: str, extra: dict[str, Any], reply: str, value: AnswerValue
) -> None:
    flow = flow_of({"id": "q", "type": kind, "next": "bye", **extra}, dict(END))
    results, recorded = run(flow, "en", [reply])
    assert recorded == [AnswerRecord("q", reply, value, "en", NOW)]
    assert results[-1].state.status is Status.COMPLETED


@pytest.mark.parametrize(
    ("kind", "extra", "hint"),
    [
        ("choice", {"options": [{"value": "a", "label": {"en": "Apple", "es": "Manzana"}},
                                {"value": "b", "label": {"en": "Pear", "es": "Pera"}}]},
         "1 Apple\n2 Pear"),
        ("scale", {"min": 0, "max": 3, "min_label": {"en": "bad", "es": "mal"},
                   "max_label": {"en": "good", "es": "bien"}}, "Reply 0 (bad) to 3 (good)."),
        ("scale", {}, "Reply 1 to 5."),
        ("nps", {"max_label": {"en": "sure", "es": "seguro"}}, "Reply 0 to 10 (sure)."),
        ("yes_no", {}, "Reply YES or NO."),
        ("text", {}, "Reply SKIP to skip."),
    ],
)  # fmt: skip
def test_prompt_adds_the_hint_for_each_kind(kind: str, extra: dict[str, Any], hint: str) -> None:
    flow = flow_of({"id": "q", "type": kind, "next": "bye", **extra}, dict(END))
    state = ConversationState("q", "en")
    assert prompt(flow, state, CTX) == f"q (en)\n{hint}"
    assert texts_of(begin(flow, "en", CTX).prompts) == (f"q (en)\n{hint}",)


def test_prompt_renders_in_the_state_language_with_values() -> None:
    state = ConversationState("again", "es")
    assert prompt(FLOW, state, CTX) == "¿Volvería a contactar a Springfield PD?\nResponda SÍ o NO."
    other = Context(locales=CTX.locales, values={**VALUES, "agency": "Shelbyville PD"})
    assert prompt(FLOW, state, other).startswith("¿Volvería a contactar a Shelbyville PD?")


def test_prompt_falls_back_to_the_base_language_text() -> None:
    flow = replace(FLOW, nodes={**FLOW.nodes, "again": replace(FLOW.nodes["again"], text={
        "en": "Again?"})})  # fmt: skip
    assert prompt(flow, ConversationState("again", "es"), CTX) == "Again?\nResponda SÍ o NO."


@pytest.mark.parametrize("node_id", [None, "gone", "intro", "bye"])
def test_prompt_is_empty_when_nothing_is_asked(node_id: str | None) -> None:
    assert prompt(FLOW, ConversationState(node_id, "en"), CTX) == ""


def test_retries_then_move_on_unanswered() -> None:
    # respect allows 2 re-prompts; the third unreadable reply moves on with no answer.
    state = begin(FLOW, "en", CTX).state
    first = step(FLOW, state, "purple", NOW, CTX)
    assert first.state == ConversationState("respect", "en", Status.ACTIVE, 1)
    assert texts_of(first.prompts) == (
        "Sorry, I didn't get that.\nReply 1 (not at all) to 5 (completely).",
    )
    assert first.answers == ()
    second = step(FLOW, first.state, "7", NOW, CTX)
    assert second.state.retries == 2 and second.answers == ()
    third = step(FLOW, second.state, "lots", NOW, CTX)
    assert third.answers == (AnswerRecord("respect", "lots", None, "en", NOW),)
    # no answer does not satisfy `lte: 2`, so the default branch is taken
    assert third.state == ConversationState("reason", "en", Status.ACTIVE, 0)
    assert texts_of(third.prompts)[0].startswith("What was the contact about?")


def test_retries_reset_after_an_answer() -> None:
    state = ConversationState("respect", "en", Status.ACTIVE, 2)
    assert step(FLOW, state, "4", NOW, CTX).state.retries == 0


def test_zero_retries_moves_on_at_once() -> None:
    flow = flow_of({"id": "q", "type": "yes_no", "retries": 0, "next": "bye"}, dict(END))
    results, recorded = run(flow, "en", ["perhaps"])
    assert recorded == [AnswerRecord("q", "perhaps", None, "en", NOW)]
    assert results[-1].state.status is Status.COMPLETED


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Sorry, I got an empty message.\nReply SKIP to skip."),
     ("es", "Perdone, recibí un mensaje vacío.\nResponda OMITIR para saltar.")],
)  # fmt: skip
def test_text_questions_use_reprompt_text(language: str, expected: str) -> None:
    state = ConversationState("comment", language)
    assert texts_of(step(FLOW, state, "   ", NOW, CTX).prompts) == (expected,)


@pytest.mark.parametrize("status", [Status.SCHEDULED, Status.COMPLETED, Status.EXPIRED,
                                    Status.OPTED_OUT])  # fmt: skip
def test_step_ignores_conversations_that_are_not_active(status: Status) -> None:
    state = ConversationState("respect", "en", status)
    assert step(FLOW, state, "4", NOW, CTX) == StepResult(state=state)


@pytest.mark.parametrize("node_id", ["deleted_question", None])
def test_a_missing_node_completes_gracefully(node_id: str | None) -> None:
    state = ConversationState(node_id, "es", Status.ACTIVE, 1)
    result = step(FLOW, state, "4", NOW, CTX)
    assert result == StepResult(state=ConversationState(None, "es", Status.COMPLETED, 0))


def test_a_next_that_vanished_completes_gracefully() -> None:
    nodes = {**FLOW.nodes, "reason": replace(FLOW.nodes["reason"], next="deleted")}
    flow = replace(FLOW, nodes=nodes)
    result = step(flow, ConversationState("reason", "en"), "1", NOW, CTX)
    assert result.state.status is Status.COMPLETED
    assert result.answers[0].value == "traffic"


def test_a_loop_of_messages_cannot_spin_forever() -> None:
    nodes = {
        "a": Node(id="a", kind=NodeKind.MESSAGE, text={"en": "A"}, next="b"),
        "b": Node(id="b", kind=NodeKind.MESSAGE, text={"en": "B"}, next="a"),
    }
    flow = Flow("loop", "Loop", "1", "en", ("en",), "a", nodes)
    result = begin(flow, "en", CTX)
    assert result.state.status is Status.COMPLETED
    assert texts_of(result.prompts) == ("A", "B")


def test_a_missing_system_message_is_left_out() -> None:
    en = CTX.locales["en"]
    bare = replace(en, messages={k: v for k, v in en.messages.items() if k != "hint_yes_no"})
    ctx = Context(locales={"en": bare}, values=VALUES)
    assert prompt(FLOW, ConversationState("again", "en"), ctx) == (
        "Would you contact Springfield PD again?"
    )


def test_steps_are_deterministic() -> None:
    says = [text for text, _ in EN_TRANSCRIPT[1:] if text is not None]
    assert run(FLOW, "en", says) == run(FLOW, "en", says)
