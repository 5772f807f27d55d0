"""The translation grid page: roles, CSRF, saving a column, languages, machine drafts, badges."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.standins import LibreStandIn, libre_standin
from tests.translation_samples import FLOW, shipped_locales, write
from tests.web.admin_pages import audit_rows, page_text, post_form, signed_in

GRID = "/admin/flows/tiny/draft/translations"


@pytest.fixture()
def libre() -> Iterator[LibreStandIn]:
    """Serve a LibreTranslate stand-in."""
    with libre_standin() as standin:
        yield standin


@pytest.fixture()
def app(
    make_app: Callable[..., Flask], own_database_url: str, tmp_path: Path, libre: LibreStandIn
) -> Flask:
    """Return the app with the tiny flow (en, es), three locales and the translator stand-in."""
    flows = tmp_path / "flows"
    write(flows, "tiny.yaml", FLOW)
    return make_app(
        own_database_url,
        flows_dir=flows,
        locales_dir=shipped_locales(tmp_path / "locales", ("en", "es", "vi", "ar")),
        default_flow="tiny",
        translator="libre",
        translator_url=libre.url,
    )


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("officer", 403), ("admin", 200)])
def test_who_may_open_the_grid(app: Flask, role: str | None, status: int) -> None:
    assert signed_in(app, role).get(GRID).status_code == status


def test_a_flow_that_is_not_there_is_a_404(app: Flask) -> None:
    missing = signed_in(app, "admin").get("/admin/flows/nope/draft/translations")
    assert missing.status_code == 404 and "no flow 'nope'" in page_text(missing)


def test_a_supervisor_reads_the_draft_but_changes_nothing(app: Flask) -> None:
    signed_in(app, "admin").get(GRID)  # an admin opens the draft
    supervisor = signed_in(app, "supervisor")
    page = page_text(supervisor.get(GRID))
    assert "¿Qué tal?" in page and "<textarea" not in page
    denied = post_form(supervisor, f"{GRID}/es", {"nodes.1.text": "x"}, token_from=GRID)
    assert denied.status_code == 403


def test_saving_a_column_needs_a_csrf_token_and_is_audited(app: Flask) -> None:
    admin = signed_in(app, "admin")
    page = page_text(admin.get(GRID))
    assert "GSM-7, 1 segment" in page and "UCS-2, 1 segment" in page  # ¿Qué tal? / ¿Algo más? (á)
    assert admin.post(f"{GRID}/es", data={"nodes.1.text": "x"}).status_code == 400
    saved = post_form(admin, f"{GRID}/es", {"nodes.1.text": "¿Cómo fue?"}, token_from=GRID)
    assert saved.status_code == 303
    page = page_text(admin.get(GRID))
    assert "¿Cómo fue?" in page and "Saved in es: 1 text." in page
    assert audit_rows(app, "flow_draft_saved")[0][2:] == (
        "tiny",
        "translations: es, texts edited: 1",
    )


def test_a_language_is_added_machine_drafted_approved_and_removed(
    app: Flask, libre: LibreStandIn
) -> None:
    admin = signed_in(app, "admin")
    added = post_form(admin, f"{GRID}/languages", {"language": "ar"}, token_from=GRID)
    assert added.status_code == 303
    page = page_text(admin.get(GRID))
    assert 'lang="ar" dir="rtl"' in page and page.count("Missing<span") >= 9
    drafted = post_form(admin, f"{GRID}/ar/machine", {}, token_from=GRID)
    assert drafted.status_code == 303 and libre.calls
    page = page_text(admin.get(GRID))
    assert "[en>ar] How was it?" in page and "Machine draft: not offered until approved" in page
    approved = post_form(admin, f"{GRID}/ar/approve", {}, token_from=GRID)
    assert approved.status_code == 303
    assert "Machine draft: not offered" not in page_text(admin.get(GRID))
    again = post_form(admin, f"{GRID}/ar/approve", {}, token_from=GRID)
    assert again.status_code == 400 and "not a machine draft" in page_text(again)
    assert "Remove ar from the draft" in page_text(admin.get(f"{GRID}/ar/remove"))
    assert admin.get(f"{GRID}/ko/remove").status_code == 404
    removed = post_form(admin, f"{GRID}/ar/remove", {}, token_from=GRID)
    assert (
        removed.status_code == 303 and "(ar)" not in page_text(admin.get(GRID)).split("<select")[0]
    )
    base = post_form(admin, f"{GRID}/en/remove", {}, token_from=GRID)
    assert base.status_code == 400 and "base language cannot be removed" in page_text(base)


def test_without_a_translator_machine_drafting_says_why(
    make_app: Callable[..., Flask], own_database_url: str, tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    write(flows, "tiny.yaml", FLOW)
    app = make_app(
        own_database_url,
        flows_dir=flows,
        locales_dir=shipped_locales(tmp_path / "locales"),
        default_flow="tiny",
    )
    admin = signed_in(app, "admin")
    post_form(admin, f"{GRID}/languages", {"language": "vi"}, token_from=GRID)
    refused = post_form(admin, f"{GRID}/vi/machine", {}, token_from=GRID)
    assert refused.status_code == 400 and "no machine translator" in page_text(refused)


def test_the_badge_endpoint_counts_what_was_typed(app: Flask) -> None:
    admin = signed_in(app, "admin")
    query = {"field": "nodes.1.text", "question": "1", "nodes.1.text": "هل استمع " * 20}
    answer = page_text(admin.get(f"{GRID}/badge", query_string=query))
    assert "UCS-2, 3 segments" in answer and "Warning: Longer than 2 SMS segments" in answer
    short = page_text(admin.get(f"{GRID}/badge", query_string={**query, "nodes.1.text": "Ñandú"}))
    assert "UCS-2, 1 segment" in short, "ú is not GSM-7 (ù is)"
    empty = page_text(admin.get(f"{GRID}/badge", query_string={"field": "x"}))
    assert "Missing" in empty


def test_a_translation_file_column_saves_words_and_shows_the_checks(app: Flask) -> None:
    admin = signed_in(app, "admin")
    post_form(admin, f"{GRID}/languages", {"language": "vi"}, token_from=GRID)
    typed = {
        "nodes.2.text": "Tại sao?",
        "nodes.2.options.0.synonyms": " trễ , chậm,, ",
        "nodes.4.text": "Cảm ơn.",  # the base text's {complaints} left out
    }
    saved = post_form(admin, f"{GRID}/vi", typed, token_from=GRID)
    assert saved.status_code == 303
    rt = app.extensions["parley.runtime"]
    from bot.services.flow_admin import get_draft

    draft = get_draft(rt, "tiny")
    assert draft is not None
    vi = draft.files["tiny.vi.yaml"]
    assert "- trễ\n" in vi and "- chậm\n" in vi and "Tại sao?" in vi and "machine: false" in vi
    row = page_text(admin.get(GRID)).split(">bye: text<")[1].split("</tr>")[0]
    assert '<p class="error">' in row and "{complaints}" in row
    blanked = post_form(admin, f"{GRID}/vi", {"nodes.2.text": " "}, token_from=GRID)
    assert blanked.status_code == 303
    draft = get_draft(rt, "tiny")
    assert draft is not None and "Tại sao?" not in draft.files["tiny.vi.yaml"]


def test_a_failing_translator_changes_nothing_and_says_so(app: Flask, libre: LibreStandIn) -> None:
    admin = signed_in(app, "admin")
    post_form(admin, f"{GRID}/languages", {"language": "vi"}, token_from=GRID)
    libre.failures = [500] * 20
    refused = post_form(admin, f"{GRID}/vi/machine", {}, token_from=GRID)
    assert refused.status_code == 400 and "the translator failed" in page_text(refused)
    assert "Machine draft" not in page_text(admin.get(GRID))
