"""The question editor in a real browser: open a draft, reword, add, fix a mistake, save."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.e2e.test_admin_browser import laptop, shoot, sign_in
from tests.e2e.test_officer_browser import browser
from tests.translation_samples import FLOW, shipped_locales, write
from tests.web.pages import make_user, sqlite

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Page

__all__ = ["browser", "laptop"]  # the fixtures, shared with the admin site's tests


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve the app with the tiny flow on a random localhost port."""
    flows = tmp_path / "flows"
    write(flows, "tiny.yaml", FLOW)
    app = make_app(
        sqlite(tmp_path),
        public_base_url="",
        flows_dir=flows,
        locales_dir=shipped_locales(tmp_path / "locales"),
        default_flow="tiny",
    )
    with serving(app) as url:
        yield url, app


def test_an_admin_rewords_and_adds_a_question(served: tuple[str, Flask], laptop: Page) -> None:
    base, app = served
    sign_in(laptop, base, make_user(app, "admin"))
    laptop.goto(f"{base}/admin/flows/tiny/draft/questions")
    assert "has no draft" in laptop.get_by_role("main").inner_text()
    assert_accessible(laptop)
    laptop.get_by_role("button", name="Open a draft").click()
    assert laptop.get_by_role("rowheader", name="rate").count() == 1
    assert "passes every check" in laptop.get_by_role("status").inner_text()
    assert_accessible(laptop)
    shoot(laptop, "editor_questions")

    reword(laptop)
    add_yes_no(laptop)


def reword(page: Page) -> None:
    """Reword the scale question and see it saved, the list showing the new words."""
    page.get_by_role("link", name="rate", exact=True).click()
    assert page.get_by_label("Lowest answer", exact=True).input_value() == "1"
    assert page.get_by_label("Text (en)", exact=True).input_value() == "How was it?"
    assert page.locator("code", has_text="{agency}").count() == 1
    assert_accessible(page)
    page.get_by_label("Text (en)", exact=True).fill("How did your visit go?")
    page.get_by_role("button", name="Save to the draft").click()
    assert page.get_by_role("status").inner_text() == "Draft saved."
    page.get_by_role("link", name="All questions of the draft").click()
    assert page.get_by_role("cell", name="How did your visit go?").count() == 1


def add_yes_no(page: Page) -> None:
    """Add a yes/no question, see its empty text marked at the field, word it and save."""
    page.get_by_label("Type", exact=True).select_option("yes_no")
    page.get_by_role("button", name="Add question").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Question q6")
    text = page.get_by_label("Text (en)", exact=True)
    assert text.get_attribute("aria-invalid") == "true"
    error = page.locator("#text-error").inner_text()
    assert error == "'en' must not be empty", error
    assert "text-error" in (text.get_attribute("aria-describedby") or "")
    assert page.get_by_label("Otherwise go to").input_value() == "bye"
    assert_accessible(page)
    shoot(page, "editor_error")

    # A placeholder goes in where the cursor is (the token is also listed to copy).
    text.fill("Did the staff at ")
    page.get_by_role("button", name="Insert {agency}").click()
    text.press_sequentially(" listen to you?")
    page.get_by_role("button", name="Save to the draft").click()
    assert page.get_by_role("status").inner_text() == "Draft saved."
    assert text.input_value() == "Did the staff at {agency} listen to you?"
    # The schema's complaint is gone; what is left is the Spanish text the grid must add.
    assert page.locator("#text-error").inner_text() == "text has no 'es'"
    assert_accessible(page)
    shoot(page, "editor_saved")
