"""The officer page in a real browser (Debian's chromium) on a phone-sized screen."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.backing_services import CHROMIUM, require_browser
from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.standins import TwilioStandIn
from tests.web.helpers import random_number
from tests.web.pages import PASSWORD, make_user, sqlite

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser, Page

PHONE = {"width": 390, "height": 844}
# A folder for a screenshot of each test's last page, to look at (unset: none taken).
SHOTS = os.environ.get("PARLEY_SCREENSHOTS", "")


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve the app on a random localhost port the way the quick start does (plain http)."""
    # Cookies are set "auto": not Secure on http://127.0.0.1.
    app = make_app(sqlite(tmp_path), public_base_url="")
    with serving(app) as url:
        yield url, app


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Launch Debian's chromium headless (Playwright's own browser download is not used).

    Once per module: each test opens a context of its own (its own cookies and storage), and a
    launch costs more than most tests. Not per run, so no event loop outlives the browser tests.
    """
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Open a phone-sized page that fails the test on a script error or a CSP block."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    # A 400 page is an answer, not an error; what the policy blocks is.
    tab.on(
        "console", lambda message: errors.append(message.text) if blocked(message.text) else None
    )
    yield tab
    if SHOTS:
        tab.screenshot(path=os.path.join(SHOTS, f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == []


def blocked(console_text: str) -> bool:
    """Say whether a console message reports something the Content-Security-Policy blocked."""
    return "Content Security Policy" in console_text or "Refused to" in console_text


def sign_in(page: Page, base: str, email: str) -> None:
    """Open the officer page, get sent to sign in, fail once, then sign in."""
    page.goto(f"{base}/officer")
    assert page.url == f"{base}/login?next=%2Fofficer"
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not my password at all")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Invalid email or password."
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/officer")


def test_an_officer_requests_a_survey_from_a_phone(
    served: tuple[str, Flask], page: Page, twilio: TwilioStandIn
) -> None:
    base, app = served
    sign_in(page, base, make_user(app, officer_id="B-1042"))
    # Autofocus: type at once. Browsers apply it once the page has rendered, so wait for that.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'phone'")
    assert page.evaluate("document.activeElement.id") == "phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    button = page.get_by_role("button", name="Request survey").bounding_box()
    assert button is not None and button["height"] >= 44  # a comfortable tap target
    assert_accessible(page)

    page.get_by_label("Resident's phone number").fill("12")
    page.get_by_role("button", name="Request survey").click()
    assert "Not a possible phone number." in page.locator("#phone-error").inner_text()
    assert page.get_by_label("Resident's phone number").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    number = random_number()
    page.get_by_label("Resident's phone number").fill(number)
    page.get_by_label("Language").select_option("es")
    page.get_by_label("Incident number").fill("24-001234")
    page.get_by_label("Call type").fill("Traffic stop")
    page.get_by_role("button", name="Request survey").click()

    result = page.get_by_role("status")
    assert result.get_attribute("data-outcome") == "sent"
    assert page.get_by_role("heading", level=1).inner_text() == "Sent"
    assert f"…{number[-2:]}" in result.inner_text()
    assert number[2:] not in page.content()
    assert_accessible(page)
    assert any("encuesta" in body for body in twilio.bodies_to(number))


def test_an_officer_sends_a_survey_by_whatsapp(
    make_app: Callable[..., Flask], tmp_path: Path, page: Page, twilio: TwilioStandIn
) -> None:
    templates = {"es": "HX" + "e" * 32}
    app = make_app(
        sqlite(tmp_path),
        public_base_url="",
        whatsapp_from="+15005550007",
        whatsapp_templates=templates,
    )
    with serving(app) as base:
        sign_in(page, base, make_user(app, officer_id="B-1042"))
        channel = page.get_by_role("group", name="Send by")
        assert channel.get_by_label("Text message (SMS)").is_checked()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        number = random_number()
        page.get_by_label("Resident's phone number").fill(number)
        channel.get_by_label("WhatsApp").check()
        page.get_by_label("Language").select_option("en")
        page.get_by_role("button", name="Request survey").click()
        # English has no approved template: said by the choice, with everything kept.
        assert "approved template" in page.locator("#channel-error").inner_text()
        assert page.get_by_label("WhatsApp").is_checked()
        assert page.get_by_label("Resident's phone number").input_value() == number
        assert_accessible(page)

        page.get_by_label("Language").select_option("es")
        page.get_by_role("button", name="Request survey").click()
        result = page.get_by_role("status")
        assert result.get_attribute("data-outcome") == "sent"
        assert "Channel: WhatsApp" in result.inner_text()
        assert_accessible(page)
    [sent] = twilio.sent_to("whatsapp:" + number)
    assert sent["ContentSid"] == templates["es"]


def test_a_signed_out_officer_goes_back_to_sign_in(served: tuple[str, Flask], page: Page) -> None:
    base, app = served
    sign_in(page, base, make_user(app))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/login")
    page.goto(f"{base}/officer")
    assert page.url.startswith(f"{base}/login")
