"""The translation grid in a real browser: edit en, es and ar (right to left), live badges, save."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.e2e.a11y import assert_accessible
from tests.e2e.test_admin_browser import laptop, served, shoot, sign_in
from tests.e2e.test_officer_browser import browser
from tests.web.pages import make_user

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Page

__all__ = ["browser", "laptop", "served"]  # the fixtures
LONG_ARABIC = "هل استمع الضابط إلى ما أردت قوله عن هذا التعامل؟ " * 4


def save_cell(page: Page, label: str, text: str, language: str) -> None:
    """Type a text into one cell and save its language column."""
    page.get_by_label(label, exact=True).fill(text)
    # Wait for the posted form's answer: load state alone may be read before it starts.
    with page.expect_navigation():
        page.get_by_role("button", name=f"Save {language}", exact=True).click()
    assert page.get_by_role("status").first.inner_text() == f"Saved in {language}: 1 text."


def test_an_admin_edits_three_languages_and_sees_the_badges(
    served: tuple[str, Flask], laptop: Page
) -> None:
    base, app = served
    sign_in(laptop, base, make_user(app, "admin"))
    grid = f"{base}/admin/flows/post_contact/draft/translations"
    laptop.goto(grid)
    assert_accessible(laptop)
    save_cell(laptop, "listened: text, en", "Did the officer listen to you?", "en")
    save_cell(laptop, "listened: text, es", "¿El agente le escuchó?", "es")
    assert laptop.get_by_label("listened: text, es").input_value() == "¿El agente le escuchó?"

    arabic = laptop.get_by_label("listened: text, ar", exact=True)
    assert arabic.get_attribute("dir") == "rtl"
    arabic.fill(LONG_ARABIC)
    badge = laptop.locator(f"#b-{arabic.get_attribute('id')}")
    badge.get_by_text("UCS-2, 3 segments").wait_for()  # htmx asked the server as we typed
    assert "Warning: Longer than 2 SMS segments" in badge.inner_text()
    assert_accessible(laptop)
    shoot(laptop, "grid_typing")
    with laptop.expect_navigation():
        laptop.get_by_role("button", name="Save ar", exact=True).click()
    saved = laptop.get_by_label("listened: text, ar", exact=True)
    assert saved.input_value() == LONG_ARABIC.strip()
    assert "UCS-2, 3 segments" in laptop.locator(f"#b-{saved.get_attribute('id')}").inner_text()
    assert_accessible(laptop)
    shoot(laptop, "grid_saved")
