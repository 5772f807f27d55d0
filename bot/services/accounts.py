"""Staff accounts: create them, sign in with a lockout, sign out (managing them: account_admin)."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from bot.errors import FieldsError
from bot.i18n.controls import has_controls
from bot.ports import UnitOfWorkFactory
from bot.services.audit import SYSTEM, Action, record
from storage.models import ROLES, User, new_session_token

log = logging.getLogger(__name__)

MIN_PASSWORD = 12
# Long enough for any passphrase; bounded so nobody makes the server hash megabytes.
MAX_PASSWORD = 1024
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Unicode categories that print as nothing: controls, format characters (zero-width), spaces.
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


class AccountError(FieldsError):
    """An account that cannot be created as asked; `fields` names what is wrong."""


@dataclass(frozen=True)
class Account:
    """What the pages need to know about a signed-in person (never the password hash)."""

    id: uuid.UUID
    email: str
    role: str
    officer_id: str
    unit: str | None
    # What a login cookie carries besides the id; changes when the account signs out.
    session_token: str


@dataclass(frozen=True)
class LoginPolicy:
    """How many wrong passwords, within what window, lock an account, and for how long."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


def normalise_email(raw: str) -> str:
    """Return an email address trimmed and lower-cased; raise AccountError if it is not one."""
    email = raw.strip().lower()
    if len(email) > 254 or has_controls(email) or not _EMAIL.fullmatch(email):
        raise AccountError({"email": "must be an email address such as name@agency.gov"})
    return email


def create_user(
    uow: UnitOfWorkFactory,
    email: str,
    password: str,
    role: str,
    now: datetime,
    officer_id: str | None = None,
    unit: str | None = None,
    actor: str = SYSTEM,
) -> Account:
    """Create an account; the officer id defaults to the email. Raise AccountError if invalid."""
    address = _checked(email, password, role, officer_id, unit)
    with uow() as work:
        if work.accounts.by_email(address) is not None:
            raise AccountError({"email": "an account with this email already exists"})
        user = User(
            email=address,
            role=role,
            password_hash=hash_password(password),
            officer_id=(officer_id or address).strip(),
            unit=unit.strip() if unit and unit.strip() else None,
            created_at=now,
        )
        work.accounts.add(user)
        record(work, actor, Action.ACCOUNT_CREATED, address, _described(user), now)
        work.commit()
        log.info("account %s created with role %s", user.id, role)
        return _account(user)


def _checked(email: str, password: str, role: str, officer_id: str | None, unit: str | None) -> str:
    """Return the normalised email of a new account; raise AccountError naming every bad field."""
    errors = _check_fields(password, role, officer_id or email.strip().lower(), unit)
    try:
        address = normalise_email(email)
    except AccountError as exc:
        errors = {**exc.fields, **errors}
    if errors:
        raise AccountError(errors)
    return address


def _described(user: User) -> str:
    """Describe a new account for the audit log: role, officer id, unit."""
    unit = f", unit {user.unit}" if user.unit else ""
    return f"role {user.role}, officer id {user.officer_id}{unit}"


def _check_fields(password: str, role: str, officer_id: str, unit: str | None) -> dict[str, str]:
    """Return what is wrong with a new account's password, role, officer id and unit."""
    errors: dict[str, str] = {}
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        errors["password"] = f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters"
    elif _visible(password) < MIN_PASSWORD:
        # Twelve spaces (or a letter and eleven) pass a length check and guard nothing.
        errors["password"] = f"must have at least {MIN_PASSWORD} characters besides spaces"
    if role not in ROLES:
        errors["role"] = f"must be one of {', '.join(ROLES)}"
    if not 0 < len(officer_id.strip()) <= 64 or has_controls(officer_id):
        errors["officer_id"] = "must be 1 to 64 printable characters (pass an officer id)"
    if unit is not None and (len(unit.strip()) > 64 or has_controls(unit)):
        errors["unit"] = "must be at most 64 printable characters"
    return errors


def _visible(password: str) -> int:
    """Count a password's characters that are not spaces, invisible or control characters."""
    return sum(
        1
        for char in password
        if not char.isspace() and unicodedata.category(char) not in _INVISIBLE
    )


def hash_password(password: str) -> str:
    """Hash a password with scrypt and a random salt (werkzeug's format)."""
    return generate_password_hash(password, method="scrypt")


@cache
def _dummy_hash() -> str:
    """Return a hash no password matches, checked for unknown emails to take the same time."""
    return hash_password(secrets.token_urlsafe(32))


def log_in(
    uow: UnitOfWorkFactory, email: str, password: str, now: datetime, policy: LoginPolicy
) -> Account | None:
    """Return the account if the password is right and it may sign in now, else None.

    Unknown, disabled, locked and wrong all look the same to the caller, and take about as
    long: the password is hashed in every case. The audit log says which it was.
    """
    try:
        address = normalise_email(email)
    except AccountError:
        address = ""
    with uow() as work:
        user = work.accounts.by_email(address, for_update=True) if address else None
        refused = _refusal(user, password, now, policy)
        if user is None or refused:
            # Only what looks like an email is kept: a password typed in the wrong box is not.
            typed = address or "(not an email address)"
            record(work, typed, Action.SIGN_IN_FAILED, typed, refused or "", now)
            work.commit()
            return None
        user.failed_logins, user.failed_since, user.locked_until = 0, None, None
        user.last_login_at = now
        record(work, user.email, Action.SIGN_IN, user.email, "", now)
        work.commit()
        log.info("account %s signed in", user.id)
        return _account(user)


def _refusal(user: User | None, password: str, now: datetime, policy: LoginPolicy) -> str | None:
    """Check a password against an account; return why sign-in is refused, or None."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        log.info("login refused: no such account")
        return "no such account"
    matches = check_password_hash(user.password_hash, password)
    if user.disabled_at is not None:
        log.info("login refused: account %s is disabled", user.id)
        return "account disabled"
    if user.locked_until is not None and now < user.locked_until:
        log.warning("login refused: account %s is locked until %s", user.id, user.locked_until)
        return "account locked"
    if not matches:
        _count_failure(user, now, policy)
        locked = user.locked_until is not None and user.locked_until > now
        return "wrong password" + ("; account locked" if locked else "")
    return None


def _count_failure(user: User, now: datetime, policy: LoginPolicy) -> None:
    """Count a wrong password; lock the account when too many fall within the window."""
    if user.failed_since is None or now - user.failed_since >= policy.window:
        user.failed_logins, user.failed_since = 0, now
    user.failed_logins += 1
    log.info("login refused: wrong password for account %s", user.id)
    if user.failed_logins >= policy.max_failures:
        user.locked_until = now + policy.lockout
        user.failed_logins, user.failed_since = 0, None
        log.warning(
            "account %s locked until %s after %d wrong passwords",
            user.id,
            user.locked_until,
            policy.max_failures,
        )


def load_account(uow: UnitOfWorkFactory, login_id: str) -> Account | None:
    """Return the account a login cookie names, or None if gone, disabled or signed out."""
    user_id, _, token = login_id.partition(":")
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        return None
    with uow() as work:
        user = work.accounts.get(key)
        if user is None or user.disabled_at is not None:
            return None
        if not hmac.compare_digest(token.encode(), user.session_token.encode()):
            return None  # signed out since this cookie was issued
        return _account(user)


def end_logins(uow: UnitOfWorkFactory, user_id: uuid.UUID, now: datetime) -> None:
    """Sign the account out everywhere: every cookie issued so far stops working."""
    with uow() as work:
        user = work.accounts.get(user_id)
        if user is not None:
            user.session_token = new_session_token()
            record(work, user.email, Action.SIGN_OUT, user.email, "", now)
            work.commit()


def _account(user: User) -> Account:
    """Copy what the pages may see of an account."""
    return Account(user.id, user.email, user.role, user.officer_id, user.unit, user.session_token)
