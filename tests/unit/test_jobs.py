"""RQ job entry points run with the runtime the worker command installed, never a hidden one."""

from __future__ import annotations

import uuid

import pytest

from bot.tasks import jobs


def test_a_job_in_a_process_with_no_installed_runtime_refuses_to_run() -> None:
    jobs.reset()
    with pytest.raises(jobs.NoRuntimeError, match="python -m bot worker"):
        jobs.run_item(str(uuid.uuid4()))
    with pytest.raises(jobs.NoRuntimeError):
        jobs.sweep()
