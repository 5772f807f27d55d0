"""The results dashboard in a real browser (Debian's chromium): charts and tables, en and ar."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.e2e.test_admin_browser import laptop
from tests.e2e.test_officer_browser import SHOTS, browser
from tests.web.pages import PASSWORD, make_user, sqlite
from tests.web.results_pages import NOVEMBER, add_survey, with_surveys

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Page

__all__ = ["browser", "laptop"]  # the fixtures, shared with the admin site's tests
# A district named in Arabic, and a resident's comment in Arabic with its translation.
DISTRICT = "الحي الشمالي"
COMMENT = "الضابط كان محترماً وشرح لي كل شيء"
TRANSLATION = "The officer was respectful and explained everything to me"


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve the app, holding the hand-counted surveys, over plain http on localhost."""
    app = make_app(sqlite(tmp_path), public_base_url="")
    with_surveys(app)
    with serving(app) as url:
        yield url, app


def shoot(page: Page, name: str) -> None:
    """Keep a screenshot of the page as it is now, when screenshots are asked for."""
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"results_{name}.png"), full_page=True)


def open_results(page: Page, base: str, email: str, query: str) -> None:
    """Open the dashboard, get sent to sign in, sign in by keyboard, land on the dashboard."""
    page.goto(f"{base}/results?{query}")
    assert "/login?next=" in page.url
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{base}/results?{query}")


def charts_drawn(page: Page) -> int:
    """Count the canvases Chart.js has drawn a chart on."""
    return int(
        page.evaluate(
            "Array.from(document.querySelectorAll('canvas'))"
            ".filter(c => window.Chart && Chart.getChart(c)).length"
        )
    )


def test_an_admin_reads_the_dashboard_and_breaks_it_down_by_language(
    served: tuple[str, Flask], laptop: Page
) -> None:
    base, app = served
    open_results(laptop, base, make_user(app, "admin"), NOVEMBER)
    assert laptop.get_by_role("link", name="Results").get_attribute("aria-current") == "page"
    canvases = laptop.locator("canvas").count()
    assert canvases >= 5 and charts_drawn(laptop) == canvases
    funnel = laptop.get_by_role("table", name="Survey funnel (response rate: 57.1%)")
    assert funnel.get_by_role("row", name="Sent 7 63.6").count() == 1
    download = re.compile(r"^Download CSV\s*: Survey funnel")
    assert laptop.get_by_role("link", name=download).count() == 1
    assert_accessible(laptop)
    shoot(laptop, "dashboard_en")

    laptop.get_by_label("Break down by").select_option("language")
    laptop.get_by_label("Trend by").select_option("month")
    laptop.get_by_role("button", name="Show results").click()
    laptop.wait_for_url(lambda url: "by=language" in url)
    breakdown = laptop.get_by_role("table", name="Surveys by language")
    assert breakdown.get_by_role("rowheader").all_inner_texts() == ["en", "es"]
    assert charts_drawn(laptop) == laptop.locator("canvas").count()
    assert_accessible(laptop)

    laptop.get_by_label("First day").fill("2026-11-30")
    laptop.get_by_label("Last day").fill("2026-11-01")
    laptop.get_by_role("button", name="Show results").click()
    assert laptop.get_by_text("Pick a last day on or after the first day.").count() == 1
    assert laptop.locator("canvas").count() == 0
    assert_accessible(laptop)
    shoot(laptop, "filter_error")


def test_a_supervisor_reads_arabic_comments_right_to_left(
    served: tuple[str, Flask], laptop: Page
) -> None:
    base, app = served
    add_survey(app, DISTRICT, COMMENT, "ar", TRANSLATION)
    supervisor = make_user(app, "supervisor", unit=DISTRICT)
    open_results(laptop, base, supervisor, NOVEMBER + "&by=unit")
    assert laptop.get_by_text(f"in your unit: {DISTRICT}").count() == 1
    original = laptop.locator("table.comments td[lang=ar]")
    assert original.inner_text() == COMMENT
    assert original.evaluate("cell => getComputedStyle(cell).direction") == "rtl"
    translated = laptop.locator("table.comments td[lang=en]")
    assert translated.inner_text() == TRANSLATION
    assert translated.evaluate("cell => getComputedStyle(cell).direction") == "ltr"
    unit = laptop.get_by_role("table", name="Surveys by unit").get_by_role("rowheader")
    assert unit.all_inner_texts() == [DISTRICT]
    assert unit.evaluate("cell => getComputedStyle(cell).direction") == "rtl"
    # Only their unit: the other surveys of November are not counted.
    funnel = laptop.get_by_role("table", name="Survey funnel (response rate: 100.0%)")
    assert funnel.get_by_role("row", name="Triggered 1 100.0").count() == 1
    assert charts_drawn(laptop) == laptop.locator("canvas").count()
    assert_accessible(laptop)
    shoot(laptop, "dashboard_ar")
