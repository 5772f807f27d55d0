"""The flow pages in a real browser: start a draft, fix its YAML, publish, see the new version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.e2e.a11y import assert_accessible
from tests.e2e.test_admin_browser import laptop, served, shoot, sign_in
from tests.e2e.test_officer_browser import browser
from tests.web.pages import make_user

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Page

__all__ = ["browser", "laptop", "served"]  # the fixtures, shared with the admin site's tests


def test_an_admin_fixes_a_drafts_yaml_and_publishes_it(
    served: tuple[str, Flask], laptop: Page
) -> None:
    base, app = served
    sign_in(laptop, base, make_user(app, "admin"))
    laptop.get_by_role("link", name="Flows").click()
    laptop.get_by_role("link", name="post_contact").click()
    laptop.wait_for_url(f"{base}/admin/flows/post_contact")
    assert laptop.locator("#draft-status").inner_text().startswith("No draft.")
    assert_accessible(laptop)
    shoot(laptop, "flow_page")

    laptop.get_by_role("button", name="Start a draft").click()
    assert "Draft of version 1" in laptop.locator("#draft-status").inner_text()
    assert_accessible(laptop)
    laptop.get_by_role("link", name="Edit the draft's YAML files").click()
    laptop.wait_for_url(f"{base}/admin/flows/post_contact/draft/yaml")
    assert_accessible(laptop)

    file = laptop.get_by_label("post_contact.yaml", exact=True)
    shipped = file.input_value()
    broken = shipped.replace("next: listened", "next: nowhere", 1)
    line = broken.splitlines().index("    next: nowhere") + 1
    file.fill(broken)
    laptop.get_by_role("button", name="Save draft").click()
    error = laptop.locator("#file-1-error")
    assert f"Line {line} (nodes[0].next): next 'nowhere' names no node" in error.inner_text()
    assert file.get_attribute("aria-invalid") == "true"
    assert "next: nowhere" in file.input_value()  # the text as typed is kept
    assert_accessible(laptop)
    shoot(laptop, "draft_yaml_error")

    file.fill(shipped)
    laptop.get_by_role("button", name="Save draft").click()
    assert "It has no problems" in laptop.get_by_role("status").inner_text()
    assert laptop.locator("#file-1-error").count() == 0
    assert_accessible(laptop)

    laptop.get_by_role("link", name="Back to the flow").click()
    laptop.get_by_role("button", name="Publish draft").click()
    laptop.wait_for_url(f"{base}/admin/flows/post_contact")
    assert "Published as version 2" in laptop.get_by_role("status").inner_text()
    assert laptop.get_by_role("rowheader", name="2 (live)").count() == 1
    assert laptop.locator("#draft-status").inner_text().startswith("No draft.")
    assert_accessible(laptop)
    shoot(laptop, "flow_published")


def test_an_admin_routes_a_call_type_compares_versions_and_rolls_back(
    served: tuple[str, Flask], laptop: Page
) -> None:
    base, app = served
    sign_in(laptop, base, make_user(app, "admin"))
    laptop.get_by_role("link", name="Routing").click()
    laptop.wait_for_url(f"{base}/admin/routing")
    assert_accessible(laptop)
    laptop.get_by_role("button", name="Save route").click()  # no call type typed
    assert "Enter a call type" in laptop.locator("#call_type-error").inner_text()
    assert laptop.get_by_role("textbox", name="Call type").get_attribute("aria-invalid") == "true"
    assert_accessible(laptop)
    laptop.get_by_role("textbox", name="Call type").fill("Traffic Stop")
    laptop.get_by_role("button", name="Save route").click()
    assert "now starts flow post_contact" in laptop.get_by_role("status").inner_text()
    assert laptop.get_by_role("rowheader", name="traffic_stop").count() == 1
    assert_accessible(laptop)
    shoot(laptop, "routing")

    # A second version (the same files published again), then compare and roll back.
    laptop.goto(f"{base}/admin/flows/post_contact")
    laptop.get_by_role("button", name="Start a draft").click()
    laptop.get_by_role("button", name="Publish draft").click()
    laptop.get_by_role("button", name="Compare").click()
    laptop.wait_for_url("**/admin/flows/post_contact/diff?old=1&new=2")
    assert "say the same to every resident" in laptop.get_by_role("status").inner_text()
    assert_accessible(laptop)
    laptop.get_by_role("link", name="Back to the flow").click()
    laptop.get_by_role("link", name="Roll back to version 1").click()
    assert_accessible(laptop)
    laptop.get_by_role("button", name="Roll back to version 1").click()
    assert "as version 3" in laptop.get_by_role("status").inner_text()
    assert laptop.get_by_role("rowheader", name="3 (live)").count() == 1
