"""The flows list: each flow's live version, its languages' completeness, surveys running."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tests.translation_samples import FLOW, changed, shipped_locales, write
from tests.web.admin_pages import page_text, signed_in
from tests.web.helpers import random_number


@pytest.fixture()
def app(make_app: Callable[..., Flask], own_database_url: str, tmp_path: Path) -> Flask:
    """Return the app on a database of its own, with the tiny flow and a machine draft of it."""
    flows = tmp_path / "flows"
    write(flows, "tiny.yaml", FLOW)
    draft = changed("machine: false", "machine: true", changed('    text: "Tại sao?"\n', ""))
    write(flows, "tiny.vi.yaml", draft)
    return make_app(
        own_database_url,
        flows_dir=flows,
        locales_dir=shipped_locales(tmp_path / "locales"),
        default_flow="tiny",
    )


def test_the_list_shows_versions_languages_and_running_surveys(app: Flask) -> None:
    before = page_text(signed_in(app, "supervisor").get("/admin/flows"))
    assert ">tiny</a></th>" in before and "Version 1" in before
    assert "English</span> (en, base):" in before
    assert "machine draft, not offered until reviewed" in before
    row = before.split('id="flow-tiny"')[1]
    assert "None" in row.split("</tr>")[0]  # no survey running yet

    from bot.services.tokens import create_token

    rt = app.extensions["parley.runtime"]
    api_token = create_token(rt.uow, "cad", rt.clock())
    client = app.test_client()
    for _ in range(2):
        started = client.post(
            "/api/v1/surveys",
            json={"channel": "sms", "address": random_number(), "flow": "tiny"},
            headers={"Authorization": f"Bearer {api_token}"},
        )
        assert started.status_code == 201, started.get_json()
    after = page_text(signed_in(app, "admin").get("/admin/flows"))
    assert "Version 1:\n            2 in progress, 0 waiting to start" in after


def test_an_edited_translation_file_shows_at_the_next_look(app: Flask) -> None:
    supervisor = signed_in(app, "supervisor")
    assert "machine draft" in page_text(supervisor.get("/admin/flows"))
    flows = app.extensions["parley.settings"].flows_dir
    reviewed = changed('    text: "Tại sao?"\n', "")  # a person's file, one text missing
    write(flows, "tiny.vi.yaml", reviewed)
    page = page_text(supervisor.get("/admin/flows"))
    assert "machine draft" not in page
    assert "Tiếng Việt</span> (vi):" in page and "1 text missing" in page
