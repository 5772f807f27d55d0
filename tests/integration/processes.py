"""Run Parley as production does, in separate processes: gunicorn servers and RQ workers.

The fault tests start real processes on the real PostgreSQL and Redis, send signed Twilio
webhooks to them, and read the outcome from the database and the Twilio stand-in.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import requests

from tests.support import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL, sign

ROOT = Path(__file__).resolve().parents[2]
SMS_PATH = "/webhooks/twilio/sms"
# Generous: a loaded CI machine starts a Python process slowly; nothing waits these out.
START_SECONDS = 60


def free_port() -> int:
    """Return a loopback TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def parley_env(database_url: str, twilio_url: str, tmp: Path, **extra: str) -> dict[str, str]:
    """Return the environment of a Parley process on this database, sending to the stand-in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TWILIO_", "SURVEY_", "REDIS_", "PROMETHEUS_"))
    }
    env.update(
        DATABASE_URL=database_url,
        MIGRATE_ON_START="false",
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM_NUMBER="+15005550006",
        TWILIO_API_BASE_URL=twilio_url,
        QUIET_HOURS="",
        SURVEY_FREQUENCY_DAYS="0",
        SMS_SEGMENTS_PER_SECOND="100",
        SWEEP_SECONDS="1",
        SECRET_KEY=secrets.token_hex(32),
        PROMETHEUS_MULTIPROC_DIR=str(tmp / "metrics"),
        WEB_CONCURRENCY="1",
        WEB_THREADS="2",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def wait_for(condition: Callable[[], bool], timeout: float, every: float = 0.1) -> bool:
    """Poll until `condition` holds or the time is up; say whether it held."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a process in the repository, in a process group of its own; output to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )


def kill_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process and every process it forked, as a lost machine would end them all.

    Not by process group: RQ puts each work horse in a session of its own (setsid).
    """
    doomed = [process.pid, *_descendants(process.pid)]
    for pid in doomed:
        with suppress(ProcessLookupError):  # it ended by itself meanwhile
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)


def _descendants(pid: int) -> list[int]:
    """Return the ids of a process's children, their children, and so on (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended while we looked
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop a process as a deploy does (SIGTERM), or kill it when it lingers."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `python -m bot worker` (an RQ worker when REDIS_URL is set)."""
    return _spawn([sys.executable, "-m", "bot", "worker"], env, log)


@contextmanager
def workers(env: dict[str, str], log: Path, count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Run `count` workers for the duration of a block; stop them after."""
    started = [start_worker(env, log) for _ in range(count)]
    try:
        yield started
    finally:
        for process in started:
            stop(process)


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[str]:
    """Serve Parley with gunicorn.conf.py on a port of its own; yield its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["--access-logfile", "/dev/null", "wsgi:app"]
    process = _spawn(command, {**env, "PORT": str(port)}, log)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_for(lambda: _answers(base) or process.poll() is not None, START_SECONDS):
            raise RuntimeError(f"gunicorn did not start: {tail(log)}")
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}: {tail(log)}")
        yield base
    finally:
        stop(process)


def _answers(base: str) -> bool:
    """Say whether a server answers its liveness probe."""
    try:
        return requests.get(base + "/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def tail(log: Path, size: int = 3000) -> str:
    """Return the end of a process log, for an assertion message."""
    return log.read_text(errors="replace")[-size:] if log.exists() else "(no log)"


def inbound(number: str, body: str, sid: str | None = None) -> dict[str, str]:
    """Return the form of one inbound SMS as Twilio posts it."""
    return {"MessageSid": sid or "SM" + secrets.token_hex(16), "From": number, "Body": body}


def post_sms(base: str, form: dict[str, str], timeout: float = 30) -> requests.Response:
    """Post a signed inbound-SMS webhook to a server, as Twilio does."""
    headers = {"X-Twilio-Signature": sign(SMS_PATH, form)}
    return requests.post(base + SMS_PATH, data=form, headers=headers, timeout=timeout)


def answer_script(flow_id: str = "post_contact", language: str = "en") -> list[tuple[str, str]]:
    """Walk a flow with the engine: (question id, what a resident types), in the order asked."""
    from bot.engine.conversation import Context, begin, step
    from bot.flows.files import load_flows
    from bot.flows.locales import load_locales

    typed = {"yes_no": "yes", "scale": "4", "nps": "9", "choice": "1", "text": "All good."}
    flow = load_flows(ROOT / "flows")[flow_id]
    ctx = Context(locales=load_locales(ROOT / "locales"), values={})
    state = begin(flow, language, ctx).state
    script = []
    while state.node_id is not None:
        text = typed[flow.nodes[state.node_id].kind.value]
        script.append((state.node_id, text))
        state = step(flow, state, text, datetime.now(UTC), ctx).state
    return script
