"""REST API for dispatch and records systems: start surveys and read them back."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, Literal, TypeVar

from flask import Blueprint, Response, abort, g, jsonify, request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.i18n.controls import has_controls
from bot.scheduling.model import RefusalReason
from bot.services.access import read_survey_report, token_reader
from bot.services.addresses import Channel
from bot.services.cancel import cancel_incident, cancel_survey
from bot.services.surveys import SurveyError, SurveyRequest, SurveyStarted, start_survey
from bot.services.tokens import RESULTS_READ, SCOPES, SURVEYS_WRITE, Bearer, authenticate
from bot.web.context import runtime

bp = Blueprint("api", __name__, url_prefix="/api/v1")

Short = Field(default=None, min_length=1, max_length=64)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=5)
_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}")


class SurveyPayload(BaseModel):
    """The body of POST /api/v1/surveys."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Channel
    address: str = Field(min_length=1, max_length=64)
    # None: the flow its call type is routed to, else the default (bot/services/flow_routes.py).
    flow: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$"
    )
    language: str | None = Field(default=None, max_length=35)
    officer_id: str | None = Short
    incident_id: str | None = Short
    call_type: str | None = Short
    occurred_at: AwareDatetime | None = None
    # The officer's unit (team, precinct): exports and results are read per unit.
    unit: str | None = Short

    @field_validator(
        "address", "flow", "language", "officer_id", "incident_id", "call_type", "unit"
    )
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        """Refuse control characters: no identifier or number legitimately carries one."""
        if value is not None and has_controls(value):
            raise ValueError("must not contain control characters")
        return value

    @field_validator("language")
    @classmethod
    def _language_tag(cls, value: str | None) -> str | None:
        """Read a BCP 47 tag however a CAD writes it: `es`, `ES`, `es_MX`, `zh-Hans-CN`."""
        if value is None:
            return None
        tag = value.replace("_", "-")
        if not _TAG.fullmatch(tag):
            raise ValueError("must be a language code such as en, es or es-MX")
        primary, *rest = tag.split("-")
        return "-".join([primary.lower(), *rest])

    @field_validator("occurred_at")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        """Refuse moments no police contact happened at (and that overflow in UTC)."""
        if value is None:
            return None
        try:
            moment = value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError("is out of range") from exc
        # A few minutes of grace for a dispatch system whose clock runs ahead of ours.
        if not EARLIEST <= moment <= datetime.now(UTC) + CLOCK_SKEW:
            raise ValueError("must be a real moment, not in the future")
        return moment


def require_token(*scopes: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Answer 401 without a live bearer token, 403 unless it was granted every one of `scopes`.

    `@require_token()` admits any live token; the view reads its grants with `bearer()`.
    """
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        # Also catches a bare `@require_token`, which would otherwise admit every token.
        raise TypeError(f"require_token takes scopes from {SCOPES}, not {unknown[0]!r}")

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                return _unauthorised("missing bearer token")
            rt = runtime()
            found = authenticate(rt.uow, raw.strip(), rt.clock())
            if found is None:
                return _unauthorised("invalid or revoked token")
            missing = [scope for scope in scopes if not found.may(scope)]
            if missing:
                return jsonify(error="forbidden", reason=f"token lacks scope {missing[0]}"), 403
            g.api_bearer = found
            return view(*args, **kwargs)

        return wrapped

    return decorate


def bearer() -> Bearer:
    """Return the token the current request was admitted with (inside `require_token`)."""
    found: Bearer = g.api_bearer
    return found


def _unauthorised(reason: str) -> tuple[Response, int, dict[str, str]]:
    """Answer 401 with a reason and the scheme expected."""
    return jsonify(error="unauthorized", reason=reason), 401, {"WWW-Authenticate": "Bearer"}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Flatten pydantic's errors into {field: message}."""
    return {".".join(str(p) for p in e["loc"]) or "body": e["msg"] for e in exc.errors()}


Payload = TypeVar("Payload", bound=BaseModel)


def _payload(model: type[Payload]) -> Payload | tuple[Response, int]:
    """Read the request's JSON body as `model`, or return the 400 that says what is wrong."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        body = None  # absurdly nested JSON: not a request of ours
    if not isinstance(body, dict):
        abort(400, "the body must be a JSON object (Content-Type: application/json)")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        return jsonify(error="invalid payload", fields=field_errors(exc)), 400


@bp.post("/surveys")
@require_token(SURVEYS_WRITE)
def create_survey() -> tuple[Response, int]:
    """Start a survey for a police contact."""
    payload = _payload(SurveyPayload)
    if not isinstance(payload, SurveyPayload):
        return payload
    try:
        fields = payload.model_dump()
        started = start_survey(runtime(), SurveyRequest(**{**fields, "flow": fields["flow"] or ""}))
    except SurveyError as exc:
        return jsonify(error="invalid payload", fields=exc.fields), 400
    # The same incident and resident asked for again: the first survey, nothing new created.
    return jsonify(_started(started)), 200 if started.duplicate else 201


def _started(started: SurveyStarted) -> dict[str, Any]:
    """Describe a survey request's outcome as JSON-ready data."""
    return {
        "id": str(started.id),
        "status": started.status,
        "delivery": started.delivery,
        "reason": started.reason,
        "scheduled_for": started.scheduled_for.isoformat() if started.scheduled_for else None,
        "duplicate": started.duplicate,
        # This request closed the survey: nothing more will be texted for it.
        "cancelled": started.cancelled,
    }


class CancelPayload(BaseModel):
    """The body of POST /api/v1/surveys/cancel."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    incident_id: str = Field(min_length=1, max_length=64)
    # Why: staff cancelled it, or the call turned out to be of an excluded type.
    reason: Literal["cancelled", "excluded_call_type"] = "cancelled"

    @field_validator("incident_id")
    @classmethod
    def _printable(cls, value: str) -> str:
        """Refuse control characters: no incident number carries one."""
        if has_controls(value):
            raise ValueError("must not contain control characters")
        return value


@bp.delete("/surveys/<survey_id>")
@require_token(SURVEYS_WRITE)
def delete_survey(survey_id: str) -> Response:
    """Cancel a survey: nothing more is texted for it; answer with its state (idempotent)."""
    try:
        key = uuid.UUID(survey_id)
    except ValueError:
        abort(404, "no such survey")
    cancelled = cancel_survey(runtime(), key)
    if cancelled is None:
        abort(404, "no such survey")
    return jsonify(_started(cancelled))


@bp.post("/surveys/cancel")
@require_token(SURVEYS_WRITE)
def cancel_surveys() -> tuple[Response, int]:
    """Cancel every scheduled or active survey about an incident; list those cancelled."""
    payload = _payload(CancelPayload)
    if not isinstance(payload, CancelPayload):
        return payload
    cancelled = cancel_incident(runtime(), payload.incident_id, RefusalReason(payload.reason))
    return jsonify(cancelled=[_started(s) for s in cancelled]), 200


@bp.get("/surveys/<survey_id>")
@require_token()
def show_survey(survey_id: str) -> Response:
    """Return a survey's status, language and schedule; its answers only to `results:read`."""
    try:
        key = uuid.UUID(survey_id)
    except ValueError:
        abort(404, "no such survey")
    # Residents' answers go only to systems granted them, never to every dispatch token.
    found = bearer()
    reader = token_reader(found.name)
    report = read_survey_report(runtime(), key, reader, answers=found.may(RESULTS_READ))
    if report is None:
        abort(404, "no such survey")
    return jsonify(report)
