"""Previewing a survey: the real start, inbound and button services run in a sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa

from bot.bootstrap import bootstrap, sandbox
from bot.config.settings import Settings
from bot.engine.flowdef import flow_from_dict, flow_problems
from bot.engine.model import Flow
from bot.i18n.sms import is_gsm7, segments
from bot.services.preview import (
    MAX_REPLIES,
    Preview,
    PreviewError,
    Said,
    Script,
    run_preview,
)
from bot.services.runtime import Runtime
from storage.db import make_engine
from tests.support import TEST_KEYS, FakeClock

if TYPE_CHECKING:
    from bot.bootstrap import Definitions


@pytest.fixture()
def rt(
    tmp_path: Path, clock: FakeClock, definitions: Callable[[Settings], Definitions]
) -> Iterator[Runtime]:
    """Wire the runtime on a SQLite file, with the shipped flows and locales."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'agency.db'}",
        agency_name="Springfield Police",
        help_contact="555-0100",
        sweep_seconds=None,
        **TEST_KEYS,
    )
    runtime = bootstrap(settings, clock=clock, definitions=definitions(settings))
    yield runtime
    runtime.close()


def preview(rt: Runtime, *said: str, channel: str = "sms", language: str = "en") -> Preview:
    """Preview the default survey with typed replies."""
    script = Script(channel, language, tuple(Said(text) for text in said))
    return run_preview(rt, sandbox, rt.flows["post_contact"], script)


def replies(shown: Preview) -> list[str]:
    """Return every text the resident received after the first, in order."""
    return [sent.body for exchange in shown.exchanges[1:] for sent in exchange.received]


# A whole survey, as a table of (the resident says, Parley answers), in each language.
SURVEYS = {
    "en": [
        ("yes", "Did the officer treat you with dignity and respect?"),
        ("5", "How well did the officer explain what was happening and why?"),
        ("4", "Overall, how satisfied are you with this contact?"),
        ("2", "Sorry to hear that. What went wrong most?"),
        ("3", "How much do you trust our police department?"),
        ("4", "Anything else you'd like to tell us?"),
        ("no", "Thank you for your time"),
    ],
    "es": [
        ("sí", "¿El agente le trató con dignidad y respeto?"),
        ("5", "¿Qué tan bien le explicó el agente lo que pasaba y por qué?"),
        ("4", "En general, ¿qué tan conforme quedó con este contacto?"),
        ("2", "Lo sentimos. ¿Qué fue lo que más falló?"),
        ("la espera", "¿Cuánto confía en nuestro departamento de policía?"),
        ("4", "¿Algo más que quiera contarnos?"),
        ("no", "Gracias por su tiempo"),
    ],
}


@pytest.mark.parametrize("language", sorted(SURVEYS))
def test_a_whole_survey_reads_as_a_resident_receives_it(rt: Runtime, language: str) -> None:
    table = SURVEYS[language]
    shown = preview(rt, *(said for said, _ in table), language=language)
    opening = shown.exchanges[0].received
    assert len(opening) == 1 and "Springfield Police" in opening[0].body
    for (said, answer), exchange in zip(table, shown.exchanges[1:], strict=True):
        assert exchange.said == Said(said)
        assert [answer in sent.body for sent in exchange.received] == [True], exchange
        assert exchange.language == language
    assert shown.status == "completed"


def test_an_unparseable_answer_gets_the_re_prompt_and_the_question_waits(rt: Runtime) -> None:
    shown = preview(rt, "maybe", "yes")
    assert replies(shown) == [
        "Sorry, I didn't understand.\nReply YES or NO.",
        "Did the officer treat you with dignity and respect?\n"
        "Reply with a number from 1 (not at all) to 5 (completely).",
    ]


def test_help_says_who_is_texting_and_asks_the_question_again(rt: Runtime) -> None:
    shown = preview(rt, "HELP")
    (help_text,) = replies(shown)
    assert help_text.startswith("Springfield Police community survey.")
    assert "in an emergency, call 911" in help_text
    assert help_text.endswith("Did the officer listen to what you had to say?\nReply YES or NO.")
    assert shown.status == "active"


def test_stop_confirms_once_and_then_nothing_more_is_sent(rt: Runtime) -> None:
    shown = preview(rt, "STOP", "yes", "HELP")
    stop, after, help_after = shown.exchanges[1:]
    assert [sent.body for sent in stop.received] == [
        "Springfield Police: you're unsubscribed and won't get any more messages from us."
        " To sign up again, reply START."
    ]
    assert after.received == ()  # opted out: no answer at all
    assert len(help_after.received) == 1  # HELP is answered always, as carriers require
    assert shown.status == "opted_out"


def test_naming_a_language_mid_survey_switches_it(rt: Runtime) -> None:
    shown = preview(rt, "yes", "español", "4")
    switched = shown.exchanges[2]
    assert [sent.body for sent in switched.received] == [
        "De acuerdo, seguimos en español.\n\n¿El agente le trató con dignidad y respeto?\n"
        "Responda del 1 (nada) al 5 (totalmente)."
    ]
    assert (shown.exchanges[1].language, switched.language) == ("en", "es")
    assert "¿Qué tan bien le explicó el agente" in shown.exchanges[3].received[0].body
    assert shown.language == "es"


@pytest.mark.parametrize(
    ("language", "said", "encoding", "count"),
    [
        ("en", (), "GSM-7", 2),  # the first text: intro and first question
        ("es", (), "GSM-7", 3),  # worded without á, í, ó, ú to stay GSM-7
        ("en", ("yes", "español"), "UCS-2", 2),  # "¿El agente le trató…": ó is not GSM-7
    ],
)
def test_sms_texts_carry_the_encoding_and_segments_they_are_billed_as(
    rt: Runtime, language: str, said: tuple[str, ...], encoding: str, count: int
) -> None:
    last = preview(rt, *said, language=language).exchanges[-1].received[-1]
    assert (last.encoding, last.segments) == (encoding, count)
    assert last.segments == segments(last.body)
    assert (last.encoding == "GSM-7") is is_gsm7(last.body)


def test_telegram_shows_questions_without_hints_and_their_buttons(rt: Runtime) -> None:
    shown = preview(rt, "maybe", channel="telegram")
    opening, reprompt = (exchange.received[-1] for exchange in shown.exchanges)
    assert opening.body.endswith("Did the officer listen to what you had to say?")
    assert opening.buttons == ((("Yes", "listened:1"), ("No", "listened:2")),)
    assert (reprompt.body, reprompt.buttons) == ("Sorry, I didn't understand.", opening.buttons)
    assert shown.keyboard is reprompt


NPS_DRAFT: dict[str, Any] = {
    "id": "nps_check",
    "name": "Recommend check",
    "base_language": "en",
    "languages": ["en", "es"],
    "start": "recommend",
    "nodes": [
        {
            "id": "recommend",
            "type": "nps",
            "text": {
                "en": "How likely are you to recommend our department to a friend?",
                "es": "¿Qué tan probable es que recomiende nuestro departamento?",
            },
            "next": "thanks",
        },
        {"id": "thanks", "type": "end", "text": {"en": "Thank you.", "es": "Gracias."}},
    ],
}


def nps_draft() -> Flow:
    """Build a flow that is not live: a draft with one NPS question."""
    assert flow_problems(NPS_DRAFT) == []
    return flow_from_dict(NPS_DRAFT, version="draft")


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_nps_question_gets_eleven_buttons_in_two_rows_and_a_press_answers_it(
    rt: Runtime, language: str
) -> None:
    draft = nps_draft()
    first = run_preview(rt, sandbox, draft, Script("telegram", language))
    asked = first.exchanges[0].received[0]
    assert asked.buttons is not None
    assert [[label for label, _ in row] for row in asked.buttons] == [
        ["0", "1", "2", "3", "4", "5"],
        ["6", "7", "8", "9", "10"],
    ]
    pressed = run_preview(
        rt, sandbox, draft, Script("telegram", language, (Said("recommend:9", True),))
    )
    asked, press = pressed.exchanges[0].received[0], pressed.exchanges[1]
    assert asked.edited == f"{asked.body}\n\n✓ 9"  # the question as Telegram shows it after
    assert press.label == "9" and press.toast is None
    assert [sent.body for sent in press.received] == [NPS_DRAFT["nodes"][1]["text"][language]]
    assert (pressed.status, pressed.keyboard) == ("completed", None)
    assert "nps_check" not in rt.flows  # previewing a draft does not make it live


def test_a_press_on_a_question_already_answered_gets_telegrams_notice(rt: Runtime) -> None:
    # Answered by typing, the question keeps its buttons on Telegram; the survey is over.
    script = Script("telegram", "en", (Said("10"), Said("recommend:3", True)))
    shown = run_preview(rt, sandbox, nps_draft(), script)
    late = shown.exchanges[2]
    assert (late.label, late.toast, late.received) == (
        "3",
        "This question has already been answered.",
        (),
    )
    assert shown.status == "completed"


def test_the_agencys_database_is_never_written(rt: Runtime, tmp_path: Path) -> None:
    preview(rt, "yes", "STOP")
    engine = make_engine(f"sqlite:///{tmp_path / 'agency.db'}")
    try:
        with engine.connect() as connection:
            for table in ("respondents", "conversations", "messages", "scheduled_items"):
                count = connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
                assert count == 0, table
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (Script("sms", "de"), "offers en, es"),
        (Script("whatsapp", "en"), "channel must be one of"),
        (Script("sms", "en", (Said("yes"),) * (MAX_REPLIES + 1)), "at most"),
        (Script("sms", "en", (Said("listened:1", True),)), "sms has no buttons"),
        (Script("telegram", "en", (Said("listened:7", True),)), "no button shown"),
        (Script("sms", "en", (Said("yes\x00"),)), "control characters"),
        (Script("sms", "en", (Said("  "),)), "1 to 1600 characters"),
        (Script("sms", "en", (Said("y" * 1601),)), "1 to 1600 characters"),
    ],
)
def test_a_script_that_cannot_run_is_refused_with_the_reason(
    rt: Runtime, script: Script, reason: str
) -> None:
    with pytest.raises(PreviewError, match=reason):
        run_preview(rt, sandbox, rt.flows["post_contact"], script)


def test_a_draft_language_without_system_messages_is_refused(rt: Runtime) -> None:
    draft = flow_from_dict({**NPS_DRAFT, "languages": ["en", "es", "de"]}, version="draft")
    with pytest.raises(PreviewError, match="no system messages in 'de'"):
        run_preview(rt, sandbox, draft, Script("sms", "de"))
