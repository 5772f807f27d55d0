"""Per-sender pacing and delivery retry timing: pure arithmetic over injected time.

Carriers throttle a sending number: a US 10DLC long code takes about one SMS segment a second,
a toll-free number a few, a short code a hundred. Sending faster only fills the provider's
queue, where a resident's STOP can no longer cancel what is waiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

# Waits before delivery attempts 2, 3, … after a provider failure that may pass (429, 5xx).
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_DELIVERY_ATTEMPTS = len(RETRY_DELAYS) + 1


@dataclass(frozen=True)
class Pacing:
    """How fast each sending number may send, in units of its channel's cost per second.

    Each sender prices a message itself (bot.ports.Sender.cost): an SMS number in segments,
    a channel without segments one unit a message.
    """

    default_rate: float = 1.0
    # Per sending number (its E.164 form, or a channel name): {"+18005550100": 3.0}.
    rates: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    # Sends whose slot is at most this far ahead go out at once; later ones wait for it.
    burst: timedelta = timedelta(seconds=5)

    def __post_init__(self) -> None:
        if self.default_rate <= 0 or any(rate <= 0 for rate in self.rates.values()):
            raise ValueError("sending rates must be positive")
        if self.burst < timedelta(0):
            raise ValueError("the pacing burst must not be negative")

    def cost(self, sender: str, units: int) -> timedelta:
        """Return how long a message costing `units` (SMS: segments) occupies `sender`."""
        rate = self.rates.get(sender, self.default_rate)
        return timedelta(seconds=max(units, 1) / rate)


def retry_wait(attempt: int, retry_after: timedelta | None) -> timedelta:
    """Return the wait before retrying: the backoff, or longer when the channel asked so."""
    backoff = retry_delay(attempt)
    return max(backoff, retry_after) if retry_after is not None else backoff


def retry_delay(attempt: int) -> timedelta:
    """Return the wait after failed delivery attempt number `attempt` (1-based)."""
    return RETRY_DELAYS[min(max(attempt, 1), len(RETRY_DELAYS)) - 1]


def parse_rates(text: str) -> dict[str, float]:
    """Read `+15550100=1, +18005550100=3` into a mapping; raise ValueError saying what is wrong."""
    rates: dict[str, float] = {}
    for part in filter(None, (chunk.strip() for chunk in text.split(","))):
        sender, sep, value = part.partition("=")
        if not sep or not sender.strip():
            raise ValueError(f"expected NUMBER=SEGMENTS_PER_SECOND, got {part!r}")
        try:
            rate = float(value)
        except ValueError:
            raise ValueError(f"{value.strip()!r} is not a number of segments per second") from None
        if rate <= 0:
            raise ValueError(f"the rate for {sender.strip()} must be positive")
        rates[sender.strip()] = rate
    return rates
