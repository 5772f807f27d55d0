"""Tell a resident's time zone from their phone number (the one impure edge of scheduling).

phonenumbers knows the zones of a number's area: +1 212 is New York, +1 808 Honolulu, +63
Manila. A number that maps to exactly one zone gets it; one spanning several (a UK mobile, a
Russian one), a non-phone address (Telegram) or an unknown number gets the agency's default.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as number_zones

__all__ = ["resident_timezone"]


def resident_timezone(address: str, default: ZoneInfo) -> ZoneInfo:
    """Return the one time zone of an E.164 phone number, else `default`."""
    try:
        number = phonenumbers.parse(address, None)
    except phonenumbers.NumberParseException:
        return default
    if phonenumbers.is_valid_number(number):
        zones = number_zones.time_zones_for_number(number)
    elif phonenumbers.is_possible_number(number):
        # Agencies test with fictional numbers (555-01xx) the metadata calls invalid; their
        # area code still says where they are.
        zones = number_zones.time_zones_for_geographical_number(number)
    else:
        return default
    if len(zones) != 1 or zones[0] == number_zones.UNKNOWN_TIMEZONE:
        return default
    try:
        return ZoneInfo(zones[0])
    except (ZoneInfoNotFoundError, ValueError):
        # The system's tz database may lag the library's metadata.
        return default
