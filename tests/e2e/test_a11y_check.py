"""The accessibility check itself: axe-core finds what a page gets wrong, so a pass counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.a11y import assert_accessible, violations
from tests.e2e.test_officer_browser import browser  # noqa: F401  # the fixture

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_axe_reports_an_unlabelled_field_and_an_image_without_text(
    browser: Browser,  # noqa: F811  # the fixture imported above
) -> None:
    tab = browser.new_page()
    tab.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    found = {rule["id"] for rule in violations(tab)}
    assert {"image-alt", "label", "html-has-lang", "document-title"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(tab)
    tab.close()


def test_a_labelled_page_passes(browser: Browser) -> None:  # noqa: F811
    tab = browser.new_page()
    tab.set_content(
        "<!doctype html><html lang='en'><head><title>Fine</title></head><body><main>"
        "<h1>Fine</h1><label for='n'>Name</label><input id='n' type='text'></main></body></html>"
    )
    assert_accessible(tab)
    tab.close()
