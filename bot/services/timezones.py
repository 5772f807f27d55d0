"""Tell where a resident may be from their phone number (phonenumbers' area zones).

phonenumbers knows the zones of a number's area: +1 212 is New York, +1 907 Alaska (Anchorage
and Adak), +1 208 Idaho (Boise and Los Angeles), an Australian mobile anywhere in Australia.
A text may go out only when it is daytime in every zone the number may be in and in the
agency's own zone (where a resident with an out-of-area number most likely lives). A number
whose area says nothing (a Telegram address, an unknown number) gets the agency's zone alone.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as number_zones

__all__ = ["resident_timezones"]


def resident_timezones(address: str, agency: ZoneInfo) -> tuple[ZoneInfo, ...]:
    """Return every zone an E.164 number may be in, and the agency's zone (first)."""
    zones = [agency]
    for name in _zone_names(address):
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue  # The system's tz database may lag the library's metadata.
        if zone.key not in {known.key for known in zones}:
            zones.append(zone)
    return tuple(zones)


def _zone_names(address: str) -> tuple[str, ...]:
    """Return the zone names phonenumbers gives a number's area; none when it cannot tell."""
    try:
        number = phonenumbers.parse(address, None)
    except phonenumbers.NumberParseException:
        return ()
    if phonenumbers.is_valid_number(number):
        names = tuple(number_zones.time_zones_for_number(number))
    elif phonenumbers.is_possible_number(number):
        # Agencies test with fictional numbers (555-01xx) the metadata calls invalid; their
        # area code still says where they are. A fictional area code (555) says nothing.
        names = tuple(number_zones.time_zones_for_geographical_number(number))
        if names == tuple(number_zones._country_level_time_zones_for_number(number)):
            return ()
    else:
        return ()
    return tuple(name for name in names if name != number_zones.UNKNOWN_TIMEZONE)
