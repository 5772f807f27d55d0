"""What the flow admin services refuse, and why, in terms a form can show."""

from __future__ import annotations

from collections.abc import Sequence

from bot.errors import FieldsError
from bot.flows.problems import FieldProblem


class FlowAdminError(FieldsError):
    """A request about a flow that cannot be carried out: no such flow, version or draft."""


class PublishRefusedError(Exception):
    """The draft cannot be published: each problem names the field it is about."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field or p.file}: {p.message}" for p in problems))
        self.problems = tuple(problems)
