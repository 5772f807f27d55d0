"""Raising, delivering and acknowledging alerts, as services on the fake database."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

import pytest

from bot.ports import AlertNotice, AlertOutletError
from bot.scheduling.states import ItemStatus, RunOutcome
from bot.services.accounts import create_user
from bot.services.alert_delivery import deliver_alert, sweep_alerts
from bot.services.alert_findings import Alerting
from bot.services.alerts import AlertError, acknowledge, list_alerts
from bot.services.conversations import advance, open_conversation
from bot.services.runtime import Runtime
from storage.models import Alert, AlertDelivery, AuditEntry
from tests.fakes import FakeDatabase
from tests.support import FakeClock


class RecordingOutlet:
    """An outlet that keeps what it is handed; fails with the errors queued first."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.notices: list[AlertNotice] = []
        self.errors: list[AlertOutletError] = []

    def send(self, notice: AlertNotice) -> None:
        """Keep the notice, or raise the next queued error."""
        if self.errors:
            raise self.errors.pop(0)
        self.notices.append(notice)


class RecordingDispatcher:
    """A dispatcher that only records the alert deliveries handed to it."""

    def __init__(self) -> None:
        self.alerts: list[uuid.UUID] = []

    def start(self) -> None:
        """Start nothing."""

    def enqueue_translation(self, answer_id: uuid.UUID) -> None:
        """Ignore translations."""

    def enqueue_item(self, item_id: uuid.UUID, due_at: datetime) -> None:
        """Ignore scheduled items."""

    def enqueue_alert(self, delivery_id: uuid.UUID) -> None:
        """Record a delivery."""
        self.alerts.append(delivery_id)


@pytest.fixture()
def outlet() -> RecordingOutlet:
    """Return the one outlet alerts go out by."""
    return RecordingOutlet("email")


@pytest.fixture()
def alerting(rt: Runtime, outlet: RecordingOutlet) -> Runtime:
    """Return the runtime with alerting on (default rules) and a recording dispatcher."""
    return replace(
        rt,
        alerting=Alerting(outlets={"email": outlet}, base_url="https://parley.example"),
        dispatcher=RecordingDispatcher(),
    )


def answer_respect(rt: Runtime, said: str) -> uuid.UUID:
    """Open a survey at the respect question and answer it; return the conversation's id."""
    with rt.uow() as uow:
        respondent = uow.respondents.for_update("sms", "+15550100001", rt.clock())
        conversation, _ = open_conversation(rt, uow, respondent, rt.flows["post_contact"], "en")
        conversation.node_id = "respect"
        advance(rt, uow, conversation, said, rt.clock())
        uow.commit()
        return conversation.id


def test_a_low_score_raises_one_alert_and_queues_it_after_the_commit(
    alerting: Runtime, database: FakeDatabase
) -> None:
    create_user(
        alerting.uow, "chief@police.example", "a-long-password-1", "admin", alerting.clock()
    )
    conversation_id = answer_respect(alerting, "1")

    [alert] = database.all(Alert)
    [delivery] = database.all(AlertDelivery)
    assert (alert.rule, alert.conversation_id, alert.unit) == (
        "score:respect",
        conversation_id,
        None,
    )
    assert alerting.dispatcher.alerts == [delivery.id]  # type: ignore[union-attr]
    assert delivery.status == ItemStatus.PENDING


def test_a_delivery_goes_once_with_a_link_and_the_recipients(
    alerting: Runtime, database: FakeDatabase, outlet: RecordingOutlet
) -> None:
    create_user(
        alerting.uow, "chief@police.example", "a-long-password-1", "admin", alerting.clock()
    )
    answer_respect(alerting, "2")
    inline = replace(alerting, dispatcher=None)

    assert sweep_alerts(inline) == 1
    [delivery] = database.all(AlertDelivery)
    assert deliver_alert(inline, delivery.id) is RunOutcome.SKIPPED

    [notice] = outlet.notices
    assert notice.recipients == ("chief@police.example",)
    assert notice.link == f"https://parley.example/admin/alerts#alert-{notice.alert_id}"
    assert delivery.status == ItemStatus.DONE and delivery.sent_at is not None


def test_a_failed_delivery_backs_off_and_a_permanent_failure_gives_up(
    alerting: Runtime, database: FakeDatabase, outlet: RecordingOutlet, clock: FakeClock
) -> None:
    answer_respect(alerting, "1")
    inline = replace(alerting, dispatcher=None)
    outlet.errors = [AlertOutletError("SMTP 451"), AlertOutletError("no one", permanent=True)]

    [delivery] = database.all(AlertDelivery)
    assert deliver_alert(inline, delivery.id) is RunOutcome.RETRY
    assert deliver_alert(inline, delivery.id) is RunOutcome.SKIPPED  # not due yet
    clock.advance(seconds=10)
    assert deliver_alert(inline, delivery.id) is RunOutcome.FAILED
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        ItemStatus.FAILED,
        2,
        "no one",
    )
    assert outlet.notices == []


def test_acknowledging_needs_a_note_and_the_alerts_unit_and_is_audited(
    alerting: Runtime, database: FakeDatabase
) -> None:
    answer_respect(alerting, "1")
    [alert] = database.all(Alert)
    now = alerting.clock()

    with pytest.raises(AlertError, match="Say what was done"):
        acknowledge(alerting.uow, alert.id, "sup@police.example", None, " ", now)
    with pytest.raises(AlertError, match="No such alert"):
        acknowledge(alerting.uow, alert.id, "sup@police.example", ["north"], "seen", now)
    acknowledge(alerting.uow, alert.id, "admin@police.example", None, " Called them. ", now)
    with pytest.raises(AlertError, match="already acknowledged"):
        acknowledge(alerting.uow, alert.id, "admin@police.example", None, "again", now)

    assert (alert.acknowledged_by, alert.acknowledged_note) == (
        "admin@police.example",
        "Called them.",
    )
    [entry] = database.all(AuditEntry)
    assert (entry.action, entry.subject) == ("alert_acknowledged", str(alert.id))
    assert [v.alert.id for v in list_alerts(alerting, None, True, "admin@police.example")] == [
        alert.id
    ]
    assert list_alerts(alerting, None, False, "admin@police.example") == []
    assert list_alerts(alerting, ["north"], None, "sup@police.example") == []
    [_, read] = database.all(AuditEntry)  # only the list that showed an alert was a read
    assert (read.action, read.subject) == ("alerts_read", "acknowledged alerts of every unit")
