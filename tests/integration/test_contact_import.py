"""`python -m bot contacts import`: a dispatch export in, surveys and a row-by-row report out.

Run on SQLite and the real PostgreSQL, with Twilio as a local stand-in. Most tests hand the
command a runtime on the test clock (as click's context object); one runs it from the
environment like an operator would. Each test uses its own area code and incident ids, so the
shared PostgreSQL schema needs no cleaning.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from bot.cli.main import main
from storage.contact_cipher import address_context
from storage.db import make_engine
from storage.models import Base, Contact, Conversation, Respondent
from tests.standins import TwilioStandIn
from tests.support import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, cipher_for_tests

if TYPE_CHECKING:
    from bot.services.runtime import Runtime

HEADER = "Incident Number,Call Type,Caller Phone,Officer,Language,Cleared At"


def _in_the_us(area: int) -> bool:
    """Say whether a North American area code is a United States one."""
    import phonenumbers

    number = phonenumbers.parse(f"+1{area}2345678", None)
    return phonenumbers.region_code_for_number(number) == "US"


class Data:
    """Phone numbers and incident ids of one test: 555-01xx numbers in a random area code."""

    def __init__(self) -> None:
        # 600-899: clear of the 212/213 and 555 area codes other tests draw numbers from; and in
        # the United States, since a number from Puerto Rico (787) is greeted in Spanish.
        self.area = 600 + secrets.randbelow(300)
        while not _in_the_us(self.area):
            self.area = 600 + secrets.randbelow(300)
        self.tag = secrets.token_hex(3)

    def phone(self, n: int) -> str:
        """Return a number as a dispatcher types it."""
        return f"({self.area}) 555-01{n:02d}"

    def e164(self, n: int) -> str:
        """Return the number as Parley stores it."""
        return f"+1{self.area}55501{n:02d}"

    def incident(self, n: int) -> str:
        """Return an incident id unique to this test."""
        return f"26-{self.tag}-{n}"


@pytest.fixture()
def data() -> Data:
    """Return this test's numbers and incident ids."""
    return Data()


def run_import(
    rt: Runtime | None, path: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run `python -m bot contacts import PATH ARGS`; return the exit code and the output."""
    result = CliRunner().invoke(main, ["contacts", "import", str(path), *args], obj=rt, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def write(tmp_path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    """Write an export file."""
    path = tmp_path / f"export-{secrets.token_hex(2)}.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def contacts(url: str, data: Data) -> dict[str, tuple[Contact, Conversation, Respondent]]:
    """Return this test's stored contacts by incident id, with their survey and resident."""
    engine = make_engine(url)
    query = (
        sa.select(Contact, Conversation, Respondent)
        .join(Conversation, Conversation.contact_id == Contact.id)
        .join(Respondent, Respondent.id == Contact.respondent_id)
        .where(Contact.incident_id.like(f"26-{data.tag}-%"))
    )
    try:
        with engine.connect() as conn, sa.orm.Session(conn) as session:
            rows = session.execute(query).all()
    finally:
        engine.dispose()
    cipher = cipher_for_tests()  # the address is stored sealed: open it as the app would
    for _, _, who in rows:
        who.reveal(cipher.open(who.address_enc, address_context(who.channel, who.address_hash)))
    return {c.incident_id or "": (c, survey, who) for c, survey, who in rows}


def table_counts(url: str) -> dict[str, int]:
    """Count the rows of every table Parley has."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_every_row_is_imported_or_rejected_with_its_line_and_reason(
    rt: Runtime, database_url: str, data: Data, tmp_path: Path
) -> None:
    p, i = data.phone, data.incident
    path = write(
        tmp_path,
        [
            HEADER,
            f"{i(1)},Traffic Stop,{p(1)},A123,,11/02/2026 8:30 AM",
            f"{i(2)},Theft,{p(2)},B456,Spanish,2026-11-02 08:45",
            f"{i(3)},Theft,,B456,,11/02/2026 8:45 AM",
            f"{i(4)},Theft,555-01,B456,,11/02/2026 8:45 AM",
            f"{i(5)},Theft,{p(5)},B456,,13/45/2026 8:45",
            f"{i(6)},Theft,{p(6)},B456,,11/03/2026 8:45 AM",
            f"{i(1)},Traffic Stop,{p(1)},A124,,11/02/2026 8:31 AM",
            f"{'9' * 70},Theft,{p(7)},B456,,11/02/2026 8:45 AM",
            f"{i(8)},Theft,{p(8)},B456,Klingon,11/02/2026 8:45 AM",
            f"{i(9)},Theft,{p(9)},B456,,11/02/2026",
            f"{i(10)},Theft,{p(10)},B456,,11/02/2026 8:45 AM,extra",
            "",
            f'{i(11)},"Theft, bicycle",{p(11)},B456,vi,11/02/2026 9:00 AM',
        ],
    )
    code, out = run_import(rt, path)
    assert code == 1, out
    assert "12 rows: 3 accepted, 9 rejected" in out
    expected = [
        f"line 4 (incident {i(3)}, phone …): phone: missing",
        f"line 5 (incident {i(4)}, phone …01): phone: not a possible phone number",
        f"line 6 (incident {i(5)}, phone …05): occurred_at: '13/45/2026 8:45' is not a date",
        f"line 7 (incident {i(6)}, phone …06): occurred_at: '11/03/2026 8:45 AM' is in the future",
        f"line 8 (incident {i(1)}, phone …01): repeats line 2 (same incident and phone number)",
        f"line 9 (incident {'9' * 64}…, phone …07): incident_id: longer than 64 characters",
        f"line 10 (incident {i(8)}, phone …08): language: 'Klingon' is not offered (en, es,",
        f"line 11 (incident {i(9)}, phone …09): occurred_at: '11/02/2026' has a date but no time",
        f"line 12 (incident {i(10)}, phone …10): 7 cells but the header names 6",
    ]
    for line in expected:
        assert line in out
    assert "the other 3 were imported" in out
    for n in range(1, 12):
        assert data.phone(n)[1:] not in out and data.e164(n)[2:] not in out
    stored = contacts(database_url, data)
    assert sorted(stored) == [i(1), i(11), i(2)]
    assert stored[i(2)][1].language == "es" and stored[i(11)][1].language == "vi"
    assert stored[i(11)][0].call_type == "Theft, bicycle"
    assert stored[i(1)][2].address == data.e164(1)


def test_excluded_call_types_are_refused_by_rule_not_rejected(
    rt: Runtime, database_url: str, data: Data, tmp_path: Path, twilio: TwilioStandIn
) -> None:
    p, i = data.phone, data.incident
    path = write(
        tmp_path,
        [
            HEADER,
            f"{i(1)},DV,{p(1)},A123,,11/02/2026 8:30 AM",
            f"{i(2)},Domestic Violence - Follow Up,{p(2)},A123,,11/02/2026 8:40 AM",
            f"{i(3)},Traffic Stop,{p(3)},A123,,11/02/2026 8:50 AM",
        ],
    )
    code, out = run_import(rt, path)
    assert code == 0, out
    assert "3 rows: 3 accepted (2 refused by rule: excluded_call_type), 0 rejected" in out
    assert "All 3 rows imported." in out
    stored = contacts(database_url, data)
    for n in (1, 2):
        assert stored[i(n)][1].status == "refused"
        assert stored[i(n)][1].refusal_reason == "excluded_call_type"
        assert twilio.bodies_to(data.e164(n)) == []
    assert stored[i(3)][1].status in {"active", "scheduled"}


def test_a_semicolon_separated_windows_export_is_read(
    rt: Runtime, database_url: str, data: Data, tmp_path: Path
) -> None:
    p, i = data.phone, data.incident
    lines = [
        "Event Number;Nature;Callback Number;Badge;Date Time",
        f"{i(1)};Disturbance – Loud Music;{p(1)};Peña;11/02/2026 08:30",
        f"{i(2)};Theft;{p(2)};Müller;11/02/2026 08:45",
    ]
    code, out = run_import(rt, write(tmp_path, lines, "cp1252"), "--json")
    assert code == 0, out
    report = json.loads(out)
    assert (report["encoding"], report["delimiter"]) == ("cp1252", ";")
    assert report["columns"]["address"] == "Callback Number"
    assert (report["rows"], report["accepted"], report["rejected"]) == (2, 2, [])
    stored = contacts(database_url, data)
    assert stored[i(1)][0].officer_id == "Peña"
    assert stored[i(1)][0].call_type == "Disturbance – Loud Music"
    assert stored[i(2)][0].officer_id == "Müller"


def test_a_mapping_file_and_map_options_choose_the_columns(
    rt: Runtime, database_url: str, data: Data, tmp_path: Path
) -> None:
    p, i = data.phone, data.incident
    lines = [
        "\ufeffTel (primary),Evt,Disp Code,Emp,Clr Dt,Phone,Language",
        f"{p(1)},{i(1)},Traffic Stop,E-77,2026-11-02 08:30,(217) 555-0199,Klingon",
    ]
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "address: Tel (primary)\nincident: evt\ncall_type: Disp Code\n"
        "occurred_at: Clr Dt\nlanguage:\n",
        encoding="utf-8",
    )
    code, out = run_import(
        rt, write(tmp_path, lines), "--mapping", str(mapping), "--map", "officer_id=Emp"
    )
    assert code == 0, out
    assert "address ← 'Tel (primary)'" in out and "officer_id ← 'Emp'" in out
    assert "ignored columns: 'Phone', 'Language'" in out
    contact, conversation, respondent = contacts(database_url, data)[i(1)]
    assert respondent.address == data.e164(1)
    assert (contact.officer_id, contact.call_type) == ("E-77", "Traffic Stop")
    assert contact.occurred_at.isoformat() == "2026-11-02T13:30:00+00:00"
    assert conversation.language == "en"


@pytest.mark.parametrize(
    ("lines", "args", "message"),
    [
        (["Incident,Address,Unit", "26-1,1 Main St,A1"], (), "no phone number column"),
        (["Phone,Unit", "2175550101,A1"], ("--map", "officer_id=Badge"), "no column 'Badge'"),
        (["Phone,Unit", "2175550101,A1"], ("--flow", "nope"), "no flow 'nope'"),
        ([], (), "the file is empty"),
    ],
)
def test_a_file_that_cannot_be_mapped_is_refused_whole(
    rt: Runtime,
    database_url: str,
    tmp_path: Path,
    lines: list[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    before = table_counts(database_url)
    code, out = run_import(rt, write(tmp_path, lines), *args)
    assert code == 2, out
    assert "refused, nothing imported" in out and message in out
    assert table_counts(database_url) == before


def test_the_refusal_names_the_columns_found(rt: Runtime, tmp_path: Path) -> None:
    path = write(tmp_path, ["Incident,Address,Unit", "26-1,1 Main St,A1"])
    code, out = run_import(rt, path, "--json")
    assert code == 2
    refused = json.loads(out)["refused"]
    assert "columns found: 'Incident', 'Address', 'Unit'" in refused
    assert "--map address=COLUMN" in refused


def test_an_undecodable_file_is_refused(rt: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"Phone,Unit\n2175550101,\x81\x8d\n")
    code, out = run_import(rt, path)
    assert code == 2
    assert "not text in UTF-8 or Windows-1252" in out


def test_a_bad_map_option_is_a_usage_error(rt: Runtime, tmp_path: Path) -> None:
    path = write(tmp_path, ["Phone", "2175550101"])
    code, out = run_import(rt, path, "--map", "colour=Phone")
    assert code == 2 and "unknown field 'colour'" in out


def test_a_dry_run_checks_every_row_and_writes_nothing(
    rt: Runtime, database_url: str, data: Data, tmp_path: Path, twilio: TwilioStandIn
) -> None:
    p, i = data.phone, data.incident
    path = write(
        tmp_path,
        [
            HEADER,
            f"{i(1)},Traffic Stop,{p(1)},A123,,11/02/2026 8:30 AM",
            f"{i(2)},DV,{p(2)},A123,,11/02/2026 8:30 AM",
            f"{i(3)},Theft,{p(3)},A123,es,11/02/2026 8:30 AM",
            f"{i(4)},Theft,{p(4)},A123,,tomorrow",
        ],
    )
    before = table_counts(database_url)
    code, out = run_import(rt, path, "--dry-run")
    assert code == 1, out
    assert "dry run: 4 rows: 3 accepted (1 refused by rule: excluded_call_type), 1 rejected" in out
    assert f"line 5 (incident {i(4)}, phone …04): occurred_at: 'tomorrow'" in out
    assert "surveys: 2 would start, 1 refused" in out
    assert "Dry run: nothing was written (3 of 4 rows would be imported)." in out
    assert table_counts(database_url) == before
    assert twilio.sent == []


def test_importing_a_file_again_surveys_nobody_twice(
    rt: Runtime, database_url: str, data: Data, tmp_path: Path
) -> None:
    p, i = data.phone, data.incident
    path = write(
        tmp_path,
        [
            HEADER,
            f"{i(1)},Traffic Stop,{p(1)},A123,,11/02/2026 8:30 AM",
            f"{i(2)},DV,{p(2)},A123,,11/02/2026 8:30 AM",
        ],
    )
    code, out = run_import(rt, path)
    assert code == 0, out
    first = table_counts(database_url)
    code, out = run_import(rt, path)
    assert code == 0, out
    assert "2 rows: 2 accepted (2 already imported), 0 rejected" in out
    assert table_counts(database_url)["conversations"] == first["conversations"]
    assert table_counts(database_url)["contacts"] == first["contacts"]


def test_the_json_report_lists_rejected_rows_without_phone_numbers(
    rt: Runtime, data: Data, tmp_path: Path
) -> None:
    p, i = data.phone, data.incident
    path = write(
        tmp_path,
        [HEADER, f"{i(1)},Theft,{p(1)},A1,,11/02/2026 8:30 AM", f"{i(2)},Theft,{p(2)},A1,,never"],
    )
    code, out = run_import(rt, path, "--json")
    assert code == 1
    report = json.loads(out)
    assert (report["rows"], report["accepted"]) == (2, 1)
    assert report["rejected"] == [
        {
            "line": 3,
            "reason": "occurred_at: 'never' is not a date and time "
            "(write 2026-11-22 14:05 or 11/22/2026 2:05 PM)",
            "incident_id": i(2),
            "phone": "…02",
        }
    ]


class BrokenUnitOfWork:
    """A database that has gone away: every unit of work fails to open."""

    def __enter__(self) -> BrokenUnitOfWork:
        raise ConnectionError("database is gone")

    def __exit__(self, *exc: object) -> None:
        """Nothing to release."""


def test_an_import_stops_when_every_row_fails_to_be_stored(
    rt: Runtime, data: Data, tmp_path: Path
) -> None:
    lines = [HEADER] + [
        f"{data.incident(n)},Theft,{data.phone(n)},A1,,11/02/2026 8:30 AM" for n in range(1, 16)
    ]
    broken = dataclasses.replace(rt, uow=BrokenUnitOfWork)
    code, out = run_import(broken, write(tmp_path, lines))
    assert code == 2, out
    assert "10 rows: 0 accepted, 10 rejected" in out
    assert f"line 2 (incident {data.incident(1)}, phone …01): could not be stored" in out
    assert "stopped at line 11: the last 10 rows failed (ConnectionError); the 0 acc" in out


def test_the_command_runs_from_the_environment(
    database_url: str, twilio: TwilioStandIn, data: Data, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    path = write(tmp_path, ["Phone,Incident", f"{data.phone(1)},{data.incident(1)}"])
    code, out = run_import(None, path, env=env)
    assert code == 2 and "SMS is not configured" in out
    twilio_env = {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_BASE_URL": twilio.url,
    }
    code, out = run_import(None, path, env={**env, **twilio_env})
    assert code == 0, out
    assert "1 row: 1 accepted, 0 rejected" in out
    assert [*contacts(database_url, data)] == [data.incident(1)]


def test_an_export_can_be_surveyed_on_whatsapp_with_its_template(
    database_url: str, twilio: TwilioStandIn, data: Data, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE_URL": twilio.url,
    }
    path = write(tmp_path, ["Phone,Incident", f"{data.phone(1)},{data.incident(1)}"])
    code, out = run_import(None, path, "--channel", "whatsapp", env=env)
    assert code == 2 and "whatsapp is not configured" in out
    env["WHATSAPP_FROM"] = "+15005550007"
    code, out = run_import(None, path, "--channel", "whatsapp", env=env)
    assert code == 1 and "only with an approved template" in out, out
    assert [*contacts(database_url, data)] == []
    code, out = run_import(
        None, path, "--channel", "whatsapp", env={**env, "WHATSAPP_TEMPLATE_SID": "HX1"}
    )
    assert code == 0, out
    [(_, _, respondent)] = contacts(database_url, data).values()
    assert (respondent.channel, respondent.address) == ("whatsapp", data.e164(1))
