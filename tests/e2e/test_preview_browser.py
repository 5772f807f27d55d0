"""The survey preview in Chromium: an admin takes the survey in Spanish, by SMS and by Telegram."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.e2e.test_officer_browser import PHONE, browser, page  # noqa: F401  # fixtures
from tests.web.pages import PASSWORD, make_user, sqlite

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Page

SHOTS = os.environ.get("PARLEY_SCREENSHOTS", "")
PAGE = "/admin/flows/post_contact/preview"

# The whole survey in Spanish, with one answer it cannot read: (the resident types, Parley says).
SPANISH = [
    ("quizás", "Disculpe, no le entendí."),
    ("sí", "¿El agente le trató con dignidad y respeto?"),
    ("5", "¿Qué tan bien le explicó el agente lo que pasaba y por qué?"),
    ("4", "En general, ¿qué tan conforme quedó con este contacto?"),
    ("2", "Lo sentimos. ¿Qué fue lo que más falló?"),
    ("la espera", "¿Cuánto confía en nuestro departamento de policía?"),
    ("4", "¿Algo más que quiera contarnos?"),
    ("no", "Gracias por su tiempo."),
]


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve the app on a random localhost port the way the quick start does (plain http)."""
    app = make_app(sqlite(tmp_path), public_base_url="")
    with serving(app) as url:
        yield url, app


def open_preview(tab: Page, base: str, email: str) -> None:
    """Open the preview, get sent to sign in, and come back to it signed in."""
    tab.goto(f"{base}{PAGE}")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{base}{PAGE}")


def last_parley(tab: Page) -> str:
    """Return the text of Parley's latest message."""
    return tab.locator("li.bubble.parley p[dir]").last.inner_text()


def test_an_admin_previews_the_whole_survey_in_spanish_by_sms(
    served: tuple[str, Flask],
    page: Page,  # noqa: F811  # the fixture imported above
    tmp_path: Path,
) -> None:
    base, app = served
    open_preview(page, base, make_user(app, role="admin"))
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Restart").click()
    page.wait_for_url(f"{base}{PAGE}?language=es&channel=sms")
    assert "queremos mejorar" in last_parley(page)
    assert page.locator("li.bubble.parley .badge").all_inner_texts() == ["GSM-7", "3 segments"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    for typed, answer in SPANISH:
        page.get_by_label("Reply as the resident").fill(typed)
        # Wait for the posted form's answer: load state alone may be read before it starts.
        with page.expect_navigation():
            page.get_by_role("button", name="Send").click()
        assert answer in last_parley(page), typed
        if typed == "quizás":
            assert_accessible(page)  # a re-prompt, with the resident's bubbles
    assert page.get_by_role("status").inner_text() == "Survey completed, in Español."
    assert page.locator("li.bubble.resident").count() == len(SPANISH)
    assert_accessible(page)
    page.screenshot(path=str(Path(SHOTS or tmp_path) / "preview-spanish-sms.png"), full_page=True)


def test_telegram_buttons_are_pressed_with_the_keyboard(
    served: tuple[str, Flask],
    page: Page,  # noqa: F811  # the fixture imported above
) -> None:
    base, app = served
    open_preview(page, base, make_user(app, role="supervisor"))
    page.goto(f"{base}{PAGE}?language=es&channel=telegram")
    yes = page.get_by_role("button", name="Sí", exact=True)
    assert yes.is_visible() and page.get_by_role("button", name="No", exact=True).is_visible()
    assert_accessible(page)
    yes.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "✓ Sí" in page.locator("li.bubble.parley p[dir]").first.inner_text()
    assert last_parley(page) == "¿El agente le trató con dignidad y respeto?"
    assert [b.inner_text() for b in page.locator("form.keyboard button").all()] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    assert_accessible(page)


def test_a_blank_reply_and_a_bad_language_are_explained(
    served: tuple[str, Flask],
    page: Page,  # noqa: F811  # the fixture imported above
) -> None:
    base, app = served
    open_preview(page, base, make_user(app, role="admin"))
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert page.locator("#text-error").inner_text() == "Type a reply to send."
    assert page.get_by_label("Reply as the resident").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    response = page.goto(f"{base}{PAGE}?language=xx")
    assert response is not None and response.status == 400
    assert "language must be one the flow offers" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
