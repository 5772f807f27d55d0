"""What the admin site's flow list shows: each live flow, its languages and the surveys on it."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from bot.flows.check import (
    INCOMPLETE,
    CheckedSettings,
    CheckReport,
    LanguageReport,
    check_flows,
)
from bot.services.runtime import Runtime
from storage.queries import RunningCount


@dataclass(frozen=True)
class LanguageState:
    """One language of a flow: its name, whether residents are offered it, what it lacks."""

    code: str
    name: str
    status: str
    missing: int

    @property
    def complete(self) -> bool:
        """Say whether every text is there for residents in this language."""
        return self.status != INCOMPLETE and self.missing == 0


@dataclass(frozen=True)
class FlowOverview:
    """One flow as the list shows it: live version, languages, surveys running per version."""

    id: str
    digest: str
    number: int | None
    base_language: str
    languages: tuple[LanguageState, ...]
    running: tuple[RunningCount, ...]

    @property
    def running_total(self) -> int:
        """Count the surveys of this flow not yet ended, on every version."""
        return sum(count.active + count.scheduled for count in self.running)


def flow_overview(rt: Runtime, settings: CheckedSettings) -> tuple[list[FlowOverview], list[str]]:
    """Return every live flow with its languages and running surveys, and the check's errors."""
    report = _checked(settings)
    languages = {flow.id: flow.languages for flow in report.flows}
    running = rt.admin.running()
    rows = []
    for flow_id, flow in sorted(rt.flows.items()):
        rows.append(
            FlowOverview(
                id=flow_id,
                digest=flow.version,
                number=rt.admin.version_number(flow_id, flow.version),
                base_language=flow.base_language,
                languages=tuple(_state(rt, r) for r in languages.get(flow_id, ())),
                running=tuple(count for count in running if count.flow_id == flow_id),
            )
        )
    return rows, list(report.errors)


# The last check and what it was made from: checking every file takes about half a second,
# and the files change rarely, so each process checks again only when one has changed.
_last: dict[tuple[object, ...], CheckReport] = {}
_lock = threading.Lock()


def _checked(settings: CheckedSettings) -> CheckReport:
    """Return the check of the flow and locale files, made again only when they changed."""
    key = (
        _fingerprint(settings.flows_dir),
        _fingerprint(settings.locales_dir),
        repr((settings.placeholder_values, settings.agency_contacts, settings.contacts)),
    )
    with _lock:
        report = _last.get(key)
    if report is None:
        report = check_flows(settings)
        with _lock:
            _last.clear()
            _last[key] = report
    return report


def _fingerprint(directory: Path) -> tuple[object, ...]:
    """Name a directory's files with their sizes and change times: any edit changes it."""
    if not directory.is_dir():
        return (str(directory),)
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    return (str(directory), *((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files))


def _state(rt: Runtime, report: LanguageReport) -> LanguageState:
    """Describe one language of a flow by the check's verdict on it."""
    locale = rt.locales.get(report.language)
    name = locale.name if locale is not None else report.language
    return LanguageState(report.language, name, report.status, len(report.missing))
