"""python -m bot user create|disable|unlock: staff accounts from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import main
from bot.services.accounts import LoginPolicy, log_in
from bot.services.runtime import Runtime
from tests.support import TEST_KEYS, FakeClock

PASSWORD = "correct horse battery staple"


@pytest.fixture()
def env(database_url: str) -> dict[str, str]:
    """Environment for CLI runs on SQLite, then on PostgreSQL."""
    return {"DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}


@pytest.fixture()
def rt(env: dict[str, str], clock: FakeClock) -> Iterator[Runtime]:
    """A runtime on the same database, to check what the commands stored."""
    from bot.bootstrap import bootstrap
    from bot.config.settings import Settings

    runtime = bootstrap(Settings(database_url=env["DATABASE_URL"], **TEST_KEYS), clock=clock)
    yield runtime
    runtime.close()


def run(env: dict[str, str], *args: str, input: str | None = None) -> tuple[int, str]:
    """Run `python -m bot ARGS` in-process; return the exit code and the output."""
    result = CliRunner().invoke(main, list(args), env=env, input=input)
    return result.exit_code, result.output


def email() -> str:
    """Return an address no other test uses."""
    import secrets

    return f"Sgt-{secrets.token_hex(4)}@Agency.Example"


def test_create_asks_for_the_password_twice_without_echoing_it(
    env: dict[str, str], rt: Runtime
) -> None:
    address = email()
    code, out = run(
        env,
        "user",
        "create",
        "--role",
        "supervisor",
        address,
        "--officer-id",
        "S-77",
        "--unit",
        "North",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert code == 0, out
    assert PASSWORD not in out
    assert f"created supervisor {address.lower()} (officer id S-77)" in out
    account = log_in(rt.uow, address, PASSWORD, rt.clock(), LoginPolicy())
    assert account is not None
    assert (account.role, account.officer_id, account.unit) == ("supervisor", "S-77", "North")


def test_create_refuses_mismatched_and_short_passwords(env: dict[str, str]) -> None:
    code, out = run(
        env, "user", "create", "--role", "officer", email(), input=f"{PASSWORD}\nother\n" * 3
    )
    assert code != 0 and "do not match" in out.lower()
    code, out = run(
        env, "user", "create", "--role", "officer", email(), "--password-stdin", input="too short\n"
    )
    assert code == 1 and "password: must be 12 to 1024 characters" in out


@pytest.mark.parametrize(
    "password",
    [
        " " * 12,
        " " * 40,
        "\t" * 12,
        "\u00a0" * 12,  # no-break spaces
        "\u200b" * 12,  # zero-width spaces
        "a" + " " * 11,
        "pass  word" + " " * 20,
    ],
)
def test_create_refuses_passwords_made_mostly_of_spaces(env: dict[str, str], password: str) -> None:
    address = email()
    code, out = run(
        env, "user", "create", "--role", "admin", address, "--password-stdin", input=password
    )
    assert code == 1, out
    assert "password: must have at least 12 characters besides spaces" in out


def test_create_from_stdin_defaults_the_officer_id_to_the_email(
    env: dict[str, str], rt: Runtime
) -> None:
    address = email()
    code, out = run(
        env, "user", "create", "--role", "officer", address, "--password-stdin", input=PASSWORD
    )
    assert code == 0, out
    account = log_in(rt.uow, address, PASSWORD, rt.clock(), LoginPolicy())
    assert account is not None and account.officer_id == address.lower()
    code, out = run(
        env,
        "user",
        "create",
        "--role",
        "officer",
        address.upper(),
        "--password-stdin",
        input=PASSWORD,
    )
    assert code == 1 and "already exists" in out


def test_create_refuses_bad_roles_and_emails(env: dict[str, str]) -> None:
    code, out = run(env, "user", "create", "--role", "chief", email(), input=PASSWORD)
    assert code == 2 and "'chief' is not one of" in out
    code, out = run(env, "user", "create", "--role", "admin", "not-an-email", input=PASSWORD)
    assert code == 2 and "must be an email address" in out


def test_disable_stops_sign_in(env: dict[str, str], rt: Runtime) -> None:
    address = email()
    run(env, "user", "create", "--role", "admin", address, "--password-stdin", input=PASSWORD)

    code, out = run(env, "user", "disable", address)

    assert code == 0 and f"disabled {address.lower()}" in out
    assert log_in(rt.uow, address, PASSWORD, rt.clock(), LoginPolicy()) is None
    code, out = run(env, "user", "disable", "nobody@agency.example")
    assert code == 1 and "no account nobody@agency.example" in out


def test_unlock_lifts_a_lockout(env: dict[str, str], rt: Runtime, clock: FakeClock) -> None:
    address = email()
    run(env, "user", "create", "--role", "officer", address, "--password-stdin", input=PASSWORD)
    policy = LoginPolicy(max_failures=2, lockout=timedelta(hours=1))
    for _ in range(2):
        assert log_in(rt.uow, address, "wrong password!", clock(), policy) is None
    assert log_in(rt.uow, address, PASSWORD, clock(), policy) is None  # locked

    code, out = run(env, "user", "unlock", address)

    assert code == 0 and f"unlocked {address.lower()}" in out
    assert log_in(rt.uow, address, PASSWORD, clock(), policy) is not None
    assert run(env, "user", "unlock", "nobody@agency.example")[0] == 1


def test_user_commands_reach_a_fresh_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "LOG_LEVEL": "WARNING"}
    code, out = run(
        env, "user", "create", "--role", "admin", email(), "--password-stdin", input=PASSWORD
    )
    assert code == 0, out
