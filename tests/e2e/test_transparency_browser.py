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


def scrolled_to_newest(page: Page) -> list[bool]:
    """Say, for each wide table, whether it starts scrolled to its end (its newest month)."""
    return list(
        page.evaluate(
            """[...document.querySelectorAll('.table-wrap')]
               .filter(w => w.scrollWidth > w.clientWidth)
               .map(w => Math.abs(w.scrollLeft) + w.clientWidth >= w.scrollWidth - 1)"""
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
    # Twelve months overflow the tables: each opens on its newest months.
    assert scrolled_to_newest(page) and all(scrolled_to_newest(page))
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
    assert scrolled_to_newest(page) and all(scrolled_to_newest(page))
    # The language menu names each language in itself and leads to it.
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{served}/transparency?lang=en")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    page.go_back()
    assert_accessible(page)
    shoot(page, "ar_phone")
    page.context.close()
    assert errors == []


def framed(browser: Browser, host_page: str, sources: dict[str, str]) -> dict[str, str]:
    """Open `host_page`, frame each source in it, and return what each frame's heading says."""
    page, _ = open_page(browser, LAPTOP, "en-US")
    page.goto(host_page)
    frames = "".join(
        f'<iframe title="{name}" src="{src}"></iframe>' for name, src in sources.items()
    )
    page.set_content(frames)
    page.wait_for_load_state("load")
    # A frame the browser refused shows its error page, at another URL and with no heading.
    loaded = {frame.url: frame for frame in page.frames}
    found = {}
    for name, src in sources.items():
        heading = loaded[src].locator("h1") if src in loaded else None
        found[name] = heading.inner_text() if heading is not None and heading.count() else ""
    page.context.close()
    return found


def test_an_agency_site_may_embed_the_page_and_no_other(
    make_app: Callable[..., Flask], tmp_path: Path, browser: Browser
) -> None:
    # The "agency's site" is http://localhost:<port>; Parley is http://127.0.0.1:<port>.
    app = make_app(
        sqlite(tmp_path), public_base_url="", transparency_frame_ancestors="http://localhost:*"
    )
    with serving(app) as url:
        agency = url.replace("127.0.0.1", "localhost") + "/healthz"
        seen = framed(
            browser,
            agency,
            {"results": f"{url}/transparency?lang=es", "staff": f"{url}/login"},
        )
    assert seen == {"results": "Resultados de la encuesta", "staff": ""}


def test_by_default_only_parley_itself_may_frame_the_page(
    make_app: Callable[..., Flask], tmp_path: Path, browser: Browser
) -> None:
    app = make_app(sqlite(tmp_path), public_base_url="")
    with serving(app) as url:
        other_site = url.replace("127.0.0.1", "localhost") + "/healthz"
        seen = framed(browser, other_site, {"results": f"{url}/transparency"})
        own_site = framed(browser, f"{url}/healthz", {"results": f"{url}/transparency"})
    assert seen == {"results": ""}
    assert own_site == {"results": "Survey results"}
