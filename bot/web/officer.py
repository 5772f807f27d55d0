"""The officer page: ask for a survey after a contact, from a phone, in a few seconds."""

from __future__ import annotations

import re
import uuid

from flask import Blueprint, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import Field, Form, RadioField, SelectField, StringField, TelField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from bot.engine.model import Flow
from bot.i18n.controls import has_controls
from bot.services.addresses import Channel, mask
from bot.services.cancel import cancel_survey
from bot.services.flow_routes import flow_for
from bot.services.runtime import Runtime
from bot.services.surveys import SurveyError, SurveyRequest, start_survey
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime
from bot.web.outcome import CANCELLED, Outcome, cancellable, describe
from bot.web.security import page_headers

bp = Blueprint("officer", __name__)
bp.after_request(page_headers)

# Offered as suggestions; officers may type any call type (the send rules read it).
COMMON_CALL_TYPES = (
    "Traffic stop",
    "Traffic collision",
    "Theft report",
    "Burglary report",
    "Vandalism",
    "Noise complaint",
    "Welfare check",
    "Suspicious activity",
    "Alarm",
    "Disturbance",
    "Found property",
    "Civil matter",
    "Citizen assist",
)
# Which form field shows a service error about each request field.
FORM_FIELD = {
    "address": "phone",
    "language": "language",
    "incident_id": "incident",
    "channel": "channel",
}
# The channels an officer may send a survey by, as the form names them. Telegram is not one:
# a bot may write only to a chat the resident opened, which a card does ("Hand over a card").
CHANNEL_NAMES = {Channel.SMS: "Text message (SMS)", Channel.WHATSAPP: "WhatsApp"}


def printable(form: Form, field: Field) -> None:
    """Refuse control characters: no number or identifier carries one."""
    if field.data and has_controls(field.data):
        raise ValidationError("Remove the special characters.")


class SurveyForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """What an officer types after a contact."""

    phone = TelField(
        "Resident's phone number",
        validators=[InputRequired("Enter the resident's phone number."), Length(max=32), printable],
    )
    # Choices are those configured (see _form); anything else posted is refused by the field.
    channel = RadioField("Send by", choices=[], default=Channel.SMS.value, validate_choice=False)
    language = SelectField("Language", choices=[], validate_choice=True)
    incident = StringField("Incident number", validators=[Optional(), Length(max=64), printable])
    call_type = StringField("Call type", validators=[Optional(), Length(max=64), printable])

    def validate_channel(self, field: Field) -> None:
        """Refuse a channel that is not offered: a forged value or one no longer configured."""
        if field.data not in dict(field.choices):
            offered = " or ".join(name for _, name in field.choices)
            raise ValidationError(f"Choose how to send the survey: {offered}.")


class CancelForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """The result page's Cancel button: only its CSRF token; the survey is in the session."""


# The session key holding the last request's outcome: never answers, only part of the number.
RESULT_KEY = "officer_result"
STAFF = ("officer", "supervisor", "admin")


def _flow(rt: Runtime) -> Flow | None:
    """Return the default flow (its languages fill the form), if it is live."""
    return rt.flows.get(flow_for(rt, None))


def _form(rt: Runtime) -> SurveyForm:
    """Build the form with the flow's languages, each named in its own language."""
    form = SurveyForm()
    flow = _flow(rt)
    codes = [c for c in flow.languages if c in rt.locales] if flow else []
    form.language.choices = [("", "Let the resident's number decide")] + [
        (code, rt.locales[code].name) for code in codes
    ]
    # SMS is always offered (its absence is the administrator's to fix, said on the page);
    # WhatsApp only when its sender is configured (WHATSAPP_FROM).
    form.channel.choices = [
        (channel.value, name)
        for channel, name in CHANNEL_NAMES.items()
        if channel == Channel.SMS or channel in rt.senders
    ]
    return form


@bp.route("/officer", methods=["GET", "POST"])
@role_required("officer", "supervisor", "admin")
def form() -> ResponseReturnValue:
    """Show the survey form; on a valid post, ask for the survey and show what happened."""
    rt = runtime()
    survey_form = _form(rt)
    if not survey_form.validate_on_submit():
        return _page(survey_form, 400 if survey_form.is_submitted() else 200)
    request = _request(rt, survey_form)
    try:
        started = start_survey(rt, request)
    except SurveyError as exc:
        return _refused(survey_form, exc, set_up=request.channel in rt.senders)
    outcome = describe(started, rt.policy.default_zone)
    # Post/redirect/get: reloading the result page must not ask for the survey again.
    session[RESULT_KEY] = {
        "kind": outcome.kind,
        "title": outcome.title,
        "detail": outcome.detail,
        "masked": mask(re.sub(r"\D", "", request.address)),
        "channel": CHANNEL_NAMES[Channel(request.channel)],
        # Only the survey this officer just asked for can be cancelled from the result page.
        "survey": str(started.id) if cancellable(started) else None,
    }
    return redirect(url_for("officer.result"), 303)


@bp.get("/officer/result")
@role_required(*STAFF)
def result() -> ResponseReturnValue:
    """Show what became of the officer's last request (kept in their signed session)."""
    shown = session.get(RESULT_KEY)
    if not isinstance(shown, dict):
        return redirect(url_for("officer.form"))
    outcome = Outcome(shown["kind"], shown["title"], shown["detail"])
    return render_template(
        "officer/result.html",
        masked=shown["masked"],
        channel=shown.get("channel", CHANNEL_NAMES[Channel.SMS]),
        outcome=outcome,
        cancel=CancelForm() if shown.get("survey") else None,
    )


@bp.post("/officer/cancel")
@role_required(*STAFF)
def cancel() -> ResponseReturnValue:
    """Cancel the survey on the officer's result page; show that nothing will be sent."""
    shown = session.get(RESULT_KEY)
    if not isinstance(shown, dict) or not shown.get("survey"):
        return redirect(url_for("officer.result"), 303)  # nothing of theirs to cancel
    if not CancelForm().validate_on_submit():
        return redirect(url_for("officer.result"), 303)
    cancel_survey(runtime(), uuid.UUID(shown["survey"]))
    # Post/redirect/get: the result page now says it is cancelled, and offers no button.
    cancelled = {"kind": "cancelled", "title": "Cancelled", "detail": CANCELLED, "survey": None}
    session[RESULT_KEY] = {**shown, **cancelled}
    return redirect(url_for("officer.result"), 303)


def _request(rt: Runtime, survey_form: SurveyForm) -> SurveyRequest:
    """Build the service's request from the form and the signed-in officer."""
    account = signed_in().account
    return SurveyRequest(
        channel=Channel(survey_form.channel.data),  # validated: one of CHANNEL_NAMES
        address=survey_form.phone.data or "",
        flow="",  # the flow its call type is routed to, else the default
        language=survey_form.language.data or None,
        officer_id=account.officer_id,
        unit=account.unit,
        incident_id=(survey_form.incident.data or "").strip() or None,
        call_type=(survey_form.call_type.data or "").strip() or None,
        occurred_at=rt.clock(),
    )


def _refused(survey_form: SurveyForm, exc: SurveyError, set_up: bool) -> ResponseReturnValue:
    """Show the service's objections next to the fields they are about.

    A channel that is `set_up` but refused (WhatsApp without a template for the language) is
    the officer's to change; a channel with no sender at all is the administrator's.
    """
    general: list[str] = []
    for name, message in exc.fields.items():
        shown_by = FORM_FIELD.get(name, "") if name != "channel" or set_up else ""
        field = getattr(survey_form, shown_by, None)
        if field is None:
            general.append(f"{name}: {message}")
        else:
            field.errors = [*field.errors, _sentence(message)]
    # Anything not about a field is set-up (no SMS channel, no such flow), not the officer's.
    return _page(survey_form, 503 if general else 400, general)


def _sentence(message: str) -> str:
    """Turn a service message into a sentence an officer reads at a glance."""
    text = message[:1].upper() + message[1:]
    return text if text.endswith(".") else text + "."


def _page(
    survey_form: SurveyForm, status: int, general: list[str] | None = None
) -> tuple[str, int]:
    """Render the form with what was typed and any errors (a refused number is not shown)."""
    if survey_form.phone.errors:
        # The page answers with the number's fault, not the number: a mistyped number may
        # still be someone's, and error pages end up in proxies' and browsers' records.
        survey_form.phone.data = ""
    page = render_template(
        "officer/start.html",
        form=survey_form,
        call_types=COMMON_CALL_TYPES,
        general=general or [],
        account=signed_in().account,
    )
    return page, status
