"""The default post-contact survey, walked with the engine in every language it offers.

Every offered language (inline or from a translation file) is walked answering by number, so
one script works in all of them. English and Spanish transcripts also try forgiving answers;
they read as a conversation: (what the resident says, what Parley's answer contains), `None`
as the resident's text being Parley opening the conversation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.engine.conversation import Context, begin, prompt, step
from bot.engine.locale import language_values
from bot.engine.model import AnswerValue, ConversationState, Flow, Locale, NodeKind, Status
from bot.engine.render import texts_of
from bot.engine.text import render
from bot.flows.files import load_flows
from bot.flows.locales import load_locales
from bot.i18n.sms import is_gsm7, segments

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2025, 3, 14, 15, 9, tzinfo=UTC)
# The shipped defaults: a realistic length for each placeholder a resident will see filled.
VALUES = Settings().placeholder_values
AGENCY, COMPLAINTS = VALUES["agency"], VALUES["complaints"]
ES_COMPLAINTS = "queja: la recepción del departamento de policía."

# The thirteen languages residents are offered (README): every one must be in the shipped flow.
THIRTEEN = ("en", "es", "zh", "vi", "tl", "ar", "ko", "ru", "ht", "so", "fr", "pt", "zh-Hant")
# What one message may cost: GSM-7 carries 153 characters a segment, UCS-2 only 67.
SEGMENT_BUDGET = {True: 2, False: 3}

Transcript = Sequence[tuple[str | None, tuple[str, ...]]]

SATISFIED: Mapping[str, Transcript] = {
    "en": [
        (None, (AGENCY, "optional survey", "Reply STOP", "listen to what you had to say")),
        ("Yes", ("dignity and respect", "from 1 (not at all) to 5 (completely)")),
        ("5", ("explain what was happening",)),
        ("four", ("Overall, how satisfied",)),
        ("4 stars", ("trust our police department",)),
        ("5", ("Anything else",)),
        ("He was kind, thanks.", ("not the way to make a complaint", COMPLAINTS)),
    ],
    "es": [
        (None, (AGENCY, "encuesta opcional", "responda ALTO", "¿El agente le ha escuchado")),
        ("Sí", ("dignidad y respeto", "del 1 (nada) al 5 (totalmente)")),
        ("cinco", ("le explicó",)),
        ("4", ("qué tan conforme",)),
        ("4 estrellas", ("¿Cuánto confía",)),
        ("5", ("¿Algo más",)),
        # With no COMPLAINTS_CONTACT set, the Spanish text names the desk in Spanish.
        ("Fue muy amable, gracias.", ("no sirve para presentar quejas", ES_COMPLAINTS)),
    ],
}
SATISFIED_ANSWERS: Mapping[str, AnswerValue] = {
    "listened": True,
    "respect": 5,
    "explained": 4,
    "overall": 4,
    "trust": 5,
}

UNHAPPY: Mapping[str, Transcript] = {
    "en": [
        (None, ("listen to what you had to say",)),
        ("nope", ("dignity and respect",)),
        ("2", ("explain what was happening",)),
        ("1", ("Overall, how satisfied",)),
        ("2/5", ("What went wrong most?", "1 Not listened to", "2 Disrespect", "6 Other")),
        ("maybe", ("Sorry, I didn't understand.", "2 Disrespect")),
        ("rude", ("trust our police department",)),
        ("1", ("Anything else", "SKIP")),
        ("", ("Please type your answer", "SKIP")),
        ("skip", ("not the way to make a complaint",)),
    ],
    "es": [
        (None, ("¿El agente le ha escuchado",)),
        ("no", ("dignidad y respeto",)),
        ("2", ("le explicó",)),
        ("1", ("qué tan conforme",)),
        ("dos", ("¿Qué fue lo que más falló?", "1 No me escucharon", "3 Sin explicación")),
        ("quizás", ("Disculpe, no le entendí.", "3 Sin explicación")),
        ("no me explicaron", ("¿Cuánto confía",)),
        ("1", ("¿Algo más", "OMITIR")),
        ("", ("Escriba su respuesta", "OMITIR")),
        ("omitir", ("no sirve para presentar quejas",)),
    ],
}
UNHAPPY_ANSWERS: Mapping[str, AnswerValue] = {
    "listened": False,
    "respect": 2,
    "explained": 1,
    "overall": 2,
    "what_wrong": None,
    "trust": 1,
    "comment": None,
}


@cache
def shipped_flow() -> Flow:
    """Load the default flow with its translation files, as Parley does at start-up."""
    return load_flows(ROOT / "flows")["post_contact"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run tests taking `offered` once per language the shipped flow offers."""
    if "offered" in metafunc.fixturenames:
        metafunc.parametrize("offered", shipped_flow().languages)


@pytest.fixture(scope="module")
def flow() -> Flow:
    """Load the default flow."""
    return shipped_flow()


@cache
def shipped_context() -> Context:
    """Give the engine the shipped locales and placeholder values, each language its own."""
    locales = load_locales(ROOT / "locales")
    return Context(locales, VALUES, language_values(locales, Settings().agency_contacts, {}))


@pytest.fixture(scope="module")
def ctx() -> Context:
    """Give the engine the shipped locales and placeholder values."""
    return shipped_context()


def converse(
    flow: Flow, ctx: Context, language: str, transcript: Transcript
) -> tuple[ConversationState, dict[str, AnswerValue]]:
    """Play a transcript through the engine, checking each of Parley's answers."""
    state: ConversationState | None = None
    answers: dict[str, AnswerValue] = {}
    for says, expected in transcript:
        if says is None:
            result = begin(flow, language, ctx)
        else:
            assert state is not None, "a transcript opens with Parley"
            result = step(flow, state, says, NOW, ctx)
        sent = "\n".join(texts_of(result.prompts))
        for fragment in expected:
            assert fragment in sent, f"resident said {says!r}; Parley said {sent!r}"
        answers |= {answer.question_id: answer.value for answer in result.answers}
        state = result.state
    assert state is not None
    return state, answers


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_satisfied_resident_goes_straight_to_the_comment(
    flow: Flow, ctx: Context, language: str
) -> None:
    state, answers = converse(flow, ctx, language, SATISFIED[language])
    assert state.status is Status.COMPLETED
    assert "what_wrong" not in answers
    assert {key: answers[key] for key in SATISFIED_ANSWERS} == SATISFIED_ANSWERS
    assert answers["comment"] == SATISFIED[language][-1][0]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_low_overall_score_asks_what_went_wrong_before_the_comment(
    flow: Flow, ctx: Context, language: str
) -> None:
    state, answers = converse(flow, ctx, language, UNHAPPY[language])
    assert state.status is Status.COMPLETED
    expected = {**UNHAPPY_ANSWERS, "what_wrong": ("disrespect", "no_explanation")[language == "es"]}
    assert answers == expected


@pytest.mark.parametrize(
    ("reply", "value"),
    [
        ("rude", "disrespect"),
        ("banana", None),
        ("ignored", "not_listened"),
        ("multa", "outcome"),
        ("la espera", "wait_time"),
        ("tardaron", "wait_time"),
        ("6", "other"),
        ("6️⃣", "other"),
        ("Falta de respeto", "disrespect"),
    ],
)
def test_what_went_wrong_understands_both_languages(
    flow: Flow, ctx: Context, reply: str, value: str | None
) -> None:
    state = ConversationState("what_wrong", "en")
    result = step(flow, state, reply, NOW, ctx)
    if value is None:
        assert result.state.node_id == "what_wrong"  # re-prompted, not guessed
    else:
        assert [(a.question_id, a.value) for a in result.answers] == [("what_wrong", value)]


def sent_texts(flow: Flow, ctx: Context, language: str) -> dict[str, str]:
    """Render every text the default flow and its locale can send in `language`."""
    texts = {
        f"opening {n}": text for n, text in enumerate(texts_of(begin(flow, language, ctx).prompts))
    }
    for node in flow.nodes.values():
        if node.waits:
            state = ConversationState(node.id, language)
            texts[node.id] = prompt(flow, state, ctx)
            unreadable = "" if node.kind is NodeKind.TEXT else "???"
            texts[f"{node.id} re-prompt"] = texts_of(
                step(flow, state, unreadable, NOW, ctx).prompts
            )[0]
        else:
            texts[node.id] = render(node.text[language], ctx.values_for(language))
    locale: Locale = ctx.locales[language]
    words = flow.keywords.get(language) or flow.keywords[flow.base_language]
    keyword = {"keyword": words[0].upper()}
    for key, message in locale.messages.items():
        # Hints and re-prompts only travel inside the prompts measured above.
        if not key.startswith(("hint_", "reprompt")):
            texts[f"locale {key}"] = render(message, {**ctx.values_for(language), **keyword})
    return texts


def test_every_text_fits_its_sms_budget(flow: Flow, ctx: Context, offered: str) -> None:
    texts = sent_texts(flow, ctx, offered)
    assert len(texts) > len(flow.nodes) + len(ctx.locales[offered].messages)
    too_long = {
        name: (segments(text), "GSM-7" if is_gsm7(text) else "UCS-2")
        for name, text in texts.items()
        if segments(text) > SEGMENT_BUDGET[is_gsm7(text)]
    }
    assert not too_long, too_long


# The survey's first text is the intro and the first question sent as one SMS
# (bot/services/scheduled_items.py): three GSM-7 segments, or four UCS-2 for scripts GSM-7 lacks.
FIRST_TEXT_BUDGET = {True: 3, False: 4}
# Latin-script languages worded to travel as GSM-7 (UCS-2 would cost them two segments more).
GSM7_FIRST_TEXT = ("en", "es", "fr", "ht", "so", "tl")


def test_the_first_text_fits_its_sms_budget(flow: Flow, ctx: Context, offered: str) -> None:
    first = "\n\n".join(texts_of(begin(flow, offered, ctx).prompts))
    assert first.startswith(said(flow, "intro", offered))
    gsm7 = is_gsm7(first)
    assert gsm7 or offered not in GSM7_FIRST_TEXT, sorted({c for c in first if not is_gsm7(c)})
    assert segments(first) <= FIRST_TEXT_BUDGET[gsm7], (offered, segments(first), gsm7)


def test_texts_name_the_agency_and_link_nowhere(flow: Flow, ctx: Context, offered: str) -> None:
    texts = sent_texts(flow, ctx, offered)
    assert AGENCY in texts["opening 0"]
    assert AGENCY not in texts["opening 1"], "the first question comes as its own text"
    for name, text in texts.items():
        assert "http" not in text.lower() and "www." not in text.lower(), name
        assert "{" not in text and "}" not in text, f"{name} has an unfilled placeholder: {text}"


def said(flow: Flow, node_id: str, language: str) -> str:
    """Return a node's own text in `language`, as sent."""
    return render(flow.nodes[node_id].text[language], shipped_context().values_for(language))


def answer_by_number(
    flow: Flow, ctx: Context, language: str, replies: Sequence[tuple[str, str]]
) -> tuple[ConversationState, dict[str, AnswerValue]]:
    """Walk the flow with (reply, next node) pairs, checking each question comes in `language`."""
    opening = begin(flow, language, ctx)
    assert texts_of(opening.prompts)[0] == said(flow, "intro", language)
    assert texts_of(opening.prompts)[1].startswith(said(flow, "listened", language))
    state, answers = opening.state, {}
    for reply, expected in replies:
        result = step(flow, state, reply, NOW, ctx)
        assert texts_of(result.prompts), f"no reply to {reply!r} in {language}"
        assert texts_of(result.prompts)[-1].startswith(said(flow, expected, language)), texts_of(
            result.prompts
        )
        answers |= {answer.question_id: answer.value for answer in result.answers}
        state = result.state
    return state, answers


def test_a_satisfied_resident_answers_by_number(flow: Flow, ctx: Context, offered: str) -> None:
    replies = [("1", "respect"), ("5", "explained"), ("4", "overall"), ("4", "trust")]
    replies += [("5", "comment"), ("The officer was kind.", "thanks")]
    state, answers = answer_by_number(flow, ctx, offered, replies)
    assert state.status is Status.COMPLETED
    assert answers == {**SATISFIED_ANSWERS, "comment": "The officer was kind."}


def test_an_unhappy_resident_answers_by_number(flow: Flow, ctx: Context, offered: str) -> None:
    skip = sorted(ctx.locales[offered].skip)[0]
    replies = [("2", "respect"), ("2", "explained"), ("1", "overall"), ("2", "what_wrong")]
    replies += [("2", "trust"), ("1", "comment"), (skip, "thanks")]
    state, answers = answer_by_number(flow, ctx, offered, replies)
    assert state.status is Status.COMPLETED
    assert answers == {**UNHAPPY_ANSWERS, "what_wrong": "disrespect"}


def test_what_went_wrong_lists_its_options_in_the_language(
    flow: Flow, ctx: Context, offered: str
) -> None:
    state = ConversationState("what_wrong", offered)
    asked = prompt(flow, state, ctx).splitlines()
    options = flow.nodes["what_wrong"].options
    assert asked[-len(options) :] == [
        f"{number} {render(option.label[offered], VALUES)}"
        for number, option in enumerate(options, start=1)
    ]
    reprompt = step(flow, state, "???", NOW, ctx)
    assert texts_of(reprompt.prompts)[0].startswith(
        render(ctx.locales[offered].messages["reprompt"], VALUES)
    )
    assert reprompt.state.node_id == "what_wrong"
    chosen = step(flow, state, "6", NOW, ctx)
    assert [(a.question_id, a.value, a.language) for a in chosen.answers] == [
        ("what_wrong", "other", offered)
    ]


def test_the_flow_offers_the_thirteen_languages_and_its_keywords(flow: Flow, ctx: Context) -> None:
    assert sorted(flow.languages) == sorted(THIRTEEN)
    assert flow.languages[:2] == ("en", "es"), "the inline languages come first"
    assert set(flow.languages) <= set(ctx.locales), "every language needs its locale file"
    assert flow.keywords["en"] == ("survey",) and flow.keywords["es"] == ("encuesta",)
    assert all(node.retries == 2 for node in flow.nodes.values() if node.waits)
