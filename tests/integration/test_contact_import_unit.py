"""`contacts import`: a Unit column is the officer's team or precinct, a call sign the officer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from tests.integration.test_contact_import import Data, contacts, run_import, write

if TYPE_CHECKING:
    from bot.services.runtime import Runtime


def test_a_unit_column_is_stored_as_the_unit_beside_the_officer(
    rt: Runtime, database_url: str, tmp_path: Path
) -> None:
    data = Data()
    p, i = data.phone, data.incident
    lines = [
        "Incident Number,Caller Phone,Officer,Unit,Cleared At",
        f"{i(1)},{p(1)},A123,North Precinct,11/02/2026 8:30 AM",
        f"{i(2)},{p(2)},B456,,11/02/2026 8:30 AM",
        f"{i(3)},{p(3)},B456,{'N' * 65},11/02/2026 8:30 AM",
    ]
    code, out = run_import(rt, write(tmp_path, lines), "--json")

    assert code == 1, out  # a row was rejected
    report = json.loads(out)
    assert report["columns"]["officer_id"] == "Officer"
    assert report["columns"]["unit"] == "Unit"
    [rejected] = report["rejected"]
    assert "unit: longer than 64 characters" in rejected["reason"]
    stored = contacts(database_url, data)
    assert (stored[i(1)][0].officer_id, stored[i(1)][0].unit) == ("A123", "North Precinct")
    assert (stored[i(2)][0].officer_id, stored[i(2)][0].unit) == ("B456", None)
    assert i(3) not in stored


def test_a_call_sign_column_is_still_the_officer(
    rt: Runtime, database_url: str, tmp_path: Path
) -> None:
    data = Data()
    p, i = data.phone, data.incident
    lines = ["Incident,Phone,Primary Unit,Precinct", f"{i(1)},{p(1)},2A12,Fifth"]
    code, out = run_import(rt, write(tmp_path, lines), "--json")

    assert code == 0, out
    assert json.loads(out)["columns"] == {
        "address": "Phone",
        "incident_id": "Incident",
        "officer_id": "Primary Unit",
        "unit": "Precinct",
    }
    [(contact, _, _)] = contacts(database_url, data).values()
    assert (contact.officer_id, contact.unit) == ("2A12", "Fifth")


def test_map_names_the_unit_column(rt: Runtime, database_url: str, tmp_path: Path) -> None:
    data = Data()
    p, i = data.phone, data.incident
    lines = ["Incident,Phone,Badge,Beat", f"{i(1)},{p(1)},A9,East"]
    code, out = run_import(rt, write(tmp_path, lines), "--map", "unit=Beat")

    assert code == 0, out
    assert "unit ← 'Beat'" in out
    [(contact, _, _)] = contacts(database_url, data).values()
    assert (contact.officer_id, contact.unit) == ("A9", "East")
