"""A translation that arrives later (from the provider or the cache) is read for alert words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.services.runtime import Runtime
from bot.services.translations import translate_answer
from tests.integration.test_translations import _comment, _runtime, _settings, runtimes
from tests.standins import LibreStandIn, libre_standin

__all__ = ["runtimes"]  # the fixture, shared with the translation tests
# Spanish with no listed word; its translation names a threat.
ORIGINAL = "Me dijo que volvería por mí esta noche"
TRANSLATED = "He threatened to come back for me tonight"


@pytest.fixture()
def libre() -> Iterator[LibreStandIn]:
    """Serve a LibreTranslate stand-in that knows the comment's translation."""
    with libre_standin() as standin:
        standin.known[ORIGINAL] = TRANSLATED
        yield standin


def rules(rt: Runtime) -> list[str]:
    """Return the rules of every alert raised, newest first."""
    with rt.uow() as uow:
        return [alert.rule for alert in uow.alerts.listed(None, None, 50)]


def test_an_alert_word_in_a_fresh_or_cached_translation_raises_an_alert(
    own_database_url: str, libre: LibreStandIn, runtimes: list[Runtime]
) -> None:
    rt = _runtime(runtimes, _settings(own_database_url, libre))
    _, answer_id = _comment(rt, ORIGINAL)
    assert rules(rt) == []

    assert translate_answer(rt, answer_id) == "done"
    assert rules(rt) == ["words:comment:threats"]

    _, again = _comment(rt, ORIGINAL)  # another resident: another conversation, its own alert
    assert translate_answer(rt, again) == "done"  # from the cache, read all the same
    assert rules(rt) == ["words:comment:threats"] * 2
