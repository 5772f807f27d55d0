"""Check a page in the browser with axe-core (vendored: tests/e2e/vendor, MPL-2.0).

axe-core 4.14.1, from npm (`npm pack axe-core@4.14.1`): the file is axe.min.js as published,
its licence beside it. It is injected through Playwright's evaluate, which the page's
Content-Security-Policy does not govern, so the policy stays as strict as in production.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# WCAG 2.1 A and AA: what an agency's accessibility policy asks of its staff and public pages.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source() -> str:
    """Return axe-core's source, read once per test run."""
    return AXE.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return its WCAG 2.1 AA violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return list(result["violations"])


def assert_accessible(page: Page) -> None:
    """Fail with each rule broken and the elements that break it, if axe-core finds any."""
    found = violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in found
    ]
    assert found == [], "accessibility violations:\n" + "\n".join(summary)
