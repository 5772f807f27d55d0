"""Routing by call type: the API, the CSV import, cards and the CLI start the routed flow."""

from __future__ import annotations

import io
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from bot.cli.main import main
from bot.services.dispatch_import.importer import ImportOptions, import_contacts
from bot.services.flow_admin import FlowAdminError
from bot.services.flow_routes import flow_for, read_routes, remove_route, set_route
from storage.db import make_engine
from storage.models import Contact, Conversation
from tests.integration.scheduling.conftest import new_york
from tests.translation_samples import ROOT

if TYPE_CHECKING:
    from bot.services.runtime import Runtime

TRAFFIC = "traffic_survey"


@pytest.fixture()
def flows_dir(tmp_path: Path) -> Path:
    """Ship the default flow and a second one for traffic stops, with keywords of its own."""
    directory = tmp_path / "flows"
    directory.mkdir()
    shutil.copy(ROOT / "flows" / "post_contact.yaml", directory)
    source = (ROOT / "flows" / "post_contact.yaml").read_text(encoding="utf-8")
    traffic = source.replace("id: post_contact", f"id: {TRAFFIC}", 1)
    traffic = traffic.replace("[SURVEY]", "[TRAFFIC]").replace("[ENCUESTA]", "[TRAFICO]")
    (directory / f"{TRAFFIC}.yaml").write_text(traffic, encoding="utf-8")
    return directory


@pytest.fixture()
def database(tmp_path: Path) -> str:
    """Return the URL of this test's own SQLite database."""
    return f"sqlite:///{tmp_path / 'routes.db'}"


@pytest.fixture()
def app(make_app: Callable[..., Flask], database: str, flows_dir: Path) -> Flask:
    """Return the app with both flows, on the test's own database."""
    return make_app(database, flows_dir=flows_dir)


@pytest.fixture()
def rt(app: Flask) -> Runtime:
    """Return the app's runtime."""
    runtime: Runtime = app.extensions["parley.runtime"]
    return runtime


def _flows_started(database: str) -> dict[str, str]:
    """Return each stored contact's call type with the flow its survey started."""
    engine = make_engine(database)
    query = sa.select(Contact.call_type, Conversation.flow_id).join(
        Conversation, Conversation.contact_id == Contact.id
    )
    try:
        with engine.connect() as connection:
            return {
                str(call_type): str(flow_id) for call_type, flow_id in connection.execute(query)
            }
    finally:
        engine.dispose()


def test_a_route_is_kept_under_the_call_type_as_the_send_rules_spell_it(rt: Runtime) -> None:
    assert set_route(rt, "Traffic Stop", TRAFFIC, by="admin@example.org") == "traffic_stop"
    assert flow_for(rt, "TRAFFIC-STOP") == TRAFFIC
    assert flow_for(rt, "noise complaint") == "post_contact"  # DEFAULT_FLOW
    routes = read_routes(rt)
    assert (routes.default, routes.default_from_settings) == ("post_contact", True)
    assert routes.by_call_type == {"traffic_stop": TRAFFIC}

    set_route(rt, "*", TRAFFIC)
    assert flow_for(rt, "noise complaint") == TRAFFIC and not read_routes(rt).default_from_settings
    assert remove_route(rt, "traffic stop") and not remove_route(rt, "traffic stop")
    with pytest.raises(FlowAdminError, match="no live flow 'nosuch'"):
        set_route(rt, "burglary", "nosuch")


def test_the_api_starts_the_routed_flow_unless_one_is_named(
    client: FlaskClient, api_token: str, rt: Runtime, database: str
) -> None:
    set_route(rt, "traffic_stop", TRAFFIC)
    headers = {"Authorization": f"Bearer {api_token}"}
    for call_type, flow in (
        ("Traffic Stop", None),
        ("welfare check", None),
        ("pursuit", "post_contact"),
    ):
        payload = {"channel": "sms", "address": new_york(), "call_type": call_type}
        if flow:
            payload["flow"] = flow
        response = client.post("/api/v1/surveys", json=payload, headers=headers)
        assert response.status_code == 201, response.get_json()
    set_route(rt, "pursuit", TRAFFIC)  # a named flow wins over the route
    bad = client.post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": new_york(), "flow": ""},
        headers=headers,
    )
    assert bad.status_code == 400
    assert _flows_started(database) == {
        "Traffic Stop": TRAFFIC,
        "welfare check": "post_contact",
        "pursuit": "post_contact",
    }


def test_an_import_without_a_flow_routes_each_row_by_its_call_type(
    rt: Runtime, database: str
) -> None:
    set_route(rt, "traffic_stop", TRAFFIC)
    rows = [
        "phone,incident,call type",
        f"{new_york()},I-{secrets.token_hex(3)},Traffic stop",
        f"{new_york()},I-{secrets.token_hex(3)},Noise complaint",
    ]
    report = import_contacts(rt, io.StringIO("\n".join(rows) + "\n"), ImportOptions())
    assert not report.rejected, report.rejected
    assert _flows_started(database) == {"Traffic stop": TRAFFIC, "Noise complaint": "post_contact"}


def test_the_cli_sets_and_shows_routes(rt: Runtime) -> None:
    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, ["flows", *args], obj=rt)
        return result.exit_code, result.output

    assert run("route", "Traffic Stop", TRAFFIC) == (0, f"traffic_stop -> {TRAFFIC}\n")
    assert run("route", "*", TRAFFIC) == (0, f"default -> {TRAFFIC}\n")
    code, output = run("routes")
    assert code == 0 and output == f"default -> {TRAFFIC}\ntraffic_stop -> {TRAFFIC}\n"
    code, output = run("route", "burglary", "nosuch")
    assert code == 1 and "no live flow 'nosuch'" in output
    assert run("unroute", "*") == (0, "route removed\n")
    assert run("routes")[1].startswith("default -> post_contact (DEFAULT_FLOW setting)")
    from bot.services.audit import audit_page
    from storage.queries import AuditFilter

    found = audit_page(rt.admin, AuditFilter(action="route_changed"), 1).entries
    assert [(e.subject, e.detail) for e in found] == [
        ("*", "route removed"),
        ("*", f"to flow {TRAFFIC}"),
        ("traffic_stop", f"to flow {TRAFFIC}"),
    ]
    assert all(e.actor.startswith("command line") for e in found)
