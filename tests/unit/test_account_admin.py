"""Account changes on the fake database: each one audited, nothing audited when nothing changed,
the last admin kept unless the command line says otherwise; entries kept on one clean line."""

from __future__ import annotations

import pytest

from bot.services.account_admin import change_account, disable_user, enable_user
from bot.services.accounts import AccountError, create_user
from bot.services.audit import Action, record
from bot.services.runtime import Runtime
from storage.models import AuditEntry
from tests.fakes import FakeDatabase

PASSWORD = "correct horse battery staple"


def entries(database: FakeDatabase) -> list[tuple[str, str, str, str]]:
    """Return the committed audit entries, oldest first."""
    return [(e.actor, e.action, e.subject, e.detail) for e in database.all(AuditEntry)]


def test_each_change_is_audited_once_and_a_repeat_is_not(
    rt: Runtime, database: FakeDatabase
) -> None:
    create_user(rt.uow, "a@agency.example", PASSWORD, "officer", rt.clock(), actor="chief")
    for _ in range(2):
        assert disable_user(rt.uow, "a@agency.example", rt.clock(), "chief")
        assert enable_user(rt.uow, "a@agency.example", rt.clock(), "chief")
        assert change_account(rt.uow, "a@agency.example", "officer", " North ", rt.clock(), "chief")
    assert [action for _, action, _, _ in entries(database)] == [
        Action.ACCOUNT_CREATED,
        Action.ACCOUNT_DISABLED,
        Action.ACCOUNT_ENABLED,
        Action.UNIT_CHANGED,
        Action.ACCOUNT_DISABLED,
        Action.ACCOUNT_ENABLED,
    ]
    assert entries(database)[3] == ("chief", "unit_changed", "a@agency.example", "(none) → North")


def test_the_last_admin_is_kept_unless_the_command_line_says(
    rt: Runtime, database: FakeDatabase
) -> None:
    create_user(rt.uow, "chief@agency.example", PASSWORD, "admin", rt.clock())
    with pytest.raises(AccountError, match="last admin"):
        disable_user(rt.uow, "chief@agency.example", rt.clock())
    with pytest.raises(AccountError, match="last admin"):
        change_account(rt.uow, "chief@agency.example", "supervisor", None, rt.clock())
    assert [action for _, action, _, _ in entries(database)] == [Action.ACCOUNT_CREATED]
    assert disable_user(rt.uow, "chief@agency.example", rt.clock(), keep_admin=False)


def test_unknown_accounts_and_bad_fields(rt: Runtime) -> None:
    assert not disable_user(rt.uow, "nobody@agency.example", rt.clock())
    with pytest.raises(AccountError) as refused:
        change_account(rt.uow, "nobody@agency.example", "chief", "x" * 65, rt.clock())
    assert set(refused.value.fields) == {"role", "unit"}
    with pytest.raises(AccountError) as bad:
        create_user(rt.uow, "not an email", "short", "chief", rt.clock())
    assert set(bad.value.fields) == {"email", "password", "role"}  # every field at once


def test_an_entry_is_one_printable_line_within_its_columns(
    rt: Runtime, database: FakeDatabase
) -> None:
    with rt.uow() as work:
        record(work, "", Action.SIGN_IN, "a\nb\u202e" + "x" * 300, "d\x00" * 300, rt.clock())
        work.commit()
    ((actor, _, subject, detail),) = entries(database)
    assert actor == "system"
    assert subject.startswith("abx") and len(subject) == 254
    assert "\x00" not in detail and len(detail) == 300
