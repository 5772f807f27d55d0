"""Survey cards in Chromium: the officer's card screen scanned, and the printed sheet as a PDF."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from bot.cli.main import main
from tests.e2e.a11y import assert_accessible
from tests.e2e.serving import serving
from tests.e2e.test_officer_browser import browser, page, sign_in  # noqa: F401  # fixtures
from tests.web.pages import make_user, sqlite

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser, Page

SHOTS = os.environ.get("PARLEY_SCREENSHOTS", "")
# PDF page sizes in points, as Chromium writes them into the MediaBox.
MEDIA_BOX = {"letter": (612, 792), "a4": (595, 842)}


@pytest.fixture()
def served(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """Serve the app on a random localhost port, linked to a Telegram bot."""
    app = make_app(sqlite(tmp_path), public_base_url="", telegram_bot_username="SpringPDBot")
    with serving(app) as url:
        yield url, app


def artefact(tmp_path: Path, name: str) -> Path:
    """Return where a screenshot or PDF goes: PARLEY_SCREENSHOTS if set, else the test's folder."""
    return Path(SHOTS or tmp_path) / name


def decode(png: bytes) -> str:
    """Decode the one QR code in a PNG image."""
    import zxingcpp
    from PIL import Image

    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return str(found.text)


def test_the_card_screen_is_scanned_to_the_telegram_link(
    served: tuple[str, Flask],
    page: Page,  # noqa: F811  # the fixture imported above
    tmp_path: Path,
) -> None:
    base, app = served
    sign_in(page, base, make_user(app, officer_id="B77"))
    page.get_by_role("link", name="No number? Hand over a card").click()
    assert_accessible(page)
    page.get_by_label("Resident's language").select_option("es")
    page.get_by_label("Incident number").fill("24-009")
    page.get_by_role("button", name="Show the card").click()
    code = page.locator("[data-code]").inner_text()
    qr = page.locator(".qr svg").bounding_box()
    assert qr is not None and qr["width"] >= 300  # large enough to scan across a doorstep
    shot = page.screenshot(path=artefact(tmp_path, "card-screen.png"), full_page=True)
    assert decode(shot) == f"https://t.me/SpringPDBot?start={code}"
    assert_accessible(page)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_printed_sheet_renders_every_script_and_prints_to_pdf(
    browser: Browser,  # noqa: F811  # the fixture imported above
    tmp_path: Path,
    paper: str,
) -> None:
    env = {
        "DATABASE_URL": sqlite(tmp_path),
        "LOG_LEVEL": "WARNING",
        "TELEGRAM_BOT_USERNAME": "SpringPDBot",
        "AGENCY_NAME": "Springfield Police",
    }
    sheet = tmp_path / "sheet.html"
    args = ["cards", "print", "--officer", "B77", "--count", "10", "--language", "ar,zh,en"]
    result = CliRunner().invoke(
        main,
        [*args, "--paper", paper, "--out", str(sheet)],
        env=env,
    )
    assert result.exit_code == 0, result.output
    codes = re.findall(r'data-code="([0-9A-Z]{8})"', sheet.read_text(encoding="utf-8"))
    tab = browser.new_page(viewport={"width": 900, "height": 1200})
    tab.goto(sheet.as_uri())
    first = tab.locator(".card").first
    assert tab.locator(".card").count() == 10
    assert first.locator('[lang="ar"]').evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert_accessible(tab)
    shot = first.screenshot(path=artefact(tmp_path, f"card-{paper}.png"), scale="device")
    big = tab.locator(".card svg").first.screenshot()
    assert decode(big) == f"https://t.me/SpringPDBot?start={codes[0]}"
    assert shot
    pdf = tab.pdf(path=artefact(tmp_path, f"sheet-{paper}.pdf"), prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    width, height = MEDIA_BOX[paper]
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert box is not None
    assert (round(float(box.group(1))), round(float(box.group(2)))) == (width, height)
    # Ten cards at two by four a page: two pages.
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 2
    tab.close()
