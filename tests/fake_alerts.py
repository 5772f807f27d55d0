"""An in-memory alert repository for FakeUnitOfWork."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.scheduling.states import ItemStatus
from storage.models import Alert, AlertDelivery, User

if TYPE_CHECKING:
    from tests.fakes import FakeUnitOfWork


class FakeAlertRepository:
    """Alerts and their deliveries in memory; a rule fires once per conversation."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def add_once(self, alert: Alert) -> bool:
        """Stage a new alert unless its rule already fired for its conversation."""
        same = (alert.conversation_id, alert.rule)
        if self._uow.first(Alert, lambda a: (a.conversation_id, a.rule) == same) is not None:
            return False
        self._uow.add(alert)
        return True

    def get(self, alert_id: uuid.UUID, *, for_update: bool = False) -> Alert | None:
        """Return one alert."""
        return self._uow.first(Alert, lambda a: a.id == alert_id)

    def listed(
        self, units: Sequence[str] | None, acknowledged: bool | None, limit: int
    ) -> list[Alert]:
        """Return alerts newest first, of `units` (None: all), acknowledged or not."""
        found = [
            a
            for a in self._uow.rows(Alert)
            if (units is None or a.unit in units)
            and (acknowledged is None or (a.acknowledged_at is not None) == acknowledged)
        ]
        return sorted(found, key=lambda a: a.created_at, reverse=True)[:limit]

    def add_delivery(self, delivery: AlertDelivery) -> None:
        """Stage a delivery."""
        self._uow.add(delivery)

    def delivery(self, delivery_id: uuid.UUID, *, for_update: bool = False) -> AlertDelivery | None:
        """Return one delivery."""
        return self._uow.first(AlertDelivery, lambda d: d.id == delivery_id)

    def due_deliveries(self, now: datetime, limit: int) -> list[uuid.UUID]:
        """Return the pending deliveries due by `now`, oldest first."""
        due = [
            d
            for d in self._uow.rows(AlertDelivery)
            if d.status == ItemStatus.PENDING and d.due_at <= now
        ]
        return [d.id for d in sorted(due, key=lambda d: d.due_at)][:limit]

    def release_stale(self, claimed_before: datetime) -> int:
        """Put back deliveries claimed before then; return how many."""
        stale = [
            d
            for d in self._uow.rows(AlertDelivery)
            if d.status == ItemStatus.RUNNING and d.claimed_at and d.claimed_at < claimed_before
        ]
        for delivery in stale:
            delivery.status, delivery.claimed_at = ItemStatus.PENDING, None
        return len(stale)

    def recipients(self, unit: str | None) -> list[User]:
        """Return the unit's enabled supervisors, else the enabled admins."""
        live = [u for u in self._uow.rows(User) if u.disabled_at is None]
        supervisors = [u for u in live if u.role == "supervisor" and unit and u.unit == unit]
        chosen = supervisors or [u for u in live if u.role == "admin"]
        return sorted(chosen, key=lambda u: u.email)
