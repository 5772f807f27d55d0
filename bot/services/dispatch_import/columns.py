"""Map a dispatch export's columns to survey fields, and read the times it writes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import product
from zoneinfo import ZoneInfo

from bot.services.dispatch_import.reader import ExportError

FIELDS = ("address", "incident_id", "call_type", "officer_id", "unit", "language", "occurred_at")

# Header spellings per field, compared by header_key; where an export has several, the one
# listed first wins (the report names the column used, and --map overrides it).
HEADER_ALIASES: Mapping[str, tuple[str, ...]] = {
    "address": (
        "phone", "phone number", "phone no", "caller phone", "caller phone number",
        "caller number", "callback number", "callback phone", "callback", "contact phone",
        "contact number", "rp phone", "reporting party phone", "mobile", "mobile number",
        "mobile phone", "cell", "cell phone", "telephone",
    ),
    "incident_id": (
        "incident id", "incident number", "incident no", "incident", "cad number", "cad no",
        "cad incident number", "event number", "event no", "event id", "call number",
        "case number",
    ),
    "call_type": (
        "call type", "final call type", "nature", "nature code", "nature of call",
        "incident type", "event type", "type",
    ),
    # "Unit ID" and "Primary Unit" are a CAD's call signs, which name the officer; a column
    # headed "Unit" alone is the officer's team or precinct, kept apart as `unit`.
    "officer_id": (
        "officer id", "officer", "badge", "badge number", "badge no", "unit id",
        "primary unit",
    ),
    "unit": ("unit", "officer unit", "unit name", "precinct", "team", "squad"),
    "language": ("preferred language", "language", "lang", "caller language"),
    "occurred_at": (
        "occurred at", "occurred", "cleared at", "time cleared", "cleared", "date time",
        "call time", "call date time", "incident date time", "time",
    ),
}  # fmt: skip
# Columns that also say what kind of call it was, besides the one mapped to call_type: a CAD
# export often has the type as dispatched and as cleared ("Final Call Type", "Disposition"),
# and a call reclassified as domestic violence must be excluded whichever column says so.
CALL_TYPE_LIKE = (
    "initial call type", "original call type", "final nature", "initial nature",
    "disposition", "disposition code", "final disposition", "dispo", "clearance code",
    "call nature", "problem", "problem type", "complaint type", "cfs type",
)  # fmt: skip
# Header words that make any column call-type-like ("Nature Final", "CallType2").
_CALL_TYPE_WORDS = ("calltype", "nature", "dispo", "incidenttype", "eventtype")
# What people call the fields in --map and mapping files, besides the fields' own names.
FIELD_SYNONYMS = {"phone": "address", "incident": "incident_id", "officer": "officer_id"}

_NOT_ALNUM = re.compile(r"[\W_]+")
_MERIDIEM = re.compile(r"(?<=\d)\s*([ap])\.?\s*m\.?$", re.IGNORECASE)
_DATE_ONLY = re.compile(r"\d{4}-?\d{2}-?\d{2}|\d{1,2}[/-]\d{1,2}[/-]\d{2,4}")
_US_FORMATS = tuple(
    f"{day} {clock}"
    for day, clock in product(
        ("%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%Y-%m-%d", "%Y/%m/%d"),
        ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p", "%H%M"),
    )
)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# Exports are written by clocks that drift; a contact a few minutes "ahead" is not an error.
FUTURE_SLACK = timedelta(minutes=5)


def header_key(text: str) -> str:
    """Fold a column header so "Caller Phone #", "caller_phone" and "CALLERPHONE" compare equal."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def field_name(name: str) -> str:
    """Return the survey field a --map or mapping-file name stands for; raise ValueError."""
    key = name.strip().casefold().replace(" ", "_").replace("-", "_")
    key = FIELD_SYNONYMS.get(key, key)
    if key not in FIELDS:
        raise ValueError(f"unknown field {name.strip()!r}: use one of {', '.join(FIELDS)}")
    return key


def read_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """Read `field=Column Header` pairs; an empty column leaves the field unmapped."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        name, equals, column = pair.partition("=")
        if not equals:
            raise ValueError(f"{pair!r} is not field=Column Header")
        overrides[field_name(name)] = column.strip()
    return overrides


@dataclass(frozen=True)
class ColumnMap:
    """Which column of the export feeds each survey field."""

    header: tuple[str, ...]
    columns: Mapping[str, int]
    # Every column checked for an excluded call type: call_type's first, then the others.
    call_types: tuple[int, ...] = ()

    def named(self) -> dict[str, str]:
        """Return each mapped field with the header of its column, in field order."""
        return {f: self.header[self.columns[f]] for f in FIELDS if f in self.columns}

    def ignored(self) -> list[str]:
        """Return the headers of the columns no field reads."""
        used = {*self.columns.values(), *self.call_types}
        return [name for i, name in enumerate(self.header) if i not in used and name.strip()]

    def also_call_types(self) -> list[str]:
        """Return the headers of the columns read for call types besides call_type's own."""
        own = self.columns.get("call_type")
        return [self.header[i] for i in self.call_types if i != own]

    def call_type_cells(self, cells: Sequence[str]) -> list[tuple[str, str]]:
        """Return (header, cell) of every call-type-like column that has a value."""
        found = [
            (self.header[i], cells[i].strip() if i < len(cells) else "") for i in self.call_types
        ]
        return [(name, value) for name, value in found if value]

    def values(self, cells: Sequence[str]) -> dict[str, str]:
        """Return each mapped field's cell, stripped ("" where a short row has none)."""
        return {f: cells[i].strip() if i < len(cells) else "" for f, i in self.columns.items()}


def map_columns(header: Sequence[str], overrides: Mapping[str, str]) -> ColumnMap:
    """Decide which column feeds each field; raise ExportError naming the columns found."""
    keys = [header_key(name) for name in header]
    if not any(keys):
        raise ExportError("no header line naming the columns")
    columns: dict[str, int] = {}
    for name in FIELDS:
        wanted = overrides.get(name)
        if wanted is None:
            found = _first(keys, HEADER_ALIASES[name])
        elif wanted:
            found = _column(header, keys, wanted)
            if found is None:
                raise ExportError(f"no column {wanted!r} ({_found(header)})")
        else:
            continue  # mapped to nothing on purpose
        if found is not None:
            columns[name] = found
    if "address" not in columns:
        raise ExportError(
            f"no phone number column ({_found(header)}); name it with --map address=COLUMN"
        )
    return ColumnMap(tuple(header), columns, _call_type_columns(keys, columns))


def _call_type_columns(keys: Sequence[str], columns: Mapping[str, int]) -> tuple[int, ...]:
    """Return every column that may name the call type: the mapped one first, then the rest.

    Read whatever --map says: an excluded type in any of them refuses the survey.
    """
    known = {header_key(a) for a in (*HEADER_ALIASES["call_type"], *CALL_TYPE_LIKE)}
    taken = {i for name, i in columns.items() if name != "call_type"}
    alike = [
        i
        for i, key in enumerate(keys)
        if i not in taken and key and (key in known or any(w in key for w in _CALL_TYPE_WORDS))
    ]
    own = columns.get("call_type")
    return tuple(([own] if own is not None else []) + [i for i in alike if i != own])


def _first(keys: Sequence[str], aliases: Iterable[str]) -> int | None:
    """Return the column whose header is the earliest-listed alias, if any."""
    for alias in aliases:
        if (key := header_key(alias)) in keys:
            return keys.index(key)
    return None


def _column(header: Sequence[str], keys: Sequence[str], wanted: str) -> int | None:
    """Find a column by its exact header, else by its folded spelling."""
    if wanted in header:
        return list(header).index(wanted)
    key = header_key(wanted)
    return keys.index(key) if key and key in keys else None


def _found(header: Sequence[str]) -> str:
    """List the columns an export has, for messages."""
    names = [repr(name) for name in header if name.strip()]
    return "columns found: " + (", ".join(names) if names else "none")


def parse_moment(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """Read when a contact happened, in UTC; naive times are in `zone`. Raise ValueError."""
    spaced = " ".join(text.split())
    if _DATE_ONLY.fullmatch(spaced):
        # The time of day decides when the survey goes out: never guess it.
        raise ValueError(f"{text!r} has a date but no time of day")
    moment = _parse(spaced)
    if moment is None:
        raise ValueError(
            f"{text!r} is not a date and time (write 2026-11-22 14:05 or 11/22/2026 2:05 PM)"
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(f"{text!r} is out of range") from exc
    if moment < EARLIEST:
        raise ValueError(f"{text!r} is before {EARLIEST.year}")
    if moment > now + FUTURE_SLACK:
        raise ValueError(f"{text!r} is in the future")
    return moment


def _parse(text: str) -> datetime | None:
    """Read ISO 8601 or a common US form; None for anything else."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    spelled = _MERIDIEM.sub(lambda m: f" {m.group(1).upper()}M", text)
    for form in _US_FORMATS:
        try:
            return datetime.strptime(spelled, form)
        except ValueError:
            continue
    return None
