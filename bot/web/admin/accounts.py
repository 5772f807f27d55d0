"""Staff accounts in the browser: list, create, disable, enable, unlock, change role and unit.

Every change goes through bot/services/account_admin.py (which writes the audit log) and ends
in a redirect (post/redirect/get); a form with mistakes comes back with each next to its field.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from bot.services.account_admin import (
    AccountSummary,
    change_account,
    disable_user,
    enable_user,
    find_account,
    generated_password,
    list_accounts,
    unlock_user,
)
from bot.services.accounts import AccountError, create_user
from bot.web.admin.blueprint import READERS, WRITERS, bp
from bot.web.admin.forms import AccountForm, ActionForm, ChangeForm
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime

# Service field names that differ from the form's ("account": a refusal about the whole account).
_FIELD = {"account": "role"}
_ACTIONS = {
    "disable": (disable_user, "disabled"),
    "enable": (enable_user, "enabled"),
    "unlock": (unlock_user, "unlocked"),
}


@bp.get("/accounts")
@role_required(*READERS)
def accounts() -> ResponseReturnValue:
    """List every staff account with its role, unit and state."""
    rt = runtime()
    return render_template("admin/accounts.html", accounts=list_accounts(rt.uow), now=rt.clock())


@bp.route("/accounts/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new_account() -> ResponseReturnValue:
    """Show the new-account form; create the account, showing a generated password once."""
    form = AccountForm()
    if not form.validate_on_submit():
        return _new_page(form, 400 if form.is_submitted() else 200)
    rt = runtime()
    password = form.password.data or generated_password()
    try:
        account = create_user(
            rt.uow,
            form.email.data or "",
            password,
            form.role.data,
            rt.clock(),
            officer_id=(form.officer_id.data or "").strip() or None,
            unit=form.unit.data or None,
            actor=signed_in().account.email,
        )
    except AccountError as exc:
        _field_errors(form, exc)
        return _new_page(form, 400)
    if form.password.data:
        flash(f"Account {account.email} created.", "done")
        return redirect(url_for("admin.account", account_id=account.id), 303)
    # Shown in this answer only (no-store): a password never rides in the session cookie.
    return render_template("admin/account_created.html", account=account, password=password)


def _new_page(form: AccountForm, status: int) -> tuple[str, int]:
    """Render the new-account form with what was typed (never the password) and any errors."""
    form.password.data = ""
    return render_template("admin/account_new.html", form=form), status


@bp.get("/accounts/<uuid:account_id>")
@role_required(*READERS)
def account(account_id: uuid.UUID) -> ResponseReturnValue:
    """Show one account; admins get the forms that change it."""
    found = _found(account_id)
    form = ChangeForm(role=found.role, unit=found.unit or "")
    return _account_page(found, form, 200)


@bp.post("/accounts/<uuid:account_id>")
@role_required(*WRITERS)
def change(account_id: uuid.UUID) -> ResponseReturnValue:
    """Change an account's role and unit; refuse to demote the last admin."""
    found = _found(account_id)
    form = ChangeForm()
    if not form.validate_on_submit():
        return _account_page(found, form, 400)
    rt = runtime()
    actor = signed_in().account.email
    try:
        change_account(rt.uow, account_id, form.role.data, form.unit.data, rt.clock(), actor)
    except AccountError as exc:
        _field_errors(form, exc)
        return _account_page(found, form, 400)
    flash(f"Account {found.email} saved.", "done")
    return redirect(url_for("admin.account", account_id=account_id), 303)


@bp.post("/accounts/<uuid:account_id>/<any(disable, enable, unlock):action>")
@role_required(*WRITERS)
def act(account_id: uuid.UUID, action: str) -> ResponseReturnValue:
    """Disable, enable or unlock an account, then show it again."""
    found = _found(account_id)
    if not ActionForm().validate_on_submit():  # CSRFProtect answers first; kept as a guard
        return redirect(url_for("admin.account", account_id=account_id), 303)
    rt = runtime()
    service, done = _ACTIONS[action]
    try:
        service(rt.uow, account_id, rt.clock(), signed_in().account.email)
    except AccountError as exc:
        flash(_sentence(" ".join(exc.fields.values())), "error")
    else:
        flash(f"Account {found.email} {done}.", "done")
    return redirect(url_for("admin.account", account_id=account_id), 303)


def _found(account_id: uuid.UUID) -> AccountSummary:
    """Return the account a URL names, or answer 404."""
    found = find_account(runtime().uow, account_id)
    if found is None:
        abort(404, "There is no such account.")
    return found


def _account_page(found: AccountSummary, form: ChangeForm, status: int) -> tuple[str, int]:
    """Render one account with its change form and action buttons."""
    page = render_template(
        "admin/account.html",
        account=found,
        form=form,
        now=runtime().clock(),
        writer=signed_in().role in WRITERS,
    )
    return page, status


def _field_errors(form: AccountForm | ChangeForm, exc: AccountError) -> None:
    """Put each of the service's objections next to the field it is about."""
    for name, message in exc.fields.items():
        field = getattr(form, _FIELD.get(name, name), None) or form.role
        field.errors = [*field.errors, _sentence(message)]


def _sentence(message: str) -> str:
    """Turn a service message into a sentence: a capital first, a full stop last."""
    text = message[:1].upper() + message[1:]
    return text if text.endswith(".") else text + "."
