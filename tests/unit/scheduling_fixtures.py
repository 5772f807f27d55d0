"""Zones, policies and clock helpers shared by the send-rule tests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.scheduling.rules import QuietHours, RespondentHistory, SendPolicy

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
HONOLULU = ZoneInfo("Pacific/Honolulu")
MANILA = ZoneInfo("Asia/Manila")
ZONES = [NY, LA, HONOLULU, MANILA]
NIGHT = QuietHours(time(20, 0), time(9, 0))
DEFAULT = SendPolicy()
NOBODY = RespondentHistory()
MINUTE = timedelta(minutes=1)


def at(tz: ZoneInfo, text: str, fold: int = 0) -> datetime:
    """Return the instant the clock in `tz` shows `text` (YYYY-MM-DD HH:MM[:SS]), in UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=tz, fold=fold).astimezone(UTC)


def shown(instant: datetime, tz: ZoneInfo) -> str:
    """Write what the clock in `tz` shows at `instant`, with its UTC offset."""
    return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S%z")


# A weekday noon in New York: outside quiet hours, a good "now" for decisions.
NOON = at(NY, "2024-07-08 12:00")
