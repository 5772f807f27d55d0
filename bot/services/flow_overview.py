"""What the admin site's flow list shows: each live flow, its languages and the surveys on it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.flows.check import INCOMPLETE, CheckedSettings, LanguageReport, check_flows
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
    report = check_flows(settings)
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


def _state(rt: Runtime, report: LanguageReport) -> LanguageState:
    """Describe one language of a flow by the check's verdict on it."""
    locale = rt.locales.get(report.language)
    name = locale.name if locale is not None else report.language
    return LanguageState(report.language, name, report.status, len(report.missing))
