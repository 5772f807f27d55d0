"""A conversation's lifecycle: each transition sets status, disposition and times together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.engine.model import ConversationState, Status
from bot.scheduling.disposition import Disposition
from bot.scheduling.model import RefusalReason
from storage.models import Conversation

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def scheduled() -> Conversation:
    """Return a survey waiting for its first text, as start_survey stores it."""
    return Conversation(status=Status.SCHEDULED, language="en", retries=0, updated_at=NOW)


def active() -> Conversation:
    """Return a survey whose first text went out at NOW."""
    conversation = scheduled()
    conversation.activate(NOW)
    return conversation


def ended(conversation: Conversation) -> tuple[str, str | None, datetime | None]:
    """Return what a report shows of how a survey ended: status, disposition, last change."""
    return conversation.status, conversation.disposition, conversation.updated_at


def test_activating_starts_the_survey_now() -> None:
    conversation = active()
    assert (conversation.status, conversation.started_at, conversation.live) == (
        Status.ACTIVE,
        NOW,
        True,
    )


def test_completing_records_the_disposition_and_the_moment_once() -> None:
    conversation = active()
    assert conversation.complete(LATER) is True
    assert ended(conversation) == (Status.COMPLETED, Disposition.COMPLETE, LATER)
    assert conversation.completed_at == LATER
    assert conversation.complete(LATER + timedelta(days=1)) is False
    assert conversation.completed_at == LATER
    assert not conversation.live


def test_a_step_that_carries_on_moves_the_conversation_without_ending_it() -> None:
    conversation = active()
    state = ConversationState(node_id="q2", language="es", retries=1)
    assert conversation.record_step(state, LATER) is False
    assert (conversation.node_id, conversation.language, conversation.retries) == ("q2", "es", 1)
    assert ended(conversation) == (Status.ACTIVE, None, LATER)


def test_a_step_that_completes_the_flow_completes_the_conversation() -> None:
    conversation = active()
    state = ConversationState(node_id=None, language="en", status=Status.COMPLETED)
    assert conversation.record_step(state, LATER) is True
    assert ended(conversation) == (Status.COMPLETED, Disposition.COMPLETE, LATER)


@pytest.mark.parametrize("status", [Status.EXPIRED, Status.OPTED_OUT, Status.REFUSED])
def test_the_engine_cannot_end_a_conversation_any_other_way(status: Status) -> None:
    conversation = active()
    with pytest.raises(ValueError, match=str(status)):
        conversation.record_step(ConversationState("q1", "en", status=status), LATER)


def test_a_withdrawn_flow_closes_the_survey_with_no_disposition() -> None:
    conversation = active()
    conversation.close_without_flow(LATER)
    assert ended(conversation) == (Status.COMPLETED, None, LATER)
    assert conversation.completed_at == LATER


@pytest.mark.parametrize(
    "disposition", [Disposition.PARTIAL, Disposition.BREAKOFF, Disposition.NO_RESPONSE]
)
def test_expiring_records_how_far_the_survey_got(disposition: Disposition) -> None:
    conversation = active()
    conversation.expire(disposition, LATER)
    assert ended(conversation) == (Status.EXPIRED, disposition, LATER)
    assert conversation.completed_at is None


@pytest.mark.parametrize("start", [scheduled, active])
def test_a_live_survey_never_delivered_is_undeliverable(start: type[Conversation]) -> None:
    conversation = start()
    assert conversation.undeliverable(LATER) is True
    assert ended(conversation) == (Status.EXPIRED, Disposition.UNDELIVERABLE, LATER)


def test_an_ended_survey_is_not_made_undeliverable() -> None:
    conversation = active()
    conversation.opt_out(NOW)
    assert conversation.undeliverable(LATER) is False
    assert ended(conversation) == (Status.OPTED_OUT, Disposition.OPTED_OUT, NOW)


def test_opting_out_records_no_refusal_reason() -> None:
    conversation = scheduled()
    conversation.opt_out(LATER)
    assert ended(conversation) == (Status.OPTED_OUT, Disposition.OPTED_OUT, LATER)
    assert conversation.refusal_reason is None


def test_a_refused_survey_never_sent_says_why() -> None:
    conversation = scheduled()
    conversation.refuse(RefusalReason.FREQUENCY_CAP, LATER)
    assert ended(conversation) == (Status.REFUSED, Disposition.REFUSED, LATER)
    assert conversation.refusal_reason == RefusalReason.FREQUENCY_CAP


def test_a_refusal_for_an_opted_out_resident_reads_as_opted_out() -> None:
    conversation = scheduled()
    conversation.refuse(RefusalReason.OPTED_OUT, LATER)
    assert ended(conversation) == (Status.OPTED_OUT, Disposition.OPTED_OUT, LATER)
    assert conversation.refusal_reason == RefusalReason.OPTED_OUT


def test_a_survey_refused_under_way_keeps_no_reason_for_never_being_sent() -> None:
    conversation = active()
    conversation.refuse(RefusalReason.DO_NOT_SURVEY, LATER)
    assert ended(conversation) == (Status.REFUSED, Disposition.REFUSED, LATER)
    assert conversation.refusal_reason is None


@pytest.mark.parametrize("start", [scheduled, active])
def test_cancelling_records_the_reason_and_drops_pending_reminders(
    start: type[Conversation],
) -> None:
    conversation = start()
    conversation.reminders_pending = True
    conversation.cancel(RefusalReason.CANCELLED, LATER)
    assert ended(conversation) == (Status.REFUSED, Disposition.REFUSED, LATER)
    assert conversation.refusal_reason == RefusalReason.CANCELLED
    assert conversation.reminders_pending is False
    assert not conversation.live


def test_a_status_read_back_as_text_is_still_live() -> None:
    # The database returns plain strings: the lifecycle compares by value, not identity.
    conversation = Conversation(status="active", language="en", retries=0, updated_at=NOW)
    assert conversation.live
    assert conversation.undeliverable(LATER) is True


@pytest.mark.parametrize("status", ["queued", "sending", "unknown", "failed", "cancelled"])
def test_a_text_the_provider_never_took_does_not_make_a_survey_sent(status: str) -> None:
    conversation = active()
    conversation.record_text(status, NOW)
    assert (conversation.sent_at, conversation.delivered_at) == (None, None)


@pytest.mark.parametrize(
    ("status", "delivered"),
    [("accepted", False), ("sent", False), ("replied_inline", False), ("undelivered", False),
     ("delivered", True), ("read", True)],
)  # fmt: skip
def test_the_first_text_a_provider_took_makes_it_sent(status: str, delivered: bool) -> None:
    conversation = active()
    conversation.record_text(status, NOW)
    assert (conversation.sent_at, conversation.delivered_at) == (NOW, NOW if delivered else None)


def test_progress_is_set_once_and_never_moved() -> None:
    conversation = active()
    conversation.record_text("sent", NOW)
    conversation.record_answered(NOW)
    conversation.record_text("delivered", NOW)
    for status in ("sent", "read", "delivered"):
        conversation.record_text(status, LATER)
    conversation.record_answered(LATER)
    progress = conversation.sent_at, conversation.delivered_at, conversation.answered_at
    assert progress == (NOW, NOW, NOW)
