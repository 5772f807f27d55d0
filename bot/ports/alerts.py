"""Alerts: where they are stored, and the outlets that tell supervisors (email, webhook)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from storage.models import Alert, AlertDelivery, User


@dataclass(frozen=True)
class AlertNotice:
    """What an outlet sends about one alert: never the resident's number, chat id or words."""

    alert_id: uuid.UUID
    # The delivery's id: the same on every attempt, so a receiver can drop a repeat.
    delivery_id: uuid.UUID
    kind: str
    rule: str
    detail: str
    officer_id: str | None
    unit: str | None
    created_at: datetime
    # The alert's page on the admin site, where a supervisor reads and acknowledges it.
    link: str
    # Email addresses of the officer's supervisors (admins' for an alert without a unit).
    recipients: tuple[str, ...]


class AlertOutletError(Exception):
    """An outlet could not hand an alert over; `permanent`: trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class AlertOutlet(Protocol):
    """Tell supervisors about an alert (email, a signed webhook); `name` is stored per delivery."""

    name: str

    def send(self, notice: AlertNotice) -> None:
        """Hand the notice over; raise AlertOutletError when that failed."""
        ...


class AlertRepository(Protocol):
    """Alerts and their deliveries: an alert is raised once per conversation and rule."""

    def add_once(self, alert: Alert) -> bool:
        """Store a new alert; False (nothing stored) when its rule already fired for it."""
        ...

    def get(self, alert_id: uuid.UUID, *, for_update: bool = False) -> Alert | None:
        """Return one alert."""
        ...

    def listed(
        self, units: Sequence[str] | None, acknowledged: bool | None, limit: int
    ) -> list[Alert]:
        """Return alerts newest first: of `units` (None: every unit), acknowledged or not."""
        ...

    def add_delivery(self, delivery: AlertDelivery) -> None:
        """Queue a delivery of an alert through one outlet."""
        ...

    def delivery(self, delivery_id: uuid.UUID, *, for_update: bool = False) -> AlertDelivery | None:
        """Return one delivery, locked for update if asked."""
        ...

    def due_deliveries(self, now: datetime, limit: int) -> list[uuid.UUID]:
        """Return the deliveries pending and due by `now`, oldest first."""
        ...

    def release_stale(self, claimed_before: datetime) -> int:
        """Put back deliveries claimed before then by a worker that stopped; return how many."""
        ...

    def recipients(self, unit: str | None) -> list[User]:
        """Return who hears of an alert in `unit`: its enabled supervisors, else the admins."""
        ...
