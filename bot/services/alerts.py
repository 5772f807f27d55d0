"""Raise alerts from a conversation's answers, list them for supervisors, acknowledge them.

Answers are read against the rules when they are stored and again when a translation arrives
(bot.services.alert_findings); each rule fires once per conversation (a unique key). A new
alert queues one delivery per configured outlet in the same transaction, and is handed to the
background once that commits (bot.services.alert_delivery). An alert names the conversation,
the officer and the unit: never the resident's number or chat id, and nothing of what they
wrote is logged.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from bot.engine.model import NodeKind, Status
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.alert_findings import Finding, findings
from bot.services.audit import Action, record
from bot.services.runtime import Runtime
from storage.models import Alert, AlertDelivery, Answer, Conversation

log = logging.getLogger(__name__)

MAX_NOTE = 1000
PAGE_SIZE = 200


class AlertError(Exception):
    """An acknowledgement was refused; `field` names the form field to show it beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def raise_alerts(rt: Runtime, uow: UnitOfWork, conversation: Conversation, now: datetime) -> None:
    """Raise the alerts a conversation's stored answers call for, once each; queue deliveries."""
    alerting = rt.alerting
    flow = rt.flow_of(conversation) if alerting is not None else None
    if alerting is None or flow is None:
        return
    answers = uow.conversations.answers(conversation.id)
    completed = conversation.status == Status.COMPLETED
    try:
        found = findings(flow, answers, alerting, completed)
    except Exception:
        # A fault in reading the rules must not cost the resident's turn (their answer is
        # stored either way); it is logged for staff, and the next answer reads them again.
        log.exception("could not read conversation %s for alerts", conversation.id)
        return
    if not found:
        return
    officer_id, unit = _officer_of(uow, conversation)
    queued: list[uuid.UUID] = []
    for finding in found:
        alert = _alert(finding, conversation.id, officer_id, unit, now)
        if uow.alerts.add_once(alert):
            log.info("%s %s raised on conversation %s", finding.kind, finding.rule, conversation.id)
            queued.extend(_queue(uow, alert, alerting.outlets, now))
    if queued and rt.dispatcher is not None:
        uow.after_commit(partial(_dispatch, rt, queued))


def _alert(
    finding: Finding,
    conversation_id: uuid.UUID,
    officer_id: str | None,
    unit: str | None,
    now: datetime,
) -> Alert:
    """Build the row of a new alert."""
    return Alert(
        kind=str(finding.kind),
        rule=finding.rule,
        conversation_id=conversation_id,
        officer_id=officer_id,
        unit=unit,
        detail=finding.detail[:300],
        created_at=now,
    )


def _officer_of(uow: UnitOfWork, conversation: Conversation) -> tuple[str | None, str | None]:
    """Return the officer and unit of the contact the survey is about (the account's unit)."""
    contact = uow.contacts.get(conversation.contact_id) if conversation.contact_id else None
    if contact is None or contact.officer_id is None:
        return None, contact.unit if contact is not None else None
    unit = contact.unit or uow.accounts.unit_of_officer(contact.officer_id)
    return contact.officer_id, unit


def _queue(uow: UnitOfWork, alert: Alert, outlets: Iterable[str], now: datetime) -> list[uuid.UUID]:
    """Queue one delivery of a new alert per outlet; return their ids."""
    ids = []
    for outlet in sorted(outlets):
        delivery = AlertDelivery(alert_id=alert.id, outlet=outlet, due_at=now, created_at=now)
        uow.alerts.add_delivery(delivery)
        ids.append(delivery.id)
    return ids


def _dispatch(rt: Runtime, delivery_ids: Sequence[uuid.UUID]) -> None:
    """Hand committed deliveries to the background; the sweep finds any this misses."""
    if rt.dispatcher is None:
        return
    for delivery_id in delivery_ids:
        rt.dispatcher.enqueue_alert(delivery_id)


@dataclass(frozen=True)
class AlertView:
    """An alert as its page shows it, with the free-text answers of its conversation."""

    alert: Alert
    comments: tuple[Answer, ...]


def list_alerts(
    rt: Runtime, units: Sequence[str] | None, acknowledged: bool | None, reader: str
) -> list[AlertView]:
    """Return the alerts of `units` (None: all) newest first, each with its comments.

    Each alert names a survey and shows what its resident wrote, so a list that shows any is
    audited as read by `reader`, in the same unit of work.
    """
    with rt.uow() as uow:
        found = [
            AlertView(alert, _comments(rt, uow, alert))
            for alert in uow.alerts.listed(units, acknowledged, PAGE_SIZE)
        ]
        if found:
            comments = sum(len(view.comments) for view in found)
            detail = f"{len(found)} alert(s), {comments} comment(s)"
            record(
                uow, reader, Action.ALERTS_READ, _listed(units, acknowledged), detail, rt.clock()
            )
            uow.commit()
        return found


def _listed(units: Sequence[str] | None, acknowledged: bool | None) -> str:
    """Name which alerts a list holds, in words: "open alerts of unit North"."""
    which = {False: "open alerts", True: "acknowledged alerts", None: "all alerts"}[acknowledged]
    if units is None:
        return f"{which} of every unit"
    return f"{which} of unit {', '.join(units)}" if units else f"{which} of no unit"


def _comments(rt: Runtime, uow: UnitOfWork, alert: Alert) -> tuple[Answer, ...]:
    """Return the free-text answers of an alert's conversation (supervisors read them)."""
    conversation = uow.conversations.get(alert.conversation_id)
    flow = rt.flow_of(conversation) if conversation is not None else None
    if flow is None:
        return ()
    answers = uow.conversations.answers(alert.conversation_id)
    return tuple(
        a
        for a in answers
        if a.question_id in flow.nodes
        and flow.nodes[a.question_id].kind is NodeKind.TEXT
        and isinstance(a.value, str)
    )


def acknowledge(
    work: UnitOfWorkFactory,
    alert_id: uuid.UUID,
    actor: str,
    units: Sequence[str] | None,
    note: str,
    now: datetime,
) -> Alert:
    """Record that `actor` acted on an alert of their units, with a note; audit it."""
    note = note.strip()
    if not note:
        raise AlertError("note", "Say what was done, in a few words.")
    if len(note) > MAX_NOTE:
        raise AlertError("note", f"Keep the note to {MAX_NOTE} characters.")
    with work() as uow:
        alert = uow.alerts.get(alert_id, for_update=True)
        if alert is None or (units is not None and alert.unit not in units):
            raise AlertError("alert", "No such alert.")
        if alert.acknowledged_at is not None:
            raise AlertError("alert", "This alert was already acknowledged.")
        alert.acknowledged_by, alert.acknowledged_at = actor, now
        alert.acknowledged_note = note
        record(uow, actor, Action.ALERT_ACKNOWLEDGED, str(alert.id), alert.rule, now)
        uow.commit()
        return alert
