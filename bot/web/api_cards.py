"""POST /api/v1/cards: a dispatch or records system makes a survey card for a contact."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.i18n.controls import has_controls
from bot.services.cards import CardError, CardMade, CardRequest, make_card
from bot.services.tokens import SURVEYS_WRITE
from bot.web.api import field_errors, require_token
from bot.web.context import runtime

bp = Blueprint("api_cards", __name__, url_prefix="/api/v1")

Short = Field(default=None, min_length=1, max_length=64)


class CardPayload(BaseModel):
    """The body of POST /api/v1/cards."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    officer_id: str = Field(min_length=1, max_length=64)
    incident_id: str | None = Short
    call_type: str | None = Short
    language: str | None = Field(default=None, max_length=35, pattern=r"^[A-Za-z0-9_-]+$")
    reusable: bool = False
    # The officer's unit; left out, the unit of the officer's account, if they have one.
    unit: str | None = Short

    @field_validator("officer_id", "incident_id", "call_type", "unit")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        """Refuse control characters: no identifier legitimately carries one."""
        if value is not None and has_controls(value):
            raise ValueError("must not contain control characters")
        return value


@bp.post("/cards")
@require_token(SURVEYS_WRITE)
def create_card() -> tuple[Response, int]:
    """Make a survey card; its code is in this answer only (only a keyed hash is kept)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "the body must be a JSON object (Content-Type: application/json)")
    try:
        payload = CardPayload.model_validate(body)
    except ValidationError as exc:
        return jsonify(error="invalid payload", fields=field_errors(exc)), 400
    language = payload.language.replace("_", "-") if payload.language else None
    fields = {**payload.model_dump(), "language": language}
    try:
        made = make_card(runtime(), CardRequest(**fields))
    except CardError as exc:
        return jsonify(error="invalid payload", fields=exc.fields), 400
    return jsonify(card_json(made)), 201


def card_json(made: CardMade) -> dict[str, Any]:
    """Describe a new card as JSON-ready data."""
    return {
        "code": made.code,
        "telegram_url": made.telegram_url,
        "sms_text": made.sms_text,
        "whatsapp_url": made.whatsapp_url,
        "expires_at": made.expires_at.isoformat() if made.expires_at else None,
    }
