"""REST API for dispatch and records systems: start surveys and read them back."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from flask import Blueprint, Response, abort, jsonify, request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from bot.services.surveys import SurveyError, SurveyRequest, start_survey, survey_report
from bot.services.tokens import authenticate
from bot.web.context import runtime

bp = Blueprint("api", __name__, url_prefix="/api/v1")

Short = Field(default=None, min_length=1, max_length=64)


class SurveyPayload(BaseModel):
    """The body of POST /api/v1/surveys."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Literal["sms"]
    address: str = Field(min_length=1, max_length=64)
    flow: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
    officer_id: str | None = Short
    incident_id: str | None = Short
    call_type: str | None = Short
    occurred_at: AwareDatetime | None = None


def require_token(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer 401 unless the request carries a live bearer token."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return _unauthorised("missing bearer token")
        rt = runtime()
        if authenticate(rt.uow, raw.strip(), rt.clock()) is None:
            return _unauthorised("invalid or revoked token")
        return view(*args, **kwargs)

    return wrapped


def _unauthorised(reason: str) -> tuple[Response, int, dict[str, str]]:
    """Answer 401 with a reason and the scheme expected."""
    return jsonify(error="unauthorized", reason=reason), 401, {"WWW-Authenticate": "Bearer"}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Flatten pydantic's errors into {field: message}."""
    return {".".join(str(p) for p in e["loc"]) or "body": e["msg"] for e in exc.errors()}


@bp.post("/surveys")
@require_token
def create_survey() -> tuple[Response, int]:
    """Start a survey for a police contact."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "the body must be a JSON object (Content-Type: application/json)")
    try:
        payload = SurveyPayload.model_validate(body)
    except ValidationError as exc:
        return jsonify(error="invalid payload", fields=field_errors(exc)), 400
    try:
        started = start_survey(runtime(), SurveyRequest(**payload.model_dump()))
    except SurveyError as exc:
        return jsonify(error="invalid payload", fields=exc.fields), 400
    result = {"id": str(started.id), "status": started.status, "delivery": started.delivery}
    return jsonify(result), 201


@bp.get("/surveys/<survey_id>")
@require_token
def show_survey(survey_id: str) -> Response:
    """Return a survey's status, language and answers."""
    try:
        key = uuid.UUID(survey_id)
    except ValueError:
        abort(404, "no such survey")
    report = survey_report(runtime(), key)
    if report is None:
        abort(404, "no such survey")
    return jsonify(report)
