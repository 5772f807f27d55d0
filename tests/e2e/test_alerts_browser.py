"""The alert page in a real browser (Debian's chromium): a supervisor reads and acknowledges."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.e2e.test_admin_browser import laptop, shoot, sign_in
from tests.e2e.test_officer_browser import browser
from tests.support import FakeClock
from tests.web.pages import make_user, sqlite
from tests.web.test_alert_page import unit_with_alert

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Page

__all__ = ["browser", "laptop"]  # the fixtures, shared with the admin site's tests
# A survey with a low score and a comment in Arabic (right to left) that mentions a weapon.
ANSWERS = ("yes", "1", "4", "3", "4", "وجه المسدس نحوي")


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve the site on a random localhost port over plain http; yield the app residents text.

    Two apps on one database: the served one has no public URL (plain http to localhost, as
    the quick start), the other the URL that Twilio's webhook signatures are made for.
    """
    site = make_app(sqlite(tmp_path), public_base_url="")
    with serving(site) as url:
        yield url, make_app(sqlite(tmp_path))


def test_a_supervisor_reads_an_aging_alert_and_acknowledges_it_with_a_note(
    served: tuple[str, Flask], laptop: Page, clock: FakeClock
) -> None:
    base, app = served
    unit, _ = unit_with_alert(app, ANSWERS)
    supervisor = make_user(app, "supervisor", unit=unit)
    clock.advance(hours=2, minutes=5)
    sign_in(laptop, base, supervisor)

    laptop.get_by_role("link", name="Alerts").click()
    laptop.wait_for_url(f"{base}/admin/alerts")
    assert laptop.get_by_role("link", name="Alerts").get_attribute("aria-current") == "page"
    items = laptop.locator(".alert-item")
    assert items.count() == 2
    assert laptop.get_by_text("2 h unacknowledged").count() == 2
    comment = laptop.locator("blockquote[lang=ar]").first
    assert comment.inner_text() == "وجه المسدس نحوي"
    assert_accessible(laptop)
    shoot(laptop, "alerts_open")

    first = items.first
    first.get_by_role("button", name="Acknowledge").click()
    assert laptop.get_by_text("Say what was done, in a few words.").count() == 1
    assert_accessible(laptop)
    shoot(laptop, "alerts_note_missing")

    note = laptop.locator(".alert-item textarea:focus")
    note.fill("Called the resident's district captain; body camera requested.")
    note.press("Tab")
    laptop.keyboard.press("Enter")
    laptop.wait_for_url(re.compile(r"/admin/alerts\?show=open$"))
    assert laptop.get_by_role("status").filter(has_text="Alert acknowledged.").count() == 1
    assert laptop.locator(".alert-item").count() == 1
    assert_accessible(laptop)

    laptop.get_by_label("Show").select_option("acknowledged")
    laptop.get_by_role("button", name="Show alerts").click()
    laptop.wait_for_url(re.compile(r"show=acknowledged"))
    assert laptop.get_by_text("body camera requested").count() == 1
    assert laptop.get_by_text("unacknowledged").count() == 1  # the summary line only
    assert_accessible(laptop)
    shoot(laptop, "alerts_acknowledged")
