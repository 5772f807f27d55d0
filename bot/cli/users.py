"""Command line: python -m bot user create|disable|enable|unlock|change — staff accounts."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from storage.models import ROLES

if TYPE_CHECKING:
    from bot.services.runtime import Runtime

T = TypeVar("T")


@click.group()
def user() -> None:
    """Manage staff accounts (officers, supervisors, admins)."""


@user.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--officer-id", default=None, help="Badge or officer number (default: the email).")
@click.option("--unit", default=None, help="Unit, team or precinct (optional).")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
def user_create(
    email: str, role: str, officer_id: str | None, unit: str | None, password_stdin: bool
) -> None:
    """Create an account for EMAIL; the password is asked for twice (or read from stdin)."""
    from bot.services.accounts import AccountError, create_user, normalise_email
    from bot.services.audit import command_line

    try:
        normalise_email(email)  # before asking for a password that would be thrown away
    except AccountError as exc:
        raise click.BadParameter(exc.fields["email"], param_hint="EMAIL") from exc
    password = _password(password_stdin)
    account = _with_runtime(
        lambda rt: create_user(
            rt.uow, email, password, role, rt.clock(), officer_id, unit, command_line()
        ),
        AccountError,
    )
    click.echo(f"created {account.role} {account.email} (officer id {account.officer_id})")


@user.command("disable")
@click.argument("email")
def user_disable(email: str) -> None:
    """Stop EMAIL from signing in; a signed-in session ends at its next request."""
    from bot.services.account_admin import disable_user

    def disable(rt: Runtime, actor: str) -> bool:
        """Disable the account, the last admin too: an admin can be made here again."""
        return disable_user(rt.uow, email, rt.clock(), actor, keep_admin=False)

    _change(email, "disabled", disable)


@user.command("enable")
@click.argument("email")
def user_enable(email: str) -> None:
    """Let a disabled EMAIL sign in again."""
    from bot.services.account_admin import enable_user

    _change(email, "enabled", lambda rt, actor: enable_user(rt.uow, email, rt.clock(), actor))


@user.command("unlock")
@click.argument("email")
def user_unlock(email: str) -> None:
    """Lift EMAIL's lockout after too many wrong passwords."""
    from bot.services.account_admin import unlock_user

    _change(email, "unlocked", lambda rt, actor: unlock_user(rt.uow, email, rt.clock(), actor))


@user.command("change")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default=None, help="The new role.")
@click.option("--unit", default=None, help="The new unit ('' for none).")
def user_change(email: str, role: str | None, unit: str | None) -> None:
    """Change EMAIL's role or unit (the last admin keeps their role)."""
    from bot.services.account_admin import change_account, find_account

    def change(rt: Runtime, actor: str) -> bool:
        """Apply the options given, keeping what was not."""
        found = find_account(rt.uow, email)
        if found is None:
            return False
        new_role, new_unit = role or found.role, found.unit if unit is None else unit
        now = rt.clock()
        return change_account(rt.uow, email, new_role, new_unit, now, actor, keep_admin=False)

    _change(email, "changed", change)


def _change(email: str, done: str, action: Callable[[Runtime, str], bool]) -> None:
    """Run an account change as the command line; say what was done or that there is none."""
    from bot.services.accounts import AccountError
    from bot.services.audit import command_line

    found = _with_runtime(lambda rt: action(rt, command_line()), AccountError)
    if not found:
        raise click.ClickException(f"no account {email.strip().lower()}")
    click.echo(f"{done} {email.strip().lower()}")


def _password(from_stdin: bool) -> str:
    """Read a new password: the first line of stdin, or a hidden prompt asked twice."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("no password on standard input")
        return password
    entered: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return entered


def _with_runtime(action: Callable[[Runtime], T], error: type[ValueError]) -> T:
    """Run `action` on a bootstrapped runtime; report `error` cleanly; release the runtime."""
    from bot.cli.runtime import opened_runtime

    with opened_runtime() as rt:
        try:
            return action(rt)
        except error as exc:
            raise click.ClickException(str(exc)) from exc
