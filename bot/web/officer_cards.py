"""The officer page's "Hand over a card": a QR code on the phone's screen for the resident."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from bot.services.cards import CardError, CardRequest, card_links, make_card, qr_svg
from bot.services.flow_routes import flow_for
from bot.services.runtime import Runtime
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime
from bot.web.officer import COMMON_CALL_TYPES, STAFF, printable
from bot.web.security import page_headers

bp = Blueprint("officer_cards", __name__)
bp.after_request(page_headers)

# The session key holding the card just made: its code is shown on this officer's screen only.
CARD_KEY = "officer_card"


class CardForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """What an officer says about the contact a card is for."""

    language = SelectField("Resident's language", choices=[], validate_choice=True)
    incident = StringField("Incident number", validators=[Optional(), Length(max=64), printable])
    call_type = StringField("Call type", validators=[Optional(), Length(max=64), printable])


def _form(rt: Runtime) -> CardForm:
    """Build the form with the flow's languages, each named in its own language."""
    form = CardForm()
    flow = rt.flows.get(flow_for(rt, None))
    codes = [c for c in flow.languages if c in rt.locales] if flow else []
    form.language.choices = [("", "Let the resident's phone decide")] + [
        (code, rt.locales[code].name) for code in codes
    ]
    return form


@bp.route("/officer/card", methods=["GET", "POST"])
@role_required(*STAFF)
def make() -> ResponseReturnValue:
    """Show the card form; on a valid post, make the card and show its QR code."""
    rt = runtime()
    form = _form(rt)
    if not form.validate_on_submit():
        return _page(form, [], 400 if form.is_submitted() else 200)
    account = signed_in().account
    request = CardRequest(
        officer_id=account.officer_id or "",
        unit=account.unit,
        incident_id=form.incident.data or None,
        call_type=form.call_type.data or None,
        language=form.language.data or None,
        flow="",  # the flow its call type is routed to, else the default
    )
    try:
        made = make_card(rt, request)
    except CardError as exc:
        messages = [f"{name.replace('_', ' ')}: {text}" for name, text in exc.fields.items()]
        return _page(form, messages, 400)
    expires = made.expires_at.isoformat() if made.expires_at else None
    # Post/redirect/get: reloading the card page must not make another card.
    session[CARD_KEY] = {"code": made.code, "expires_at": expires}
    return redirect(url_for("officer_cards.show"), 303)


@bp.get("/officer/card/show")
@role_required(*STAFF)
def show() -> ResponseReturnValue:
    """Show the card just made: its QR code large, the typed code and the text to send."""
    shown = session.get(CARD_KEY)
    if not isinstance(shown, dict):
        return redirect(url_for("officer_cards.make"))
    made = card_links(runtime(), shown["code"], None)
    return render_template(
        "officer/card.html",
        made=made,
        expires_at=shown.get("expires_at"),
        qr=Markup(qr_svg(made.link)),  # noqa: S704  # segno's own SVG: no resident text in it
    )


def _page(form: CardForm, errors: list[str], status: int) -> tuple[str, int]:
    """Render the card form with what was typed and any errors."""
    page = render_template(
        "officer/card_form.html", form=form, errors=errors, call_types=COMMON_CALL_TYPES
    )
    return page, status
