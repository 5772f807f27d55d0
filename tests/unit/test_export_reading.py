"""Reading dispatch exports: encodings, delimiters, line numbers, column mapping and times."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.services.dispatch_import.columns import (
    header_key,
    map_columns,
    parse_moment,
    read_overrides,
)
from bot.services.dispatch_import.reader import (
    ExportError,
    ExportReader,
    detect_encoding,
    open_export,
)
from bot.services.dispatch_import.report import ImportReport, Rejection, describe, summary

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def records(text: str, limit: int = 100) -> list[tuple[int, int, list[str], str | None]]:
    """Read an in-memory export; return (first line, last line, cells, problem) per record."""
    reader = ExportReader(io.StringIO(text, newline=""), limit)
    return [(r.first_line, r.last_line, r.cells, r.problem) for r in reader]


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding", "first"),
    [
        (b"Phone,Officer\n2175550142,Pe\xc3\xb1a\n", "utf-8", "Phone"),
        (b"\xef\xbb\xbfPhone,Officer\n2175550142,Pe\xc3\xb1a\n", "utf-8", "Phone"),
        (b"Phone;Officer\n2175550142;Pe\xf1a \x96 B\n", "cp1252", "Phone"),
        ("Phone\tOfficer\n2175550142\tPeña\n".encode("utf-16"), "utf-16", "Phone"),
    ],
)
def test_exports_open_in_their_encoding(
    tmp_path: Path, data: bytes, encoding: str, first: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    with open_export(path) as (stream, found):
        rows = [r.cells for r in ExportReader(stream)]
    assert found == encoding
    assert rows[0][0] == first  # no byte-order mark left on the first header
    assert rows[1][1].startswith("Peña")


def test_a_windows_dash_is_read_as_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"Phone;Call Type\n2175550142;Disturbance \x96 Loud\n")
    with open_export(path) as (stream, _):
        rows = [r.cells for r in ExportReader(stream)]
    assert rows[1] == ["2175550142", "Disturbance – Loud"]


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # a spreadsheet (zip)
        b"Phone,Officer\n2175550142,\x81\x8d\x9d\n",  # bytes neither encoding has
        b"Phone\x00,Officer\n",
    ],
)
def test_binary_or_undecodable_files_are_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    with pytest.raises(ExportError, match="not text in UTF-8 or Windows-1252"):
        detect_encoding(path)


def test_encoding_is_checked_to_the_end_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    # Valid UTF-8 for 200 KB, then one Windows-1252 byte: the whole file is Windows-1252.
    path.write_bytes(b"Phone\n" + b"2175550142\n" * 20_000 + b"Pe\xf1a\n")
    assert detect_encoding(path) == "cp1252"


# --- delimiters and records ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Phone,Incident\n2175550142,26-1\n2175550107,26-2\n", ","),
        ("Phone;Incident;Note\n2175550142;26-1;a, b\n2175550107;26-2;c\n", ";"),
        ("Phone\tIncident\n2175550142\t26-1\n", "\t"),
        ("Phone\n2175550142\n", ","),
        ("Phone;Incident\n", ";"),
    ],
)
def test_the_delimiter_is_detected(text: str, delimiter: str) -> None:
    reader = ExportReader(io.StringIO(text, newline=""))
    assert reader.delimiter == delimiter
    assert next(iter(reader)).cells[0] == "Phone"


def test_records_carry_the_lines_they_span_in_the_file() -> None:
    text = 'Phone,Note\n\n2175550142,"two\nlines"\r\n2175550107,x\n'
    assert records(text) == [
        (1, 1, ["Phone", "Note"], None),
        (2, 2, [], None),
        (3, 4, ["2175550142", "two\nlines"], None),
        (5, 5, ["2175550107", "x"], None),
    ]


def test_an_overlong_line_is_rejected_and_reading_goes_on() -> None:
    text = "Phone,Note\n2175550142," + "x" * 500 + "\n2175550107,ok\n"
    read = records(text, limit=100)
    assert read[1][:2] == (2, 2)
    assert read[1][3] == "line longer than 100 characters"
    assert read[2] == (3, 3, ["2175550107", "ok"], None)


def test_a_stray_quote_is_one_bad_record() -> None:
    read = records('Phone,Note\n2175550142,"un"closed\n2175550107,ok\n')
    assert read[1][:3] == (2, 2, [])
    assert read[1][3] == "not readable as CSV: ',' expected after '\"'"
    assert read[2] == (3, 3, ["2175550107", "ok"], None)


def test_a_quote_left_open_names_the_lines_it_swallowed() -> None:
    read = records('Phone,Note\n2175550142,"open\n2175550107,ok\n2175550163,ok\n')
    assert len(read) == 2
    assert read[1][:3] == (2, 4, [])
    assert read[1][3] == (
        "not readable as CSV: unexpected end of data (lines 2-4: a quote left open?)"
    )


def test_records_stream_without_reading_the_whole_file() -> None:
    stream = io.StringIO("Phone,Incident\n" + "2175550142,26-1\n" * 100_000, newline="")
    reader = iter(ExportReader(stream))
    assert [next(reader).cells for _ in range(3)][-1] == ["2175550142", "26-1"]
    # The delimiter sample (50 lines) and a little more: not the 1.6 MB behind them.
    assert stream.tell() < 2_000


# --- column mapping --------------------------------------------------------------------------


def test_headers_compare_without_case_spaces_or_punctuation() -> None:
    assert header_key("Caller Phone #") == header_key("caller_phone") == "callerphone"
    assert header_key("\ufeffIncident No.") == "incidentno"


def test_common_cad_headers_are_recognised() -> None:
    header = ["CAD Number", "Nature Code", "Callback Number", "Badge", "Lang", "Date/Time", "X"]
    columns = map_columns(header, {})
    assert columns.named() == {
        "address": "Callback Number",
        "incident_id": "CAD Number",
        "call_type": "Nature Code",
        "officer_id": "Badge",
        "language": "Lang",
        "occurred_at": "Date/Time",
    }
    assert columns.ignored() == ["X"]


def test_the_most_specific_header_wins() -> None:
    columns = map_columns(["Unit", "Officer ID", "Type", "Call Type", "Mobile", "Phone"], {})
    # "Unit" is the officer's team or precinct, never the officer: Officer ID names them.
    assert columns.named() == {
        "address": "Phone",
        "call_type": "Call Type",
        "officer_id": "Officer ID",
        "unit": "Unit",
    }


def test_overrides_name_columns_exactly_or_loosely_and_can_ignore_a_field() -> None:
    header = ["Tel (primary)", "Evt", "Language", "Phone"]
    overrides = read_overrides(["phone=tel primary", "incident=Evt", "language="])
    columns = map_columns(header, overrides)
    assert columns.named() == {"address": "Tel (primary)", "incident_id": "Evt"}
    assert columns.values(["  2175550142 ", "26-1"]) == {
        "address": "2175550142",
        "incident_id": "26-1",
    }


def test_a_file_without_a_phone_column_is_refused_naming_its_columns() -> None:
    with pytest.raises(ExportError) as caught:
        map_columns(["Incident", "Address", "Unit"], {})
    message = str(caught.value)
    assert "no phone number column" in message
    assert "'Incident', 'Address', 'Unit'" in message
    assert "--map address=COLUMN" in message


def test_an_override_naming_a_missing_column_is_refused() -> None:
    with pytest.raises(ExportError, match=r"no column 'Cell' \(columns found: 'Phone'\)"):
        map_columns(["Phone"], {"language": "Cell"})


@pytest.mark.parametrize(
    ("pair", "message"),
    [("colour=Phone", "unknown field 'colour'"), ("Phone", "is not field=Column Header")],
)
def test_bad_overrides_say_what_is_wrong(pair: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_overrides([pair])


# --- times -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-11-22T14:05:00-05:00", datetime(2026, 11, 22, 19, 5)),
        ("2026-11-22T19:05Z", datetime(2026, 11, 22, 19, 5)),
        ("2026-11-22 14:05", datetime(2026, 11, 22, 19, 5)),
        ("11/22/2026 14:05", datetime(2026, 11, 22, 19, 5)),
        ("11/22/2026 2:05 PM", datetime(2026, 11, 22, 19, 5)),
        ("11/22/2026 2:05pm", datetime(2026, 11, 22, 19, 5)),
        ("11/22/2026 2:05:30 p.m.", datetime(2026, 11, 22, 19, 5, 30)),
        ("2026-11-22 2:05 PM", datetime(2026, 11, 22, 19, 5)),
        ("11/22/26 14:05", datetime(2026, 11, 22, 19, 5)),
        ("11/22/2026 1405", datetime(2026, 11, 22, 19, 5)),
        ("  07/04/2026   9:30 AM ", datetime(2026, 7, 4, 13, 30)),  # summer time: UTC-4
    ],
)
def test_times_are_read_in_the_agency_zone(text: str, utc: datetime) -> None:
    assert parse_moment(text, NEW_YORK, NOW) == utc.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("22/11/2026 14:05", "is not a date and time"),
        ("yesterday", "is not a date and time"),
        ("11/22/2026 25:00", "is not a date and time"),
        ("11/22/2026", "has a date but no time of day"),
        ("2026-11-22", "has a date but no time of day"),
        ("1999-12-31 12:00", "is before 2000"),
        ("11/23/2026 7:06 AM", "is in the future"),
    ],
)
def test_impossible_times_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_moment(text, NEW_YORK, NOW)


def test_a_clock_a_few_minutes_ahead_is_not_the_future() -> None:
    assert parse_moment("11/23/2026 7:04 AM", NEW_YORK, NOW) == datetime(
        2026, 11, 23, 12, 4, tzinfo=UTC
    )


# --- the report ------------------------------------------------------------------------------


def report(**counts: object) -> ImportReport:
    """Build a report of an import into post_contact."""
    base = ImportReport("post_contact", {"address": "Phone"}, [], ",", dry_run=False)
    for name, value in counts.items():
        setattr(base, name, value)
    return base


def test_the_summary_counts_refusals_and_rejections() -> None:
    rejected = [Rejection(n, "phone: missing", None, "…") for n in range(5)]
    done = report(rows=120, refused=Counter(excluded_call_type=3), rejected=rejected)
    assert summary(done) == (
        "120 rows: 115 accepted (3 refused by rule: excluded_call_type), 5 rejected"
    )
    several = report(rows=4, refused=Counter(excluded_call_type=2, opted_out=1), already_imported=1)
    assert summary(several) == (
        "4 rows: 4 accepted (3 refused by rule: 2 excluded_call_type, 1 opted_out; "
        "1 already imported), 0 rejected"
    )


def test_the_description_lists_each_rejected_row() -> None:
    rejected = [Rejection(7, "occurred_at: '13/45' is not a date and time", "26-9", "…42")]
    lines = describe(report(rows=2, rejected=rejected, statuses=Counter(opted_out=1)))
    assert "  line 7 (incident 26-9, phone …42): occurred_at: '13/45' is not a date" in "\n".join(
        lines
    )
    assert "surveys: 1 opted out" in lines
    assert lines[-1] == "1 row rejected (listed above); the other 1 were imported."
