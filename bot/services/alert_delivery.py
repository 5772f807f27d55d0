"""Tell supervisors of alerts: one delivery row per alert and outlet is the queue.

A delivery is claimed in the database (attempt counted, "running") before its outlet is
called, and the call happens outside any transaction. A worker that dies mid-call leaves it
running: the sweep puts it back after STALE_CLAIM and it goes again. Nothing else can send a
delivery twice: a second job for it finds it claimed or done. The one window left (the outlet
took it and the process died before recording that) is why every attempt carries the same
delivery id (a webhook header, the email's Message-ID), so a receiver can drop a repeat.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from bot.ports import AlertNotice, AlertOutlet, AlertOutletError, UnitOfWork
from bot.scheduling.states import ItemStatus, RunOutcome
from bot.services.runtime import Runtime
from storage.models import Alert, AlertDelivery

log = logging.getLogger(__name__)

# An outlet call times out well within this (bot.channels.alert_*): older claims are orphans.
STALE_CLAIM = timedelta(minutes=2)
# Waits before each retry; after the last the delivery is given up (about a day in all).
BACKOFF = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
)
SWEEP_LIMIT = 200


def deliver_alert(rt: Runtime, delivery_id: uuid.UUID) -> RunOutcome:
    """Send one due delivery once; return sent, retry, failed or skipped."""
    claimed = _claim(rt, delivery_id)
    if isinstance(claimed, RunOutcome):
        return claimed
    outlet, notice = claimed
    try:
        outlet.send(notice)
    except AlertOutletError as exc:
        return _failed(rt, delivery_id, exc)
    return _sent(rt, delivery_id)


def _claim(rt: Runtime, delivery_id: uuid.UUID) -> tuple[AlertOutlet, AlertNotice] | RunOutcome:
    """Claim a due delivery and build its notice; or say why there is nothing to send."""
    with rt.uow() as uow:
        now = rt.clock()
        delivery = uow.alerts.delivery(delivery_id, for_update=True)
        if delivery is None or delivery.status != ItemStatus.PENDING or delivery.due_at > now:
            return RunOutcome.SKIPPED
        alert = uow.alerts.get(delivery.alert_id)
        outlets = rt.alerting.outlets if rt.alerting is not None else {}
        outlet = outlets.get(delivery.outlet)
        if alert is None or outlet is None:
            delivery.finish(ItemStatus.FAILED, now, f"no {delivery.outlet} outlet configured")
            uow.commit()
            return RunOutcome.FAILED
        notice = _notice(rt, uow, alert, delivery)
        delivery.claim(now)
        uow.commit()
        return outlet, notice


def _notice(rt: Runtime, uow: UnitOfWork, alert: Alert, delivery: AlertDelivery) -> AlertNotice:
    """Build what the outlet sends: the alert's facts, a link, and who to tell."""
    base = rt.alerting.base_url if rt.alerting is not None else ""
    return AlertNotice(
        alert_id=alert.id,
        delivery_id=delivery.id,
        kind=alert.kind,
        rule=alert.rule,
        detail=alert.detail,
        officer_id=alert.officer_id,
        unit=alert.unit,
        created_at=alert.created_at,
        link=f"{base}/admin/alerts#alert-{alert.id}",
        recipients=tuple(user.email for user in uow.alerts.recipients(alert.unit)),
    )


def _sent(rt: Runtime, delivery_id: uuid.UUID) -> RunOutcome:
    """Record a delivery the outlet took."""
    with rt.uow() as uow:
        delivery = uow.alerts.delivery(delivery_id, for_update=True)
        if delivery is not None and delivery.status == ItemStatus.RUNNING:
            delivery.finish(ItemStatus.DONE, rt.clock())
            outlet, alert_id = delivery.outlet, delivery.alert_id
            uow.commit()
            log.info("alert %s sent by %s", alert_id, outlet)
    return RunOutcome.SENT


def _failed(rt: Runtime, delivery_id: uuid.UUID, error: AlertOutletError) -> RunOutcome:
    """Record a failed attempt: retry after the backoff, or give up."""
    with rt.uow() as uow:
        now = rt.clock()
        delivery = uow.alerts.delivery(delivery_id, for_update=True)
        if delivery is None or delivery.status != ItemStatus.RUNNING:
            return RunOutcome.SKIPPED
        attempts = delivery.attempts
        if error.permanent or attempts > len(BACKOFF):
            delivery.finish(ItemStatus.FAILED, now, str(error))
            outcome = RunOutcome.FAILED
        else:
            delivery.retry_at(now + BACKOFF[attempts - 1], str(error))
            outcome = RunOutcome.RETRY
        uow.commit()
    log.warning("alert delivery %s failed (attempt %d): %s", delivery_id, attempts, error)
    return outcome


def sweep_alerts(rt: Runtime, limit: int = SWEEP_LIMIT) -> int:
    """Release orphaned claims and hand every due delivery out; return how many were due."""
    with rt.uow() as uow:
        now = rt.clock()
        released = uow.alerts.release_stale(now - STALE_CLAIM)
        due = uow.alerts.due_deliveries(now, limit)
        uow.commit()
    if released:
        log.warning("released %d alert deliveries whose worker stopped", released)
    for delivery_id in due:
        try:
            if rt.dispatcher is not None:
                rt.dispatcher.enqueue_alert(delivery_id)
            else:
                deliver_alert(rt, delivery_id)
        except Exception:
            # One bad delivery must not hold up the others; the database keeps it due.
            log.exception("could not hand out alert delivery %s", delivery_id)
    return len(due)
