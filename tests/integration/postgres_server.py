"""A PostgreSQL server of the test's own, on a free port, that a test may stop and start again."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.backing_services import missing_service
from tests.integration.processes import free_port

BINARIES = ("initdb", "pg_ctl", "postgres")
# PostgreSQL refuses to run as root: under root (a container), it runs as this user instead.
SYSTEM_USER = "postgres"


class PostgresServer:
    """One postgres process over a throwaway data directory, stopped as an operator would."""

    def __init__(self, bin_dir: Path, home: Path, port: int) -> None:
        self._bin = bin_dir
        self._data = home / "data"
        self._sockets = home / "sockets"
        self._log = home / "postgres.log"
        self.port = port

    @property
    def url(self) -> str:
        """Return the URL Parley connects with (the trusting superuser, the default database)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> None:
        """Create the data directory (no fsync: nothing here must survive a power cut)."""
        self._sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self._sockets, SYSTEM_USER)
        self._run("initdb", "-D", str(self._data), "-U", "postgres", "--auth=trust", "--no-sync")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self._sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self._data), "-o", options, "-l", str(self._log), "-w", "start"
        )

    def stop(self) -> None:
        """Stop the server the fast way: open connections are cut, as in a restart or failover."""
        self._run("pg_ctl", "-D", str(self._data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        """Say whether the server is running."""
        status = self._command("pg_ctl", "-D", str(self._data), "status")
        return subprocess.run(status, capture_output=True, check=False).returncode == 0

    def _run(self, binary: str, *args: str) -> None:
        """Run one PostgreSQL program; raise with its output when it fails."""
        done = subprocess.run(
            self._command(binary, *args), capture_output=True, check=False, timeout=60
        )
        if done.returncode != 0:
            raise RuntimeError(f"{binary} failed: {done.stdout!r} {done.stderr!r}")

    def _command(self, binary: str, *args: str) -> list[str]:
        """Build a command line, run as the postgres system user when we are root."""
        command = [str(self._bin / binary), *args]
        return ["runuser", "-u", SYSTEM_USER, "--", *command] if os.geteuid() == 0 else command


def _bin_dir() -> Path | None:
    """Return the directory holding initdb, pg_ctl and postgres, if they are installed.

    On the PATH, else where Debian and Ubuntu keep them (/usr/lib/postgresql/<major>/bin,
    off the PATH), the newest first.
    """
    found = shutil.which("initdb")
    candidates = [Path(os.path.realpath(found)).parent] if found else []
    debian = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(
        debian, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True
    )
    for directory in candidates:
        if all((directory / name).exists() for name in BINARIES):
            return directory
    return None


def _user_exists(name: str) -> bool:
    """Say whether a system user exists."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@contextmanager
def private_postgres() -> Iterator[PostgresServer]:
    """Run a PostgreSQL server for one test (skipped on a laptop without one, fails in CI)."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        missing_service("initdb, pg_ctl and postgres are not installed", "PostgreSQL")
    assert bin_dir is not None
    if os.geteuid() == 0 and not _user_exists(SYSTEM_USER):
        missing_service(
            f"PostgreSQL refuses root, and there is no {SYSTEM_USER} user", "PostgreSQL"
        )
    # Not under pytest's tmp_path: under root its parents are closed to the postgres user.
    home = Path(tempfile.mkdtemp(prefix="parley-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, SYSTEM_USER)
    server = PostgresServer(bin_dir, home, free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        if server.running():
            server.stop()
        shutil.rmtree(home, ignore_errors=True)
