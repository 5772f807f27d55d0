"""Inbound floods: a sender writing faster than any person is stored but no longer answered.

A phone stuck in a loop, an auto-responder we answer and that answers us, or someone
hammering the number must not make Parley text them back at the same rate (each text costs the
agency, and a provider blocks a number that floods). So past INBOUND_PER_MINUTE messages in the
last minute from one resident, each further message is stored (a provider's retry is still
recognised) and nothing more happens: no reply, no turn. The count is read from the database
under the resident's row lock, so every web process sees the same count. Opting out is never
slowed: STOP and NOSURVEY are honoured in a flood too. Other residents are unaffected: the
lock and the count are per resident.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.engine.keywords import NOSURVEY, STOP, match_keyword
from bot.ports import InboundMessage, UnitOfWork
from bot.services.addresses import mask
from bot.services.runtime import Runtime
from storage.models import Respondent

log = logging.getLogger(__name__)

WINDOW = timedelta(minutes=1)
# Keywords honoured whatever the rate: what stops texts must always work.
_ALWAYS = frozenset({STOP, NOSURVEY})


def flooding(rt: Runtime, uow: UnitOfWork, respondent: Respondent, msg: InboundMessage) -> bool:
    """Say whether this message is past the sender's limit and must go unanswered."""
    limit = rt.inbound_per_minute
    if not limit:
        return False
    received = uow.messages.inbound_since(respondent.id, msg.received_at - WINDOW)
    if received <= limit:
        return False
    if (msg.provider_keyword or "").upper() == "STOP":
        return False  # the carrier has opted the number out already: record it
    hit = match_keyword(msg.text, rt.locales.values())
    if hit is not None and hit.kind in _ALWAYS:
        return False
    if received == limit + 1:  # once per burst, not once per message of it
        log.warning(
            "inbound flood: %s sent more than %d messages in a minute; not answered until it slows",
            mask(msg.address),
            limit,
        )
    return True
