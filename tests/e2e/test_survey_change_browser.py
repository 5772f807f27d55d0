"""Issue 11 in a real browser: an admin changes a question, and no resident mid-survey notices.

An admin who has never seen YAML rewords a question in English (the question editor, where a
mistake shows beside its field), in Spanish and in Arabic (the translation grid), previews the
draft in Spanish, and publishes it. A resident who started on version 1 finishes on version 1's
words; a resident who starts afterwards gets version 2's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.e2e.test_admin_browser import laptop, shoot, sign_in
from tests.e2e.test_grid_browser import save_cell
from tests.e2e.test_officer_browser import browser
from tests.web.helpers import post_sms, random_number, reply
from tests.web.pages import make_user, sqlite

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from playwright.sync_api import Page

__all__ = ["browser", "laptop"]  # the fixtures
FLOW = "post_contact"
OLD = {"en": "Did the officer treat you with dignity and respect?"}
NEW = {
    "en": "Were you treated with dignity and respect?",
    "es": "¿Le trataron con dignidad y respeto?",
    "ar": "هل عوملت بكرامة واحترام؟",
}


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve the app over plain http for the browser; residents text it through signed webhooks.

    PUBLIC_BASE_URL stays the one the webhooks are signed for, so the session cookie is made
    non-Secure by hand for the browser on http://127.0.0.1.
    """
    app = make_app(sqlite(tmp_path), session_cookie_secure=False)
    with serving(app) as url:
        yield url, app


def test_an_admin_rewords_a_question_in_three_languages_and_publishes_it(
    served: tuple[str, Flask], laptop: Page
) -> None:
    base, app = served
    client = app.test_client()
    running = random_number()
    assert "Did the officer listen" in reply(post_sms(client, running, "SURVEY"))

    sign_in(laptop, base, make_user(app, "admin"))
    laptop.goto(f"{base}/admin/flows/{FLOW}")
    laptop.get_by_role("button", name="Start a draft").click()
    reword_in_english(laptop, base)
    grid = f"{base}/admin/flows/{FLOW}/draft/translations"
    laptop.goto(grid)
    save_cell(laptop, "respect: text, es", NEW["es"], "es")
    save_cell(laptop, "respect: text, ar", NEW["ar"], "ar")
    assert_accessible(laptop)
    preview_in_spanish(laptop, base)
    publish(laptop, base)

    # The running survey finishes on version 1; a new one starts on version 2.
    assert OLD["en"] in reply(post_sms(client, running, "yes"))
    assert_new_survey_asks(client, NEW["en"])


def reword_in_english(page: Page, base: str) -> None:
    """Reword the question in the editor: an empty text is refused beside its field first."""
    page.goto(f"{base}/admin/flows/{FLOW}/draft/questions/respect")
    text = page.get_by_label("Text (en)", exact=True)
    assert text.input_value() == OLD["en"]
    text.fill("")
    page.get_by_role("button", name="Save to the draft").click()
    assert page.locator("#text-error").inner_text() == "'en' must not be empty"
    assert text.get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    shoot(page, "change_error_beside_field")
    text.fill(NEW["en"])
    page.get_by_role("button", name="Save to the draft").click()
    assert page.get_by_role("status").inner_text() == "Draft saved."


def preview_in_spanish(page: Page, base: str) -> None:
    """Preview the draft in Spanish: the reworded question is what a resident would get."""
    page.goto(f"{base}/admin/flows/{FLOW}/preview?draft=1&language=es&channel=sms")
    page.get_by_label("Reply as the resident").fill("sí")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert NEW["es"] in page.locator("li.bubble.parley").last.inner_text()
    assert_accessible(page)
    shoot(page, "change_preview_es")


def publish(page: Page, base: str) -> None:
    """Publish the draft from the flow page and see version 2 live."""
    page.goto(f"{base}/admin/flows/{FLOW}")
    page.get_by_role("button", name="Publish draft").click()
    page.wait_for_url(f"{base}/admin/flows/{FLOW}")
    assert "Published as version 2" in page.get_by_role("status").inner_text()
    assert page.get_by_role("rowheader", name="2 (live)").count() == 1
    assert_accessible(page)


def assert_new_survey_asks(client: FlaskClient, question: str) -> None:
    """Start a new resident's survey and see the reworded question after the first answer."""
    newcomer = random_number()
    assert "Did the officer listen" in reply(post_sms(client, newcomer, "SURVEY"))
    assert question in reply(post_sms(client, newcomer, "yes"))
