"""Survey cards: make one for a contact (or a reusable one for an officer), revoke it, link it.

A card's code is shown once, when it is made: only an HMAC of it (keyed with SECRET_KEY) is
stored, as API tokens are stored hashed, so a copy of the database yields no working code.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import segno

from bot.errors import FieldsError
from bot.i18n.choice import offered_tag
from bot.i18n.controls import has_controls
from bot.ports import UnitOfWork
from bot.services.flow_routes import flow_for
from bot.services.runtime import Runtime
from storage.models import Card

log = logging.getLogger(__name__)

# No look-alikes (0/O, 1/I/L, U/V): a code read off a card is typed right the first time.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
# What a resident texts (SURVEY K7M4Q2HX); every flow keyword in every language works too.
SMS_KEYWORD = "SURVEY"


class CardError(FieldsError):
    """A card request that cannot be carried out; `fields` names what is wrong."""


@dataclass(frozen=True)
class CardRequest:
    """What an officer, the API or the print command asks a card for."""

    officer_id: str
    incident_id: str | None = None
    call_type: str | None = None
    language: str | None = None
    reusable: bool = False
    flow: str | None = None
    # The officer's unit (team, precinct); when not given, their account's, if they have one.
    unit: str | None = None


@dataclass(frozen=True)
class CardMade:
    """A new card: its code (shown this once) and the ways it opens the survey."""

    code: str
    expires_at: datetime | None
    sms_text: str
    telegram_url: str | None
    whatsapp_url: str | None

    @property
    def link(self) -> str:
        """Return the link a QR code carries: Telegram's, else WhatsApp's, else an SMS link."""
        return self.telegram_url or self.whatsapp_url or f"sms:?body={quote(self.sms_text)}"


def new_code() -> str:
    """Draw a random card code (30 ** 8, about 6.6e11 possibilities)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def read_code(text: str) -> str | None:
    """Read a code as typed (any case, spaces or dashes between); None if it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def code_hash(rt: Runtime, code: str) -> str:
    """Return the keyed hash a card is stored and found by."""
    return hmac.new(b"parley-card:" + rt.card_key, code.encode(), hashlib.sha256).hexdigest()


def make_card(rt: Runtime, request: CardRequest) -> CardMade:
    """Store a new card for a contact and return its code and links; refuse what rules forbid."""
    flow_id = _check(rt, request)
    now = rt.clock()
    code = new_code()
    expires = None if request.reusable else now + timedelta(days=rt.card_days)
    card = Card(
        code_hash=code_hash(rt, code),
        flow_id=flow_id,
        officer_id=request.officer_id.strip(),
        incident_id=(request.incident_id or "").strip() or None,
        call_type=(request.call_type or "").strip() or None,
        language=request.language or None,
        reusable=request.reusable,
        uses=0,
        created_at=now,
        expires_at=expires,
    )
    with rt.uow() as uow:
        card.unit = _unit(uow, request)
        uow.cards.add(card)
        uow.commit()
    log.info("card %s made for officer %s", card.id, card.officer_id)
    return card_links(rt, code, expires)


def _unit(uow: UnitOfWork, request: CardRequest) -> str | None:
    """Return the unit a card is counted under: the one asked for, else the officer's account's."""
    asked = (request.unit or "").strip()
    return asked or uow.accounts.unit_of_officer(request.officer_id.strip())


def _check(rt: Runtime, request: CardRequest) -> str:
    """Validate a card request as a survey trigger is validated; return the flow's id."""
    errors: dict[str, str] = {}
    flow_id = request.flow or flow_for(rt, request.call_type)
    flow = rt.flows.get(flow_id)
    if flow is None:
        errors["flow"] = f"no flow {flow_id!r}"
    elif request.language and offered_tag(request.language, flow.languages) is None:
        errors["language"] = f"flow {flow.id!r} offers {', '.join(flow.languages)}"
    if not request.officer_id.strip():
        errors["officer_id"] = "required"
    if request.unit and (len(request.unit.strip()) > 64 or has_controls(request.unit)):
        errors["unit"] = "must be at most 64 printable characters"
    if request.call_type and rt.policy.excluded(request.call_type) is not None:
        # As for a dispatch trigger: no survey ever follows this kind of call.
        errors["call_type"] = "this call type is excluded from surveys"
    if request.reusable and (request.incident_id or request.call_type):
        errors["reusable"] = "a reusable card belongs to an officer, not to one incident"
    if errors:
        raise CardError(errors)
    return flow_id


def card_links(rt: Runtime, code: str, expires_at: datetime | None) -> CardMade:
    """Return the SMS text and the Telegram and WhatsApp links that open a card's survey."""
    sms_text = f"{SMS_KEYWORD} {code}"
    telegram = f"https://t.me/{rt.telegram_bot}?start={code}" if rt.telegram_bot else None
    whatsapp = (
        f"https://wa.me/{rt.whatsapp_number}?text={quote(sms_text)}" if rt.whatsapp_number else None
    )
    return CardMade(code, expires_at, sms_text, telegram, whatsapp)


def revoke_card(rt: Runtime, code: str) -> bool:
    """Revoke a card so it opens nothing more; say whether a card with that code was found."""
    typed = read_code(code)
    if typed is None:
        return False
    with rt.uow() as uow:
        card = uow.cards.by_hash(code_hash(rt, typed))
        if card is None:
            return False
        if card.revoked_at is None:
            card.revoked_at = rt.clock()
        uow.commit()
    log.info("card %s revoked", card.id)
    return True


def qr_svg(link: str) -> str:
    """Render a link as a QR code in SVG, sized by its viewBox (CSS sets how large it shows)."""
    out = io.BytesIO()
    # A white quiet zone drawn in: a dark-mode screen or tinted card stock must not eat it.
    segno.make(link, error="m").save(
        out, kind="svg", border=4, xmldecl=False, omitsize=True, light="#fff", svgclass="qr"
    )
    return out.getvalue().decode()
