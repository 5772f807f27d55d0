"""Managing staff accounts (the command line and the admin site): list, disable, enable,
unlock, change role and unit — each change written to the audit log, the last admin kept.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from bot.i18n.controls import has_controls
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.accounts import AccountError, normalise_email
from bot.services.audit import SYSTEM, Action, record
from storage.models import ROLES, User, new_session_token

log = logging.getLogger(__name__)

# An account is named by its id (the admin site) or its email (the command line).
AccountKey = uuid.UUID | str
LAST_ADMIN = "is the last admin who can sign in: make another admin first"


@dataclass(frozen=True)
class AccountSummary:
    """What the accounts page shows of an account (never its password hash)."""

    id: uuid.UUID
    email: str
    role: str
    officer_id: str
    unit: str | None
    disabled: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime

    def locked(self, now: datetime) -> bool:
        """Say whether too many wrong passwords keep the account from signing in now."""
        return self.locked_until is not None and now < self.locked_until


def summary(user: User) -> AccountSummary:
    """Copy what the accounts page may show of an account."""
    return AccountSummary(
        user.id,
        user.email,
        user.role,
        user.officer_id,
        user.unit,
        user.disabled_at is not None,
        user.locked_until,
        user.last_login_at,
        user.created_at,
    )


def list_accounts(uow: UnitOfWorkFactory) -> list[AccountSummary]:
    """Return every staff account, by email."""
    with uow() as work:
        return [summary(user) for user in work.accounts.all()]


def find_account(uow: UnitOfWorkFactory, key: AccountKey) -> AccountSummary | None:
    """Return one account by id or email, if there is one."""
    with uow() as work:
        user = _find(work, key)
        return summary(user) if user is not None else None


def generated_password() -> str:
    """Return a random password to hand over once: 20 URL-safe characters (120 bits)."""
    return secrets.token_urlsafe(15)


def _find(work: UnitOfWork, key: AccountKey) -> User | None:
    """Return the account an id or an email names, locked for update."""
    if isinstance(key, uuid.UUID):
        return work.accounts.get(key, for_update=True)
    return work.accounts.by_email(normalise_email(key), for_update=True)


def _keep_an_admin(work: UnitOfWork, user: User) -> None:
    """Refuse to take away the last enabled admin: nobody could manage accounts after."""
    admins = work.accounts.enabled_admins()
    if [admin.id for admin in admins] == [user.id]:
        raise AccountError({"account": f"{user.email} {LAST_ADMIN}"})


def disable_user(
    uow: UnitOfWorkFactory,
    key: AccountKey,
    now: datetime,
    actor: str = SYSTEM,
    *,
    keep_admin: bool = True,
) -> bool:
    """Stop an account from signing in, ending its open logins; False if there is none.

    With `keep_admin`, refuse to disable the last admin (the site does; the command line,
    where admins are made, may).
    """
    with uow() as work:
        user = _find(work, key)
        if user is None:
            return False
        if user.disabled_at is None:
            if keep_admin:
                _keep_an_admin(work, user)
            user.disabled_at = now
            record(work, actor, Action.ACCOUNT_DISABLED, user.email, "", now)
        user.session_token = new_session_token()
        work.commit()
        log.info("account %s disabled", user.id)
        return True


def enable_user(
    uow: UnitOfWorkFactory, key: AccountKey, now: datetime, actor: str = SYSTEM
) -> bool:
    """Let a disabled account sign in again; False if there is no such account."""
    with uow() as work:
        user = _find(work, key)
        if user is None:
            return False
        if user.disabled_at is not None:
            user.disabled_at = None
            record(work, actor, Action.ACCOUNT_ENABLED, user.email, "", now)
            work.commit()
            log.info("account %s enabled", user.id)
        return True


def unlock_user(
    uow: UnitOfWorkFactory, key: AccountKey, now: datetime, actor: str = SYSTEM
) -> bool:
    """Lift a lockout and forget the wrong passwords counted; False if there is no account."""
    with uow() as work:
        user = _find(work, key)
        if user is None:
            return False
        user.failed_logins, user.failed_since, user.locked_until = 0, None, None
        record(work, actor, Action.ACCOUNT_UNLOCKED, user.email, "", now)
        work.commit()
        log.info("account %s unlocked", user.id)
        return True


def change_account(
    uow: UnitOfWorkFactory,
    key: AccountKey,
    role: str,
    unit: str | None,
    now: datetime,
    actor: str = SYSTEM,
    *,
    keep_admin: bool = True,
) -> bool:
    """Set an account's role and unit; False if there is none; AccountError if refused."""
    unit = (unit or "").strip() or None
    _check_change(role, unit)
    with uow() as work:
        user = _find(work, key)
        if user is None:
            return False
        if role != user.role:
            if keep_admin and user.role == "admin":
                _keep_an_admin(work, user)
            detail = f"{user.role} → {role}"
            user.role = role
            record(work, actor, Action.ROLE_CHANGED, user.email, detail, now)
        if unit != user.unit:
            detail = f"{user.unit or '(none)'} → {unit or '(none)'}"
            user.unit = unit
            record(work, actor, Action.UNIT_CHANGED, user.email, detail, now)
        work.commit()
        return True


def _check_change(role: str, unit: str | None) -> None:
    """Refuse a role that does not exist and a unit that is too long or unprintable."""
    errors: dict[str, str] = {}
    if role not in ROLES:
        errors["role"] = f"must be one of {', '.join(ROLES)}"
    if unit is not None and (len(unit) > 64 or has_controls(unit)):
        errors["unit"] = "must be at most 64 printable characters"
    if errors:
        raise AccountError(errors)
