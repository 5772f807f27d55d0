"""The admin site in a real browser (Debian's chromium) on a laptop and a tablet, by keyboard."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.e2e.test_officer_browser import SHOTS, blocked, browser
from tests.web.pages import PASSWORD, make_user, new_email, sqlite

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser, Page

__all__ = ["browser"]  # the fixture, shared with the officer page's tests
LAPTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve the app on a random localhost port over plain http, as the quick start does."""
    app = make_app(sqlite(tmp_path), public_base_url="")
    with serving(app) as url:
        yield url, app


def open_page(browser: Browser, viewport: dict[str, int]) -> tuple[Page, list[str]]:
    """Open a page that records script errors and anything the CSP blocks."""
    context = browser.new_context(viewport=viewport, locale="en-US")  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda m: errors.append(m.text) if blocked(m.text) else None)
    return tab, errors


@pytest.fixture()
def laptop(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Open a laptop-sized page; fail the test on a script error or a CSP block."""
    tab, errors = open_page(browser, LAPTOP)
    yield tab
    if SHOTS:
        tab.screenshot(path=os.path.join(SHOTS, f"{request.node.name}.png"), full_page=True)
    tab.context.close()
    assert errors == []


def shoot(page: Page, name: str) -> None:
    """Keep a screenshot of the page as it is now, when screenshots are asked for."""
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"admin_{name}.png"), full_page=True)


def sign_in(page: Page, base: str, email: str) -> None:
    """Open the admin site, get sent to sign in, and sign in by keyboard."""
    page.goto(f"{base}/admin/accounts")
    assert page.url == f"{base}/login?next=%2Fadmin%2Faccounts"
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{base}/admin/accounts")


def test_an_admin_creates_an_account_and_finds_it_in_the_audit_log(
    served: tuple[str, Flask], laptop: Page
) -> None:
    base, app = served
    admin = make_user(app, "admin")
    sign_in(laptop, base, admin)
    assert laptop.get_by_role("link", name="Accounts").get_attribute("aria-current") == "page"
    assert laptop.get_by_role("rowheader", name=admin).count() == 1
    assert_accessible(laptop)
    shoot(laptop, "accounts")

    # Keyboard only: the skip link first, then "New account" and Enter.
    laptop.keyboard.press("Tab")
    assert laptop.evaluate("document.activeElement.textContent") == "Skip to content"
    laptop.get_by_role("link", name="New account").focus()
    laptop.keyboard.press("Enter")
    laptop.wait_for_url(f"{base}/admin/accounts/new")
    assert_accessible(laptop)

    email = create_account(laptop)
    find_in_audit_log(laptop, base, admin, email)
    find_a_read_in_audit_log(laptop, app)


def create_account(page: Page) -> str:
    """Fill the new-account form with a mistake, see it beside its field, then fix it."""
    email = new_email("officer")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_label("Role").select_option("supervisor")
    page.get_by_label("Unit").fill("North")
    page.get_by_role("button", name="Create account").click()
    assert "Must be an email address" in page.locator("#email-error").inner_text()
    assert page.get_by_label("Email").get_attribute("aria-invalid") == "true"
    assert "email-error" in (page.get_by_label("Email").get_attribute("aria-describedby") or "")
    assert page.get_by_label("Unit").input_value() == "North"  # what was typed stays
    assert_accessible(page)
    shoot(page, "account_error")

    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Account created"
    assert len(page.locator("#new-password").inner_text()) >= 20
    assert_accessible(page)
    shoot(page, "account_created")
    return email


def find_in_audit_log(page: Page, base: str, admin: str, email: str) -> None:
    """Filter the audit log by action (htmx swaps the results in) and find the new account."""
    page.get_by_role("link", name="Audit log").click()
    page.wait_for_url(f"{base}/admin/audit")
    assert_accessible(page)
    # htmx swaps in the results without reloading the page, and the address follows.
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Action").select_option("account_created")
    page.get_by_role("button", name="Show entries").click()
    page.wait_for_url("**/admin/audit?action=account_created**")
    rows = page.locator("#audit-results tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2  # the test's admin, then the new account
    first = rows.first.inner_text()
    assert admin in first and email in first and "Account created" in first
    assert "role supervisor" in first and "unit North" in first
    assert page.evaluate("window.notReloaded === true")
    assert page.get_by_role("status").inner_text().startswith("Page 1: entries 1 to 2")
    assert_accessible(page)
    shoot(page, "audit")


def find_a_read_in_audit_log(page: Page, app: Flask) -> None:
    """Export responses by API token, then find the read under its own action."""
    from bot.services.tokens import create_token

    rt = app.extensions["parley.runtime"]
    raw = create_token(rt.uow, "records-system", rt.clock(), ("responses:read",))
    asked = app.test_client().get("/api/v1/responses", headers={"Authorization": f"Bearer {raw}"})
    assert asked.status_code == 200
    page.get_by_label("Action").select_option("responses_exported")
    page.get_by_role("button", name="Show entries").click()
    page.wait_for_url("**/admin/audit?action=responses_exported**")
    row = page.locator("#audit-results tbody tr", has_text="Responses exported")
    row.first.wait_for()
    assert row.count() == 1
    shown = row.first.inner_text()
    assert "API token records-system" in shown and "every response" in shown
    assert "JSON page, 0 rows" in shown
    assert page.locator("#audit-results tbody tr").count() == 1  # the filter holds reads only
    assert_accessible(page)
    shoot(page, "audit_reads")


def test_the_admin_site_fits_a_tablet_and_a_supervisor_reads_only(
    served: tuple[str, Flask], browser: Browser
) -> None:
    base, app = served
    make_user(app, "officer")
    page, errors = open_page(browser, TABLET)
    try:
        sign_in(page, base, make_user(app, "supervisor"))
        assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
        assert page.get_by_role("link", name="Audit log").count() == 0
        assert page.get_by_role("link", name="New account").count() == 0
        assert_accessible(page)
        shoot(page, "tablet_accounts")

        page.get_by_role("link", name="Flows").click()
        page.wait_for_url(f"{base}/admin/flows")
        assert page.get_by_role("rowheader", name="post_contact").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
        assert_accessible(page)
        shoot(page, "tablet_flows")

        forbidden = page.goto(f"{base}/admin/audit")
        assert forbidden is not None and forbidden.status == 403
        assert_accessible(page)
        missing = page.goto(f"{base}/admin/accounts/00000000-0000-4000-8000-000000000000")
        assert missing is not None and missing.status == 404
        assert page.get_by_role("alert").inner_text() == "There is no such account."
        assert_accessible(page)
    finally:
        page.context.close()
    assert errors == []
