"""Command line: python -m bot survey cancel ID | --incident ID — stop surveys being texted."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bot.services.surveys import SurveyStarted


@click.group()
def survey() -> None:
    """Manage surveys already asked for."""


@survey.command("cancel")
@click.argument("survey_id", required=False)
@click.option("--incident", default=None, help="Cancel every live survey about this incident.")
@click.option(
    "--excluded-call-type",
    is_flag=True,
    help="Record the reason as excluded_call_type (the call was reclassified), not cancelled.",
)
def survey_cancel(survey_id: str | None, incident: str | None, excluded_call_type: bool) -> None:
    """Cancel SURVEY_ID, or every scheduled or active survey about --incident; nothing more is
    texted for them. Cancelling a survey that has already ended changes nothing."""
    from bot.cli.runtime import opened_runtime
    from bot.scheduling.model import RefusalReason
    from bot.services.cancel import cancel_incident, cancel_survey

    if (survey_id is None) == (incident is None):
        raise click.UsageError("give a survey id or --incident, not both")
    reason = RefusalReason.EXCLUDED_CALL_TYPE if excluded_call_type else RefusalReason.CANCELLED
    with opened_runtime() as rt:
        if incident is not None:
            found = cancel_incident(rt, incident, reason)
            click.echo(f"cancelled {len(found)} survey{'' if len(found) == 1 else 's'}")
            for cancelled in found:
                click.echo(f"  {_line(cancelled)}")
            return
        one = cancel_survey(rt, _survey_id(survey_id or ""), reason)
    if one is None:
        raise click.ClickException(f"no survey {survey_id}")
    click.echo(_line(one))


def _survey_id(text: str) -> uuid.UUID:
    """Read a survey id; refuse anything else as a usage error."""
    try:
        return uuid.UUID(text.strip())
    except ValueError as exc:
        raise click.BadParameter(f"{text!r} is not a survey id", param_hint="SURVEY_ID") from exc


def _line(survey: SurveyStarted) -> str:
    """Describe a survey after a cancel: cancelled now, or as it already was."""
    state = f"{survey.status} ({survey.reason})" if survey.reason else survey.status
    verb = "cancelled" if survey.cancelled else "unchanged, already"
    return f"{survey.id}: {verb} {state}"
