"""The public transparency page in a real browser (Debian's chromium), in English and Arabic."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.e2e.test_officer_browser import SHOTS, blocked, browser
from tests.public_results import store_survey
from tests.web.pages import sqlite

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser, Page

__all__ = ["browser"]  # the fixture, shared with the officer page's tests
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[str]:
    """Serve an app holding three months of surveys in three districts (K = 3)."""
    app = make_app(sqlite(tmp_path), public_base_url="", k_anonymity=3)
    for month, unit, scores, language in [
        (8, "East", [4, 4, 4, 4, 4], "en"),
        (9, "East", [5, 4, 4, 4, 4], "es"),
        (10, "East", [3, 3, 3, 3], "ar"),
        (8, "North", [5, 5, 5, 5], "en"),
        (9, "North", [5, 4, 4], "en"),
        (10, "North", [5, 5, 5, 5, 5, 5], "vi"),
        (10, "South", [1], "en"),
    ]:
        for score in scores:
            moment = datetime(2026, month, 12, 9, tzinfo=UTC)
            store_survey(app, moment, {"overall": score}, unit=unit, language=language)
    with serving(app) as url:
        yield url


def open_page(browser: Browser, viewport: dict[str, int], locale: str) -> tuple[Page, list[str]]:
    """Open a page in a browser speaking `locale` that records script errors and CSP blocks."""
    context = browser.new_context(viewport=viewport, locale=locale)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda m: errors.append(m.text) if blocked(m.text) else None)
    return tab, errors


def shoot(page: Page, name: str) -> None:
    """Keep a screenshot of the whole page, when screenshots are asked for."""
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"transparency_{name}.png"), full_page=True)


def charts_drawn(page: Page) -> list[bool]:
    """Say, for each chart's canvas, whether Chart.js drew a chart on it."""
    return list(
        page.evaluate(
            "[...document.querySelectorAll('canvas')].map(c => !!window.Chart.getChart(c))"
        )
    )


def test_the_page_in_english_on_a_laptop(served: str, browser: Browser) -> None:
    page, errors = open_page(browser, LAPTOP, "en-US")
    page.goto(f"{served}/transparency")

    assert page.get_by_role("heading", level=1).inner_text() == "Survey results"
    assert charts_drawn(page) == [True, True]
    table = page.get_by_role("table", name="Completed surveys by district")
    assert table.get_by_role("rowheader", name="North").count() == 1
    # South's single October survey is hidden; screen readers hear "hidden".
    assert "hidden" in table.get_by_role("row", name="South").inner_text()
    assert "B-" not in page.content()
    assert_accessible(page)
    shoot(page, "en")
    page.context.close()
    assert errors == []


def test_the_page_in_arabic_reads_right_to_left(served: str, browser: Browser) -> None:
    # The browser speaks Arabic: the page follows without being asked.
    page, errors = open_page(browser, PHONE, "ar")
    page.goto(f"{served}/transparency")

    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    assert page.get_by_role("heading", level=1).inner_text() == "نتائج الاستبيان"
    assert charts_drawn(page) == [True, True]
    # The language menu names each language in itself and leads to it.
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{served}/transparency?lang=en")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    page.go_back()
    assert_accessible(page)
    shoot(page, "ar_phone")
    page.context.close()
    assert errors == []


def test_an_agency_site_may_embed_the_page(
    make_app: Callable[..., Flask], tmp_path: Path, browser: Browser
) -> None:
    app = make_app(sqlite(tmp_path), public_base_url="")
    with serving(app) as url:
        page, _ = open_page(browser, LAPTOP, "en-US")
        # The same origin frames it (the default, 'self'); the staff pages refuse any frame.
        page.goto(f"{url}/healthz")
        page.set_content(
            f'<iframe title="results" src="{url}/transparency?lang=es"></iframe>'
            f'<iframe title="staff" src="{url}/login"></iframe>'
        )
        frames = {frame.url: frame for frame in page.frames}
        public = frames[f"{url}/transparency?lang=es"]
        public.wait_for_selector("h1")
        assert public.locator("h1").inner_text() == "Resultados de la encuesta"
        page.context.close()
