"""A dispatch export with several call-type columns: any of them naming an excluded type refuses
the row, the report names the column, and a re-import after reclassification cancels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.services.runtime import Runtime
from tests.integration.test_contact_import import Data, contacts, run_import, write
from tests.standins import TwilioStandIn

if TYPE_CHECKING:
    pass


@pytest.fixture()
def data() -> Data:
    """Return this test's numbers and incident ids."""
    return Data()


@pytest.mark.parametrize(
    ("first", "second", "dv", "death"),
    [
        ("Call Type", "Final Call Type", "DV", "Death Notification"),
        ("Nature", "Disposition", "Domestic Violence – Report Taken", "DOA"),
    ],
)
def test_any_call_type_column_naming_an_excluded_type_refuses_the_row(
    rt: Runtime,
    database_url: str,
    data: Data,
    tmp_path: Path,
    twilio: TwilioStandIn,
    first: str,
    second: str,
    dv: str,
    death: str,
) -> None:
    p, i = data.phone, data.incident
    path = write(
        tmp_path,
        [
            f"Incident Number,{first},{second},Caller Phone,Cleared At",
            f"{i(1)},Disturbance,{dv},{p(1)},11/02/2026 8:30 AM",
            f"{i(2)},Welfare Check,{death},{p(2)},11/02/2026 8:40 AM",
            f"{i(3)},Alarm,Alarm,{p(3)},11/02/2026 8:50 AM",
        ],
    )
    code, out = run_import(rt, path)
    assert code == 0, out
    assert f"also checked for excluded call types: '{second}'" in out
    assert "3 rows: 3 accepted (2 refused by rule: excluded_call_type), 0 rejected" in out
    assert f"excluded call types found in: '{second}' (2)" in out
    stored = contacts(database_url, data)
    for n, written in ((1, dv), (2, death)):
        contact, survey, _ = stored[i(n)]
        assert (survey.status, survey.refusal_reason) == ("refused", "excluded_call_type")
        assert contact.call_type == written  # the record shows why
        assert twilio.bodies_to(data.e164(n)) == []
    assert stored[i(3)][1].status in {"active", "scheduled"}


def test_a_dry_run_foresees_every_call_type_column_and_names_it(
    rt: Runtime, data: Data, tmp_path: Path
) -> None:
    p, i = data.phone, data.incident
    path = write(
        tmp_path,
        [
            "Incident Number,Call Type,Final Call Type,Caller Phone,Cleared At",
            f"{i(1)},DV,Disturbance,{p(1)},11/02/2026 8:30 AM",
            f"{i(2)},Disturbance,D/V,{p(2)},11/02/2026 8:40 AM",
            f"{i(3)},Alarm,,{p(3)},11/02/2026 8:50 AM",
        ],
    )
    code, out = run_import(rt, path, "--dry-run", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["refused_by_rule"] == {"excluded_call_type": 2}
    assert report["excluded_call_type_by_column"] == {"Call Type": 1, "Final Call Type": 1}
    assert report["call_type_columns"] == ["Final Call Type"]
    assert report["ignored_columns"] == []


def test_importing_again_after_reclassification_cancels_the_survey(
    rt: Runtime, database_url: str, data: Data, tmp_path: Path, twilio: TwilioStandIn
) -> None:
    p, i = data.phone, data.incident
    header = "Incident Number,Call Type,Final Call Type,Caller Phone"
    before = write(tmp_path, [header, f"{i(1)},Disturbance,,{p(1)}"])
    after = write(tmp_path, [header, f"{i(1)},Disturbance,Domestic Violence,{p(1)}"])
    assert run_import(rt, before)[0] == 0
    # These tests' policy sends at once: the first text has gone, the survey is under way.
    assert contacts(database_url, data)[i(1)][1].status == "active"
    assert len(twilio.bodies_to(data.e164(1))) == 1

    code, out = run_import(rt, after)

    assert code == 0, out
    assert "cancelled 1 survey imported before: the call type is now excluded" in out
    assert "excluded call types found in: 'Final Call Type' (1)" in out
    contact, survey, _ = contacts(database_url, data)[i(1)]
    assert (survey.status, survey.refusal_reason) == ("refused", "excluded_call_type")
    assert contact.call_type == "Domestic Violence"
    assert len(twilio.bodies_to(data.e164(1))) == 1  # nothing after the cancel


def test_call_type_columns_are_read_whatever_map_says(
    rt: Runtime, data: Data, tmp_path: Path
) -> None:
    p, i = data.phone, data.incident
    path = write(
        tmp_path,
        [
            "Incident Number,Call Type,Final Call Type,Caller Phone",
            f"{i(1)},Dom Viol,Disturbance,{p(1)}",
        ],
    )
    code, out = run_import(rt, path, "--dry-run", "--json", "--map", "call_type=Final Call Type")
    assert code == 0, out
    report = json.loads(out)
    assert report["columns"]["call_type"] == "Final Call Type"
    assert report["excluded_call_type_by_column"] == {"Call Type": 1}


def test_incident_numbers_are_compared_folded_and_invisible_characters_refused(
    rt: Runtime, data: Data, tmp_path: Path
) -> None:
    p, i = data.phone, data.incident
    path = write(
        tmp_path,
        [
            "Incident Number,Call Type,Caller Phone",
            f"R{i(1)},Alarm,{p(1)}",
            f"r{i(1)},Alarm,{p(1)}",
            f"R{i(2)}\u200b,Alarm,{p(2)}",
        ],
    )
    code, out = run_import(rt, path, "--dry-run")
    assert code == 1, out
    assert f"line 3 (incident r{i(1)}, phone …01): repeats line 2" in out
    assert "line 4" in out and "incident_id: must not contain invisible formatting" in out
