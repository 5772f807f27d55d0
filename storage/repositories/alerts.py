"""Alerts and their deliveries; an alert's rule fires once per conversation (a unique key)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.scheduling.states import ItemStatus
from storage.models import Alert, AlertDelivery, User


class SqlAlchemyAlertRepository:
    """Raise, list and acknowledge alerts; queue, claim and release their deliveries."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_once(self, alert: Alert) -> bool:
        """Store a new alert in a SAVEPOINT; False when its rule already fired for it.

        Two workers evaluating one conversation at once (an answer and its translation) both
        try; the unique key lets one win, and the other's insert is undone alone.
        """
        known = select(Alert.id).where(
            Alert.conversation_id == alert.conversation_id, Alert.rule == alert.rule
        )
        if self._session.scalars(known).first() is not None:
            return False
        try:
            with self._session.begin_nested():
                self._session.add(alert)
        except IntegrityError:
            return False
        return True

    def get(self, alert_id: uuid.UUID, *, for_update: bool = False) -> Alert | None:
        """Return one alert, locked for update if asked."""
        return self._session.get(Alert, alert_id, with_for_update=for_update or None)

    def listed(
        self, units: Sequence[str] | None, acknowledged: bool | None, limit: int
    ) -> list[Alert]:
        """Return alerts newest first: of `units` (None: every unit), acknowledged or not."""
        query = select(Alert).order_by(Alert.created_at.desc(), Alert.id).limit(limit)
        if units is not None:
            query = query.where(Alert.unit.in_(units))
        if acknowledged is not None:
            done = Alert.acknowledged_at.is_not(None)
            query = query.where(done if acknowledged else Alert.acknowledged_at.is_(None))
        return list(self._session.scalars(query))

    def add_delivery(self, delivery: AlertDelivery) -> None:
        """Queue a delivery of an alert through one outlet."""
        self._session.add(delivery)
        self._session.flush()

    def delivery(self, delivery_id: uuid.UUID, *, for_update: bool = False) -> AlertDelivery | None:
        """Return one delivery, locked for update if asked."""
        return self._session.get(AlertDelivery, delivery_id, with_for_update=for_update or None)

    def due_deliveries(self, now: datetime, limit: int) -> list[uuid.UUID]:
        """Return the deliveries pending and due by `now`, oldest first."""
        query = (
            select(AlertDelivery.id)
            .where(AlertDelivery.status == ItemStatus.PENDING, AlertDelivery.due_at <= now)
            .order_by(AlertDelivery.due_at)
            .limit(limit)
        )
        return list(self._session.scalars(query))

    def release_stale(self, claimed_before: datetime) -> int:
        """Put back deliveries claimed before then by a worker that stopped; return how many."""
        statement = (
            update(AlertDelivery)
            .where(
                AlertDelivery.status == ItemStatus.RUNNING,
                AlertDelivery.claimed_at < claimed_before,
            )
            .values(status=ItemStatus.PENDING, claimed_at=None)
        )
        return int(self._session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]

    def recipients(self, unit: str | None) -> list[User]:
        """Return who hears of an alert in `unit`: its enabled supervisors, else the admins.

        A unit with no supervisor (or no unit at all) falls to the admins, so no alert is lost.
        """
        live = User.disabled_at.is_(None)
        if unit is not None:
            query = select(User).where(live, User.role == "supervisor", User.unit == unit)
            found = list(self._session.scalars(query.order_by(User.email)))
            if found:
                return found
        query = select(User).where(live, User.role == "admin").order_by(User.email)
        return list(self._session.scalars(query))
