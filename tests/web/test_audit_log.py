"""The audit log: an entry for every sign-in, sign-out, account and token change, from the site
and the command line; the page lists them newest first, filters and pages them, edits nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from tests.support import FakeClock
from tests.web.admin_pages import account_id, audit_rows, page_text, post_form, signed_in
from tests.web.pages import PASSWORD, log_in, make_user, new_email, sqlite


@pytest.fixture()
def site(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """Return the app on a SQLite file the command line can reach too."""
    return make_app(sqlite(tmp_path))


def cli(site: Flask, *args: str, input: str | None = None) -> str:
    """Run `python -m bot ARGS` on the site's database; return its output."""
    from bot.cli.main import main

    env = {"DATABASE_URL": site.extensions["parley.settings"].database_url, "LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(main, list(args), env=env, input=input)
    assert result.exit_code == 0, result.output
    return result.output


def test_sign_in_failures_and_sign_out_are_recorded(site: Flask) -> None:
    email = make_user(site)
    client = site.test_client()
    log_in(client, email, "Wrong Password 123")
    log_in(client, new_email())
    log_in(client, PASSWORD)  # the password typed in the email box: not kept
    log_in(client, email)
    post_form(client, "/logout", {})

    rows = audit_rows(site)
    assert rows[0] == (email, "sign_out", email, "")
    assert rows[1] == (email, "sign_in", email, "")
    typo = "(not an email address)"
    assert rows[2] == (typo, "sign_in_failed", typo, "no such account")
    assert rows[3][1:] == ("sign_in_failed", rows[3][0], "no such account")
    assert rows[4] == (email, "sign_in_failed", email, "wrong password")
    everything = repr(rows)
    assert "Wrong Password 123" not in everything and PASSWORD not in everything


def test_a_locked_and_a_disabled_account_say_why_in_the_log_only(
    site: Flask, clock: FakeClock
) -> None:
    email = make_user(site)
    for _ in range(5):
        clock.advance(seconds=10)
        log_in(site.test_client(), email, "wrong password, again")
    clock.advance(seconds=10)
    refused = log_in(site.test_client(), email)
    assert "locked" not in page_text(refused).lower()
    details = [detail for _, _, _, detail in audit_rows(site, "sign_in_failed")]
    assert details[:2] == ["account locked", "wrong password; account locked"]


def test_account_changes_in_the_browser_are_recorded_with_the_admin(site: Flask) -> None:
    admin_email = make_user(site, "admin")
    admin = site.test_client()
    log_in(admin, admin_email)
    email = new_email()
    form = {"email": email, "role": "officer", "unit": "North", "officer_id": "B-7"}
    post_form(admin, "/admin/accounts/new", {**form, "password": PASSWORD})
    path = f"/admin/accounts/{account_id(site, email)}"
    post_form(admin, path, {"role": "supervisor", "unit": "South"})
    post_form(admin, f"{path}/disable", {})
    post_form(admin, f"{path}/enable", {})
    post_form(admin, f"{path}/unlock", {})

    mine = [row for row in audit_rows(site) if row[0] == admin_email and row[2] == email]
    assert mine == [
        (admin_email, "account_unlocked", email, ""),
        (admin_email, "account_enabled", email, ""),
        (admin_email, "account_disabled", email, ""),
        (admin_email, "unit_changed", email, "North → South"),
        (admin_email, "role_changed", email, "officer → supervisor"),
        (admin_email, "account_created", email, "role officer, officer id B-7, unit North"),
    ]


def test_account_and_token_commands_are_recorded_as_the_command_line(site: Flask) -> None:
    import getpass

    email = new_email()
    cli(site, "user", "create", "--role", "officer", email, "--password-stdin", input=PASSWORD)
    cli(site, "user", "change", email, "--role", "supervisor", "--unit", "West")
    cli(site, "user", "disable", email)
    cli(site, "user", "enable", email)
    cli(site, "user", "unlock", email)
    cli(site, "token", "create", "--name", "cad", "--scope", "surveys:write")
    cli(site, "token", "revoke", "cad")

    rows = audit_rows(site)
    actor = f"command line ({getpass.getuser()})"
    assert {row[0] for row in rows} == {actor}
    assert [(action, subject) for _, action, subject, _ in rows] == [
        ("token_revoked", "cad"),
        ("token_created", "cad"),
        ("account_unlocked", email),
        ("account_enabled", email),
        ("account_disabled", email),
        ("unit_changed", email),
        ("role_changed", email),
        ("account_created", email),
    ]
    assert rows[1][3] == "scopes surveys:write"


def test_the_page_lists_newest_first_filters_and_pages(site: Flask, clock: FakeClock) -> None:
    admin_email = make_user(site, "admin")
    admin = site.test_client()
    log_in(admin, admin_email)
    clock.advance(days=2)
    for number in range(55):
        clock.advance(seconds=1)
        log_in(site.test_client(), f"nobody{number}@agency.example", PASSWORD)

    first = page_text(admin.get("/admin/audit?action=sign_in_failed"))
    assert "Page 1: entries 1 to 50, newest first." in first
    assert first.index("nobody54@") < first.index("nobody53@")
    assert "nobody4@" not in first and 'rel="next"' in first
    second = page_text(admin.get("/admin/audit?action=sign_in_failed&page=2"))
    assert "nobody4@" in second and "nobody5@" not in second.replace("nobody54@", "")
    assert 'rel="prev"' in second and 'rel="next"' not in second

    by_actor = page_text(admin.get(f"/admin/audit?actor={admin_email.split('@')[0].upper()}"))
    assert admin_email in by_actor and "nobody" not in by_actor

    today = clock().astimezone(site.extensions["parley.runtime"].policy.default_zone).date()
    ranged = page_text(admin.get(f"/admin/audit?since={today}&until={today}"))
    assert "nobody54@" in ranged and admin_email not in ranged.split("audit-results")[1]
    backwards = admin.get(f"/admin/audit?since={today}&until={today - timedelta(days=1)}")
    assert backwards.status_code == 400 and 'id="until-error"' in page_text(backwards)
    assert admin.get("/admin/audit?since=2026-13-45").status_code == 400


def test_nothing_on_the_site_edits_or_deletes_an_entry(site: Flask) -> None:
    admin = signed_in(site, "admin")
    before = audit_rows(site)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(admin, method)("/admin/audit")
        assert response.status_code in (400, 405)
    assert audit_rows(site) == before
    rules = [r for r in site.url_map.iter_rules() if "audit" in r.rule]
    assert all((rule.methods or set()) <= {"GET", "HEAD", "OPTIONS"} for rule in rules)
