"""The officer feedback page in a real browser (Debian's chromium) on a phone."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.e2e.test_officer_browser import PHONE, SHOTS, blocked, browser
from tests.public_results import store_survey
from tests.web.pages import PASSWORD, make_user, sqlite

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser

__all__ = ["browser"]  # the fixture, shared with the officer page's tests


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve an app where officer B-7 has five surveys answered in October (K = 5)."""
    app = make_app(sqlite(tmp_path), public_base_url="")
    moment = datetime(2026, 10, 5, 9, tzinfo=UTC)
    for score, comment in zip((5, 4, 4, 3, 5), "ABCDE", strict=True):
        store_survey(
            app,
            moment,
            {"overall": score, "listened": True},
            officer_id="B-7",
            comment=f"Comment {comment}",
        )
    with serving(app) as url:
        yield url, app


@pytest.mark.parametrize(("officer", "shown"), [("B-7", "shown"), ("B-8", "too-few")])
def test_an_officer_reads_their_feedback(
    served: tuple[str, Flask], browser: Browser, officer: str, shown: str
) -> None:
    base, app = served
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="en-US")  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if blocked(m.text) else None)
    page.goto(f"{base}/officer/feedback")
    page.get_by_label("Email").fill(make_user(app, officer_id=officer))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{base}/officer/feedback")

    assert page.locator(f"[data-feedback={shown}]").count() == 1
    if shown == "shown":
        assert page.get_by_role("heading", name="Comments").count() == 1
        assert page.locator("ul.comments li").count() == 5
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"officer_feedback_{shown}.png"), full_page=True)
    context.close()
    assert errors == []
