"""Free-text answers translated in the background, on SQLite and PostgreSQL, losing nothing.

Every translation goes through deep-translator's real LibreTranslate code to a local stand-in;
the RQ tests run a burst worker on the real Redis.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.bootstrap import bootstrap
from bot.config.settings import Settings
from bot.ports import TranslationError
from bot.services.conversations import advance, open_conversation
from bot.services.reports import survey_report
from bot.services.runtime import Runtime
from bot.services.translations import sweep_translations, translate_answer
from storage.models import Answer
from tests.standins import LibreStandIn, libre_standin
from tests.support import TEST_KEYS, FakeClock
from tests.web.helpers import random_number

SPANISH = "El agente fue muy amable y me explicó todo"
ENGLISH = "The officer was kind and explained everything"


class Recorder:
    """A dispatcher that only records what it was asked to do (the test runs the work)."""

    def __init__(self) -> None:
        self.enqueued: list[uuid.UUID] = []
        self.items: list[uuid.UUID] = []

    def start(self) -> None:
        """Start nothing."""

    def enqueue_translation(self, answer_id: uuid.UUID) -> None:
        self.enqueued.append(answer_id)

    def enqueue_item(self, item_id: uuid.UUID, due_at: datetime) -> None:
        self.items.append(item_id)

    def enqueue_alert(self, delivery_id: uuid.UUID) -> None:
        self.items.append(delivery_id)


@pytest.fixture()
def libre() -> Iterator[LibreStandIn]:
    """Serve a LibreTranslate stand-in."""
    with libre_standin() as standin:
        yield standin


@pytest.fixture()
def runtimes() -> Iterator[list[Runtime]]:
    """Collect runtimes to close after the test."""
    built: list[Runtime] = []
    yield built
    for rt in built:
        rt.close()


def _settings(database_url: str, libre: LibreStandIn, **changes: Any) -> Settings:
    """Return settings translating into English with the LibreTranslate stand-in."""
    settings = Settings(
        database_url=database_url,
        translator="libre",
        translator_url=libre.url,
        translator_timeout_seconds=0.5,
        **TEST_KEYS,
    )
    return settings.with_overrides(**changes)


def _runtime(
    runtimes: list[Runtime], settings: Settings, clock: Callable[..., Any] | None = None
) -> Runtime:
    """Wire a runtime whose dispatcher only records (unless translation is off)."""
    rt = bootstrap(settings, **({"clock": clock} if clock else {}), senders={})
    runtimes.append(rt)
    return replace(rt, dispatcher=Recorder())


def _comment(rt: Runtime, text: str, language: str = "es") -> tuple[uuid.UUID, uuid.UUID]:
    """Answer the survey's free-text question; return the survey's and the answer's ids."""
    with rt.uow() as uow:
        respondent = uow.respondents.for_update("sms", random_number(), rt.clock())
        flow = rt.flows["post_contact"]
        conversation, _ = open_conversation(rt, uow, respondent, flow, language)
        conversation.node_id = "comment"
        advance(rt, uow, conversation, text, rt.clock())
        uow.commit()
        (answer,) = uow.conversations.answers(conversation.id)
        return conversation.id, answer.id


def _answer(rt: Runtime, answer_id: uuid.UUID) -> Answer:
    """Read an answer as stored."""
    with rt.uow() as uow:
        answer = uow.translations.answer_for_update(answer_id)
        assert answer is not None
        return answer


def _swept(rt: Runtime, answer_id: uuid.UUID) -> bool:
    """Sweep; say whether the sweep enqueued this answer (other tests' answers may be due)."""
    enqueued: list[uuid.UUID] = rt.dispatcher.enqueued
    before = len(enqueued)
    sweep_translations(rt)
    return answer_id in enqueued[before:]


def _translation(rt: Runtime, survey_id: uuid.UUID) -> Any:
    """Return the report's translation of the survey's one answer."""
    report = survey_report(rt, survey_id)
    assert report is not None
    return report["answers"][0]["translation"]


def _unique(text: str) -> str:
    """Make a text no other test sends, so the shared cache table cannot answer for it."""
    return f"{text} ({secrets.token_hex(3)})"


def test_a_free_text_answer_is_translated_beside_its_original(
    database_url: str, libre: LibreStandIn, runtimes: list[Runtime], clock: FakeClock
) -> None:
    rt = _runtime(runtimes, _settings(database_url, libre), clock)
    text = _unique(SPANISH)
    libre.known[text] = "The officer was very kind and explained everything to me"
    survey_id, answer_id = _comment(rt, text)

    assert rt.dispatcher.enqueued == [answer_id]
    pending = {"status": "pending", "text": None, "language": "en", "provider": None}
    assert _translation(rt, survey_id) == {**pending, "detected_language": "es"}

    assert translate_answer(rt, answer_id) == "done"

    report = survey_report(rt, survey_id)
    assert report is not None
    assert report["answers"][0]["text"] == text
    assert report["answers"][0]["translation"] == {
        "status": "done",
        "text": libre.known[text],
        "language": "en",
        "provider": "libre",
        "detected_language": "es",
    }
    assert [(c["q"], c["source"], c["target"]) for c in libre.calls] == [(text, "es", "en")]


def test_a_hang_is_cut_by_the_timeout_and_the_answer_waits(
    database_url: str, libre: LibreStandIn, runtimes: list[Runtime], clock: FakeClock
) -> None:
    rt = _runtime(runtimes, _settings(database_url, libre), clock)
    text = _unique(SPANISH)
    _, answer_id = _comment(rt, text)
    libre.hangs = 1

    started = time.monotonic()
    with pytest.raises(TranslationError):
        translate_answer(rt, answer_id)

    assert time.monotonic() - started < 5
    answer = _answer(rt, answer_id)
    assert (answer.translation_status, answer.translation_attempts) == ("pending", 1)
    assert answer.translation_due_at == clock.now + timedelta(minutes=1)
    assert answer.translation_error == "libre: ReadTimeout"
    assert (answer.raw_text, answer.translation) == (text, None)


def test_a_failure_is_retried_with_backoff_then_succeeds(
    database_url: str, libre: LibreStandIn, runtimes: list[Runtime], clock: FakeClock
) -> None:
    rt = _runtime(runtimes, _settings(database_url, libre), clock)
    _, answer_id = _comment(rt, _unique(SPANISH))
    libre.failures = [500, 502]

    with pytest.raises(TranslationError):
        translate_answer(rt, answer_id)
    # Not due yet: neither a second job nor the sweep calls the provider again.
    assert translate_answer(rt, answer_id) == "pending"
    assert not _swept(rt, answer_id)
    clock.advance(minutes=1)
    assert _swept(rt, answer_id)
    with pytest.raises(TranslationError):
        translate_answer(rt, answer_id)
    assert _answer(rt, answer_id).translation_due_at == clock.now + timedelta(minutes=5)
    clock.advance(minutes=4)
    assert not _swept(rt, answer_id)
    clock.advance(minutes=1)
    assert _swept(rt, answer_id)

    assert translate_answer(rt, answer_id) == "done"
    answer = _answer(rt, answer_id)
    assert (answer.translation_attempts, answer.translation_error) == (3, None)
    assert len(libre.calls) == 3


def test_after_the_last_attempt_the_answer_is_failed_with_its_original(
    database_url: str, libre: LibreStandIn, runtimes: list[Runtime], clock: FakeClock
) -> None:
    rt = _runtime(runtimes, _settings(database_url, libre), clock)
    text = _unique(SPANISH)
    survey_id, answer_id = _comment(rt, text)
    libre.failures = [500] * 10

    for _ in range(10):
        with pytest.raises(TranslationError):
            translate_answer(rt, answer_id)
        clock.advance(hours=6)

    assert translate_answer(rt, answer_id) == "failed"
    assert not _swept(rt, answer_id)
    assert len(libre.calls) == 10
    assert _translation(rt, survey_id)["status"] == "failed"
    assert _translation(rt, survey_id)["text"] is None
    assert survey_report(rt, survey_id)["answers"][0]["text"] == text


def test_identical_texts_are_translated_once(
    database_url: str, libre: LibreStandIn, runtimes: list[Runtime], clock: FakeClock
) -> None:
    settings = _settings(database_url, libre)
    rt = _runtime(runtimes, settings, clock)
    text = _unique(SPANISH)
    first, second = _comment(rt, text)[1], _comment(rt, text)[1]

    assert translate_answer(rt, first) == translate_answer(rt, second) == "done"
    assert len(libre.calls) == 1
    # A fresh process (an empty memory cache) finds the translation in the database.
    fresh = _runtime(runtimes, settings, clock)
    survey_id, third = _comment(fresh, text)
    assert translate_answer(fresh, third) == "done"
    assert len(libre.calls) == 1
    assert _translation(fresh, survey_id)["text"] == f"[es>en] {text}"


def test_translator_none_stores_disabled_and_sends_nothing(
    database_url: str, libre: LibreStandIn, runtimes: list[Runtime], clock: FakeClock
) -> None:
    rt = _runtime(runtimes, _settings(database_url, libre, translator="none"), clock)
    survey_id, answer_id = _comment(rt, _unique(SPANISH))

    assert rt.translator is None
    assert _translation(rt, survey_id)["status"] == "disabled"
    assert translate_answer(rt, answer_id) == "disabled"
    assert sweep_translations(rt) == 0  # nothing is ever due for translation
    assert rt.dispatcher is not None and rt.dispatcher.enqueued == []
    assert libre.calls == []


@pytest.mark.parametrize(
    ("agency", "language", "text"), [("en", "en", ENGLISH), ("es", "es", SPANISH)]
)
def test_an_answer_in_the_agency_language_needs_no_translation(
    database_url: str,
    libre: LibreStandIn,
    runtimes: list[Runtime],
    clock: FakeClock,
    agency: str,
    language: str,
    text: str,
) -> None:
    rt = _runtime(runtimes, _settings(database_url, libre, agency_language=agency), clock)
    survey_id, _ = _comment(rt, _unique(text), language)

    assert _translation(rt, survey_id)["status"] == "not_needed"
    assert rt.dispatcher.enqueued == []
    assert libre.calls == []


def test_a_skipped_comment_has_nothing_to_translate(
    database_url: str, libre: LibreStandIn, runtimes: list[Runtime], clock: FakeClock
) -> None:
    rt = _runtime(runtimes, _settings(database_url, libre), clock)
    survey_id, _ = _comment(rt, "nada")

    assert _translation(rt, survey_id) is None
    assert rt.dispatcher.enqueued == []
