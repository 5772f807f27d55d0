"""An erasure while the resident's comment is out for translation: the late translation is not
cached, on SQLite and PostgreSQL (the worker locks the answer before it writes the cache)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config.settings import Settings
from bot.services.conversations import advance, open_conversation
from bot.services.erasure import erase_respondent
from bot.services.runtime import Runtime
from bot.services.translations import translate_answer
from storage.db import make_engine
from storage.models import Translation
from storage.repositories.translations import text_hash
from tests.support import FakeClock
from tests.web.helpers import random_number

if TYPE_CHECKING:
    from bot.bootstrap import Definitions


@dataclass
class ErasingTranslator:
    """Translates, but the resident has their data erased while the provider works."""

    rt: Runtime
    number: str
    name: str = "fake"

    def translate(self, text: str, source: str | None, target: str) -> str:
        """Erase the resident in a unit of work of its own, then answer."""
        with self.rt.uow() as uow:
            respondent = uow.respondents.for_update("sms", self.number, self.rt.clock())
            erase_respondent(uow, respondent, self.rt.clock(), how="test", actor="test")
            uow.commit()
        return f"[{target}] {text}"


@pytest.fixture()
def rt(
    database_url: str,
    make_settings: Callable[[str], Settings],
    clock: FakeClock,
    definitions: Callable[[Settings], Definitions],
) -> Iterator[Runtime]:
    """Wire a runtime on the test database whose translation work is run by the test."""
    from bot.bootstrap import bootstrap

    settings = make_settings(database_url)
    runtime = bootstrap(settings, clock=clock, definitions=definitions(settings))
    yield replace(runtime, dispatcher=None)
    runtime.close()


def comment(rt: Runtime, number: str, text: str) -> uuid.UUID:
    """Answer the survey's free-text question in Spanish; return the answer's id."""
    with rt.uow() as uow:
        respondent = uow.respondents.for_update("sms", number, rt.clock())
        flow = rt.flows["post_contact"]
        conversation, _ = open_conversation(rt, uow, respondent, flow, "es")
        conversation.node_id = "comment"
        advance(rt, uow, conversation, text, rt.clock())
        uow.commit()
        (answer,) = uow.conversations.answers(conversation.id)
        return answer.id


def test_a_translation_finished_after_the_erasure_is_not_cached(
    rt: Runtime, database_url: str
) -> None:
    number = random_number()
    text = f"El agente fue muy amable ({secrets.token_hex(3)})"
    erasing = replace(rt, translator=ErasingTranslator(rt, number))
    answer_id = comment(erasing, number, text)
    assert translate_answer(erasing, answer_id) is None  # the answer is gone
    engine = make_engine(database_url)
    with Session(engine) as session:
        query = select(func.count()).where(Translation.text_hash == text_hash(text))
        assert session.scalar(query) == 0
    engine.dispose()
