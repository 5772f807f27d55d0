"""Cancelling surveys: a call reclassified as excluded, staff cancelling one, and the races.

No text may follow a cancel: not the first text (scheduled, paced, or composed and claimed),
not a reminder, not another question after a late reply.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.services.cancel import cancel_incident, cancel_survey
from bot.services.delivery import deliver_item
from bot.services.runtime import Runtime
from bot.services.scheduled_items import _prepare
from bot.services.send_slots import sender_key
from bot.services.surveys import SurveyError
from tests.integration.scheduling.conftest import incident, new_york
from tests.integration.scheduling.helpers import report, run, schedule, sent_to, text, trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock

EARLIER = timedelta(hours=3)  # the delay has passed: the survey goes out at once


def _contact_call_type(rt: Runtime, survey_id: object) -> str | None:
    """Return the call type stored on the contact a survey is about."""
    with rt.uow() as uow:
        conversation = uow.conversations.get(survey_id)  # type: ignore[arg-type]
        assert conversation is not None
        contact = uow.contacts.get(conversation.contact_id)
        assert contact is not None
        return contact.call_type


def test_a_call_reclassified_as_domestic_violence_cancels_its_scheduled_survey(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt, number, case = build_rt(), new_york(), incident()
    first = trigger(rt, number, incident_id=case, call_type="Disturbance")
    assert (first.status, first.duplicate) == ("scheduled", False)

    again = trigger(rt, number, incident_id=case, call_type="DV")

    assert again.id == first.id
    assert (again.duplicate, again.cancelled) == (True, True)
    assert (again.status, again.reason) == ("refused", "excluded_call_type")
    shown = report(rt, first.id)
    assert (shown["status"], shown["refusal_reason"], shown["disposition"]) == (
        "refused",
        "excluded_call_type",
        "refused",
    )
    assert schedule(rt, first.id) == [("start", "cancelled")]
    assert _contact_call_type(rt, first.id) == "DV"
    clock.advance(days=4)
    assert run(rt) == []
    assert sent_to(twilio, number) == []


def test_a_survey_already_texted_is_closed_with_no_reminder_and_no_further_question(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt, number, case = build_rt(), new_york(), incident()
    first = trigger(rt, number, incident_id=case, occurred_at=clock.now - EARLIER)
    assert first.delivery == "sent"

    again = trigger(rt, number, incident_id=case, call_type="Domestic Violence")

    assert (again.cancelled, again.status, again.reason) == (True, "refused", "excluded_call_type")
    assert [status for _, status in schedule(rt, first.id)] == ["done", "cancelled", "cancelled"]
    clock.advance(days=4)
    assert run(rt) == []
    assert len(sent_to(twilio, number)) == 1
    [closed] = text(rt, number, "5")
    assert "closed" in closed
    assert report(rt, first.id)["answers"] == []


def test_a_first_text_waiting_for_its_senders_slot_is_never_sent(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt, number, case = build_rt(), new_york(), incident()
    with rt.uow() as uow:  # a backlog of ten minutes on the sending number
        uow.schedule.reserve_slot(sender_key("sms", rt.senders["sms"]), clock.now, EARLIER / 18)
        uow.commit()
    first = trigger(rt, number, incident_id=case, occurred_at=clock.now - EARLIER)
    assert first.delivery == "paced"

    assert trigger(rt, number, incident_id=case, call_type="D.V.").cancelled

    clock.advance(minutes=30)
    assert run(rt) == []
    assert sent_to(twilio, number) == []


def test_a_first_text_composed_and_claimed_is_withdrawn(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt, number = build_rt(), new_york()
    first = trigger(rt, number, incident_id=incident())
    clock.advance(hours=2)
    with rt.uow() as uow:
        [item] = uow.schedule.for_conversation(first.id)
        item_id = item.id
    # A worker has claimed the start and composed its text, and is about to send it.
    assert _prepare(rt, item_id)[0] == "send"

    assert cancel_survey(rt, first.id) is not None
    assert deliver_item(rt, item_id) == "cancelled"
    assert sent_to(twilio, number) == []
    assert schedule(rt, first.id) == [("start", "cancelled")]
    assert report(rt, first.id)["refusal_reason"] == "cancelled"


def test_staff_cancel_a_survey_once_and_cancelling_again_changes_nothing(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt, number = build_rt(), new_york()
    first = trigger(rt, number, incident_id=incident())

    cancelled = cancel_survey(rt, first.id)
    again = cancel_survey(rt, first.id)

    assert cancelled is not None and again is not None
    assert (cancelled.cancelled, cancelled.status, cancelled.reason) == (
        True,
        "refused",
        "cancelled",
    )
    assert (again.cancelled, again.status, again.reason) == (False, "refused", "cancelled")
    clock.advance(days=1)
    assert run(rt) == []
    assert sent_to(twilio, number) == []


def test_cancelling_an_unknown_survey_finds_nothing(build_rt: Callable[..., Runtime]) -> None:
    import uuid

    assert cancel_survey(build_rt(), uuid.uuid4()) is None


def test_cancelling_an_incident_cancels_every_residents_survey_about_it(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt, case, other = build_rt(), incident(), incident()
    numbers = [new_york(), new_york()]
    ids = {trigger(rt, n, incident_id=case).id for n in numbers}
    kept = trigger(rt, new_york(), incident_id=other)

    cancelled = cancel_incident(rt, case.upper())

    assert {s.id for s in cancelled} == ids
    assert cancel_incident(rt, case) == []
    assert report(rt, kept.id)["status"] == "scheduled"
    clock.advance(hours=2)
    assert run(rt) == ["sent"]
    assert all(sent_to(twilio, n) == [] for n in numbers)


@pytest.mark.parametrize("spelled", ["r-{}", "R-{}", "Ｒ-{}", "ｒ－{}"])
def test_an_incident_number_is_the_same_whatever_its_case_and_width(
    build_rt: Callable[..., Runtime], spelled: str
) -> None:
    rt, number, case = build_rt(), new_york(), incident()
    first = trigger(rt, number, incident_id=f"R-{case}")
    again = trigger(rt, number, incident_id=spelled.format(case))
    assert (again.id, again.duplicate) == (first.id, True)


@pytest.mark.parametrize("hidden", ["\u200b", "\u2060", "\u00ad", "\u202e", "\ufeff"])
def test_an_incident_number_with_an_invisible_character_is_refused(
    build_rt: Callable[..., Runtime], hidden: str
) -> None:
    with pytest.raises(SurveyError) as refused:
        trigger(build_rt(), new_york(), incident_id=f"R-1{hidden}2")
    assert "incident_id" in refused.value.fields


def test_a_survey_texted_then_cancelled_still_counts_for_the_frequency_cap(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    rt, number = build_rt(), new_york()
    first = trigger(rt, number, incident_id=incident(), occurred_at=clock.now - EARLIER)
    assert first.delivery == "sent"
    cancel_survey(rt, first.id)
    clock.advance(days=1)
    later = trigger(rt, number, incident_id=incident())
    assert later.reason == "frequency_cap"
