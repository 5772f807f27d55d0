"""Erase a resident's data on request: everything but the hash that keeps them off our lists.

Asked for by text (DELETE, then YES: bot/services/inbound/erase_request.py) or, for a request made
by phone or letter, from the command line (`python -m bot respondent erase NUMBER`). What stays
is the respondent row: the keyed hash of the address and the opt-out dates, so the resident is
not texted again unless they text START (and, until retention, its sealed copy where a chat
app's receipt is sent after the turn). The audit log records when and how, never the address.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import datetime

from bot.ports import UnitOfWork
from bot.services import audit
from bot.services.addresses import AddressError, Channel, normalise_address, normalise_phone
from bot.services.optout import join_do_not_survey, opt_out
from bot.services.runtime import Runtime
from storage.models import Respondent

log = logging.getLogger(__name__)

# Where a phone number may be a resident when the command line names no channel.
PHONE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


class ErasureError(ValueError):
    """An address no resident can be looked up by; the message says why, never the address."""


def erase_respondent(
    uow: UnitOfWork,
    respondent: Respondent,
    now: datetime,
    *,
    how: str,
    actor: str,
    keep_message_id: uuid.UUID | None = None,
    keep_address: bool = False,
) -> dict[str, int]:
    """Delete what is held about a resident, keep them opted out, and record it in the audit log.

    The sealed address goes too, unless `keep_address`: a receipt sent after the turn (a chat
    app's) still needs it, and retention blanks it once nothing points at the row.
    """
    # Opted out first: its live surveys end, and nothing is texted again (the receipt says so).
    opt_out(uow, respondent, now)
    counts = uow.respondents.erase(respondent.id, keep_message_id)
    respondent.language = None
    respondent.menu_open_at = None
    respondent.erase_asked_at = None
    if not keep_address:
        respondent.address_enc = ""  # only the hash stays: the opt-out list
    detail = f"{how}: {summary(counts)}"
    subject = f"a resident on {respondent.channel}"
    audit.record(uow, actor, audit.Action.RESPONDENT_ERASED, subject, detail, now)
    log.info("erased a resident's data on %s (%s): %s", respondent.channel, how, summary(counts))
    return counts


def summary(counts: Mapping[str, int]) -> str:
    """Say how many rows of each kind went ("3 answers, 7 messages, ...")."""
    return ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())


def addresses_of(raw: str, channel: str | None, region: str) -> dict[str, str]:
    """Map each channel a resident may be on to their address there, as stored.

    A phone number is read in the agency's region, and looked for on SMS and WhatsApp unless a
    channel is named; a Telegram chat id only with the channel named.
    """
    if channel == Channel.TELEGRAM:
        try:
            return {channel: normalise_address(channel, raw, region)}
        except AddressError as exc:  # its messages for chat ids never repeat the address
            raise ErasureError(str(exc)) from None
    try:
        number = normalise_phone(raw, region)
    except AddressError:
        # Its message repeats the number: say why in words of our own.
        reason = f"not a possible phone number (national numbers are read in {region})"
        raise ErasureError(reason) from None
    return dict.fromkeys([channel] if channel else map(str, PHONE_CHANNELS), number)


def channels_holding(rt: Runtime, addresses: Mapping[str, str]) -> list[str]:
    """Return the channels on which a resident with these addresses is known."""
    with rt.uow() as uow:
        return [c for c, address in addresses.items() if uow.respondents.find(c, address)]


def erase_addresses(
    rt: Runtime, addresses: Mapping[str, str], actor: str, *, no_more_surveys: bool = False
) -> dict[str, dict[str, int]]:
    """Erase the resident at each address (from the command line); return the counts by channel.

    Nothing is texted: the request came by phone or letter. With `no_more_surveys`, the number
    also stays on the do-not-survey list, so START brings back texts but never a survey.
    """
    erased: dict[str, dict[str, int]] = {}
    with rt.uow() as uow:
        now = rt.clock()
        for channel, address in addresses.items():
            if uow.respondents.find(channel, address) is None:
                continue  # never created here: a look-up must not make a row
            respondent = uow.respondents.for_update(channel, address, now)  # waits for a turn
            if no_more_surveys:
                join_do_not_survey(uow, respondent, now)
            erased[channel] = erase_respondent(
                uow, respondent, now, how="command line", actor=actor
            )
        uow.commit()
    return erased
