"""Drive the scheduler the way the outside world does: triggers, replies, the passing of time."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from bot.ports import InboundMessage
from bot.services.inbound.handle import handle_inbound
from bot.services.reports import survey_report
from bot.services.runtime import Runtime
from bot.services.scheduled_items import run_due_items
from bot.services.surveys import SurveyRequest, SurveyStarted, start_survey
from tests.standins import TwilioStandIn


def trigger(rt: Runtime, number: str, **fields: Any) -> SurveyStarted:
    """Ask for a survey about a contact, as the API, the import and /officer do."""
    fields.setdefault("call_type", "traffic_stop")
    return start_survey(
        rt, SurveyRequest(channel="sms", address=number, flow="post_contact", **fields)
    )


def text(rt: Runtime, number: str, body: str) -> list[str]:
    """Deliver a resident's SMS now; return the replies."""
    sid = "SM" + secrets.token_hex(16)
    return handle_inbound(rt, InboundMessage("sms", number, body, sid, rt.clock()))


def report(rt: Runtime, survey_id: uuid.UUID) -> dict[str, Any]:
    """Return the API's view of a survey."""
    found = survey_report(rt, survey_id)
    assert found is not None
    return found


def schedule(rt: Runtime, survey_id: uuid.UUID) -> list[tuple[str, str]]:
    """Return a survey's scheduled items as (kind, status), soonest first."""
    return [(item["kind"], item["status"]) for item in report(rt, survey_id)["schedule"]]


def run(rt: Runtime) -> list[str]:
    """Run whatever is due now, as the worker would."""
    return run_due_items(rt)


def sent_to(twilio: TwilioStandIn, number: str) -> list[str]:
    """Return the texts the provider accepted for a number."""
    return twilio.bodies_to(number)
