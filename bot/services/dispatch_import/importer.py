"""Import contacts from a dispatch (CAD/RMS) export: a survey request per row, every row told.

Each row goes through start_survey, like a request from the API, so every rule applies to
it. A bad row is rejected with its line and reason and the import goes on; only a file
that cannot be read or mapped as a whole is refused (ExportError).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import NoReturn, TextIO

from bot.engine.model import Status
from bot.engine.text import normalise
from bot.i18n.choice import offered_tag
from bot.i18n.controls import clean_text, has_controls
from bot.scheduling.model import RefusalReason, Refuse, RespondentHistory
from bot.scheduling.rules import decide_send
from bot.services.addresses import Channel, mask
from bot.services.dispatch_import.columns import ColumnMap, map_columns, parse_moment
from bot.services.dispatch_import.reader import ExportError, ExportReader, Record
from bot.services.dispatch_import.report import ImportReport, Rejection, send_label
from bot.services.flow_routes import FlowRoutes
from bot.services.runtime import Runtime
from bot.services.surveys import SurveyError, SurveyRequest, check_request, start_survey
from storage.models import incident_key

log = logging.getLogger(__name__)

CHANNEL = Channel.SMS  # a dispatch export's contact is a phone number (or WhatsApp's, if asked)
# The database keeps identifiers, call types and addresses in 64 characters, as the API does.
FIELD_LIMIT = 64
# This many unexpected failures in a row mean the database (not the data) is the problem.
FAILURES_BEFORE_STOP = 10


@dataclass(frozen=True)
class ImportOptions:
    """How to read an export: column overrides, the flow to start, and whether to write."""

    overrides: Mapping[str, str] = field(default_factory=dict)
    flow: str | None = None
    dry_run: bool = False
    channel: str = CHANNEL


class _RowError(Exception):
    """A row cannot be imported, for the reason given."""


def import_contacts(rt: Runtime, stream: TextIO, options: ImportOptions) -> ImportReport:
    """Start a survey for every acceptable row of an export and account for every row."""
    flow = choose_flow(rt, options.flow)
    if options.channel not in rt.senders:
        named = "SMS" if options.channel == CHANNEL else options.channel
        raise ExportError(f"{named} is not configured (set the TWILIO_* settings, see README)")
    reader = ExportReader(stream)
    records = (r for r in reader if r.problem or any(cell.strip() for cell in r.cells))
    columns = map_columns(_header(records), options.overrides)
    report = ImportReport(
        flow, columns.named(), columns.ignored(), reader.delimiter, options.dry_run
    )
    report.call_type_columns = columns.also_call_types()
    # No flow named: each row starts the flow its call type is routed to, else the default.
    rows = _Rows(rt, FlowRoutes(rt, options.flow), columns, report, options.channel)
    for record in records:
        rows.take(record)
        if report.stopped:
            break
    return report


def choose_flow(rt: Runtime, name: str | None) -> str:
    """Return the flow to start: the one named, the only one, or the default (DEFAULT_FLOW)."""
    listed = ", ".join(sorted(rt.flows))
    if name:
        if name not in rt.flows:
            raise ExportError(f"no flow {name!r} (flows: {listed})")
        return name
    if len(rt.flows) == 1:
        return next(iter(rt.flows))
    if rt.default_flow in rt.flows:
        return rt.default_flow
    raise ExportError(f"several flows are loaded: choose one with --flow ({listed})")


def _header(records: Iterator[Record]) -> list[str]:
    """Return the header line's cells; refuse an empty or unreadable one."""
    header = next(records, None)
    if header is None:
        raise ExportError("the file is empty")
    if header.problem:
        raise ExportError(f"the header line is unreadable: {header.problem}")
    return header.cells


class _Rows:
    """Turns records into survey requests and starts them (or only checks, in a dry run)."""

    def __init__(
        self, rt: Runtime, flows: FlowRoutes, columns: ColumnMap, report: ImportReport, channel: str
    ) -> None:
        self.rt, self.flows, self.columns, self.report = rt, flows, columns, report
        self.channel = channel
        self.seen: dict[tuple[str | None, str, datetime | None], int] = {}
        self.failures, self.failure = 0, ""

    def take(self, record: Record) -> None:
        """Import one record, or record why it is rejected."""
        self.report.rows += 1
        values = self.columns.values(record.cells)
        try:
            self._import(record, values)
        except _RowError as exc:
            self._reject(record.first_line, str(exc), values)
        if self.failures >= FAILURES_BEFORE_STOP:
            self.report.stopped = (
                f"stopped at line {record.first_line}: the last {self.failures} rows failed "
                f"({self.failure}); the {self.report.accepted} accepted before them were imported"
            )

    def _import(self, record: Record, values: dict[str, str]) -> None:
        """Check one record and start (or, in a dry run, foresee) its survey."""
        if record.problem:
            raise _RowError(record.problem)
        if len(record.cells) > len(self.columns.header):
            raise _RowError(
                f"{len(record.cells)} cells but the header names {len(self.columns.header)}"
            )
        request, address = self._request(values, record.first_line)
        self._once(request, address, record.first_line)
        column, call_type = self._excluded_column(record.cells)
        if call_type is not None:
            request = replace(request, call_type=call_type)
        if self.report.dry_run:
            self._foresee(request, column, address)
        else:
            self._start(request, record.first_line, column)

    def _excluded_column(self, cells: list[str]) -> tuple[str | None, str | None]:
        """Find the first call-type-like column naming an excluded type: (header, call type).

        The call type returned is the cell (stored on the contact, so the record shows why), or
        the type's canonical name when the cell is too long or unprintable to store.
        """
        for header, value in self.columns.call_type_cells(cells):
            found = self.rt.policy.excluded(value)
            if found is not None:
                storable = len(value) <= FIELD_LIMIT and not has_controls(value)
                return header, value if storable else found
        return None, None

    def _request(self, values: dict[str, str], line: int) -> tuple[SurveyRequest, str]:
        """Build the request a row stands for; reject it with every problem found."""
        errors = _field_errors(values)
        moment = self._moment(values.get("occurred_at", ""), errors)
        try:
            flow = self.flows(values.get("call_type"))
        except Exception as exc:  # the routes could not be read: the database, not the row
            self._failed(line, exc)
        request = SurveyRequest(
            channel=self.channel,
            address=values["address"],
            flow=flow,
            language=self._language(flow, values.get("language", ""), errors),
            officer_id=values.get("officer_id") or None,
            unit=values.get("unit") or None,
            incident_id=values.get("incident_id") or None,
            call_type=values.get("call_type") or None,
            occurred_at=moment,
        )
        address = ""
        try:
            address = check_request(self.rt, request)
        except SurveyError as exc:
            errors = {**exc.fields, **errors}
        if errors:
            raise _RowError(_scrub(_reasons(errors), values))
        return request, address

    def _moment(self, text: str, errors: dict[str, str]) -> datetime:
        """Read when the contact happened (the import time when the row does not say)."""
        now = self.rt.clock()
        if not text or "occurred_at" in errors:
            return now
        try:
            return parse_moment(text, self.rt.policy.default_zone, now)
        except ValueError as exc:
            errors["occurred_at"] = str(exc)
            return now

    def _language(self, flow_id: str, text: str, errors: dict[str, str]) -> str | None:
        """Resolve a language hint written as a tag (es, es-MX) or a name (Spanish, español)."""
        flow = self.rt.flows.get(flow_id)
        if not text or "language" in errors or flow is None:
            return None
        offered = flow.languages
        tag = offered_tag(text, offered)
        if tag is None:
            named = normalise(text)
            tag = next((c for c in offered if named in self._names(c)), None)
        if tag is None:
            errors["language"] = f"{text!r} is not offered ({', '.join(offered)})"
        return tag

    def _names(self, code: str) -> frozenset[str]:
        """Return the names a language goes by (its locale's list)."""
        locale = self.rt.locales.get(code)
        return locale.names if locale is not None else frozenset()

    def _once(self, request: SurveyRequest, address: str, line: int) -> None:
        """Reject a row that repeats an earlier one: same incident (or time) and phone."""
        moment = None if request.incident_id else request.occurred_at
        incident = incident_key(request.incident_id) if request.incident_id else None
        key = (incident, address, moment)
        earlier = self.seen.setdefault(key, line)
        if earlier != line:
            raise _RowError(f"repeats line {earlier} (same incident and phone number)")

    def _foresee(self, request: SurveyRequest, column: str | None, address: str) -> None:
        """Apply every rule the file alone can decide (call types, contact age, delay, quiet
        hours) and count what importing would do; opt-outs and the cap need the history."""
        rt, report = self.rt, self.report
        now = rt.clock()
        occurred = request.occurred_at or now
        zone = rt.resident_zones(address)
        decision = decide_send(occurred, now, None, RespondentHistory(), rt.policy, zone)
        if column is not None:
            report.excluded_by[column] += 1
            decision = Refuse(RefusalReason.EXCLUDED_CALL_TYPE, "")
        if isinstance(decision, Refuse):
            report.statuses[Status.REFUSED] += 1
            report.refused[decision.reason.value] += 1
            return
        report.statuses["would_start"] += 1
        report.first_texts[send_label(decision.at, now, rt.policy.default_zone)] += 1

    def _start(self, request: SurveyRequest, line: int, column: str | None) -> None:
        """Start the row's survey and count its outcome."""
        try:
            started = start_survey(self.rt, request)
        except SurveyError as exc:
            raise _RowError(_scrub(_reasons(exc.fields), {"address": request.address})) from exc
        except Exception as exc:
            self._failed(line, exc)
        self.failures = 0
        excluded = started.reason == RefusalReason.EXCLUDED_CALL_TYPE.value
        if column is not None and excluded and (started.cancelled or not started.duplicate):
            self.report.excluded_by[column] += 1
        if started.cancelled:
            self.report.cancelled += 1
        if started.duplicate:
            self.report.already_imported += 1
        elif started.reason:
            self.report.refused[started.reason] += 1
        self.report.statuses[started.status] += 1

    def _failed(self, line: int, exc: Exception) -> NoReturn:
        """Reject a row whose survey could not be stored; stop when every row fails."""
        name = type(exc).__name__
        # The exception's text can carry the row's values (a phone number): debug level only.
        log.error("line %d could not be imported: %s", line, name)
        log.debug("line %d failed", line, exc_info=exc)
        self.failures += 1
        self.failure = name
        raise _RowError(f"could not be stored ({name}; see the log)") from exc

    def _reject(self, line: int, reason: str, values: dict[str, str]) -> None:
        """Record a rejected row, with its incident id and a masked phone number."""
        incident = clean_text(values.get("incident_id", ""))
        incident = incident if len(incident) <= FIELD_LIMIT else incident[:FIELD_LIMIT] + "…"
        rejection = Rejection(line, reason, incident or None, mask(values.get("address", "")))
        self.report.rejected.append(rejection)


def _field_errors(values: Mapping[str, str]) -> dict[str, str]:
    """Check every mapped value's size and characters; the phone number must be there."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        if len(value) > FIELD_LIMIT:
            errors[name] = f"longer than {FIELD_LIMIT} characters"
        elif has_controls(value):
            errors[name] = "contains control characters"
    if not values.get("address"):
        errors["address"] = "missing"
    return errors


def _reasons(errors: Mapping[str, str]) -> str:
    """Join field errors into one reason, calling the address what an export calls it."""
    return "; ".join(f"{'phone' if k == 'address' else k}: {v}" for k, v in errors.items())


def _scrub(reason: str, values: Mapping[str, str]) -> str:
    """Mask the row's phone number wherever a reason quotes it."""
    phone = values.get("address", "").strip()
    return reason.replace(phone, mask(phone)) if len(phone) > 2 else reason
