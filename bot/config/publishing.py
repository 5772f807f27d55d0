"""Readers of the settings that govern what results leave the supervisors' hands.

Officer feedback and the public transparency page show aggregates only; these settings say how
large a group must be before it is shown, how long an answer waits before it counts, and
which sites may frame the public page.
"""

from __future__ import annotations

import re

from bot.config.values import integer
from bot.errors import ConfigError

# Below this a group of residents is too small to hide one of them; 1 would show single answers.
MIN_K = 2
# A source a CSP frame-ancestors list accepts: an http(s) origin, optionally a *. subdomain
# wildcard and a port (or :* for any), and nothing after it (no path, no quote, no `;`).
_ORIGIN = re.compile(
    r"https?://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
    r"(:([0-9]{1,5}|\*))?"
)


def k_anonymity(value: str) -> int:
    """Read K: the fewest responses a shown figure may rest on (2 or more)."""
    k = integer(value)
    if k < MIN_K:
        raise ConfigError(
            f"expected {MIN_K} or more, got {value!r}: a smaller group could be one resident"
        )
    return k


def delay_days(value: str) -> int:
    """Read how many whole days an answer waits before an officer's feedback counts it."""
    days = integer(value)
    if not 1 <= days <= 365:
        raise ConfigError(f"expected between 1 and 365 days, got {value!r}")
    return days


def cache_seconds(value: str) -> int:
    """Read how long browsers and proxies may keep the public page (0 to a day)."""
    number = integer(value)
    if not 0 <= number <= 86_400:
        raise ConfigError(f"expected between 0 and 86400 seconds, got {value!r}")
    return number


def frame_ancestors(value: str) -> str:
    """Read the sites that may embed the public page: 'self', 'none' or origins, space-separated."""
    sources = value.split()
    if not sources:
        raise ConfigError("expected 'self', 'none' or origins such as https://agency.gov")
    if "'none'" in sources and len(sources) > 1:
        raise ConfigError("'none' stands alone: it forbids every site")
    for source in sources:
        if source not in ("'self'", "'none'") and not _ORIGIN.fullmatch(source.lower()):
            raise ConfigError(
                f"expected 'self', 'none' or an origin such as https://agency.gov, got {source!r}"
            )
    return " ".join(sources)
