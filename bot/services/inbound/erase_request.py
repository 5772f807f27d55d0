"""Erasure on request by text: DELETE asks for a YES; YES erases, NO keeps, anything else moves on.

Nothing is deleted on the keyword alone: DELETE may be typed by mistake or by someone else
holding the phone for a moment, and an erasure cannot be undone. The question waits a day for
its answer, and only the next message answers it: a YES (in any offered language) erases, a NO
keeps, and anything else drops the question and is handled as if it had never been asked.
Both work after STOP too: erasure is a right an opted-out resident keeps.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.engine.keywords import ERASE, KeywordHit
from bot.engine.locale import system_message
from bot.engine.model import NodeKind, Prompt, PromptOption
from bot.engine.padding import confirmation
from bot.engine.text import normalise
from bot.i18n.bidi import strip_marks
from bot.services.erasure import erase_respondent

if TYPE_CHECKING:
    from bot.services.inbound.turn import Turn

log = logging.getLogger(__name__)

# How long a DELETE waits for its YES: a reply after that is about something else.
ANSWER_WITHIN = timedelta(hours=24)
CONFIRM = "erase_confirm"


def erase_turn(turn: Turn, hit: KeywordHit | None) -> list[str] | None:
    """Ask a DELETE to be confirmed, or act on the answer; None: the message is not about it."""
    if hit is not None and hit.kind == ERASE:
        return _ask(turn, turn.language(hit))
    asked = turn.respondent.erase_asked_at
    if asked is None:
        return None
    turn.respondent.erase_asked_at = None  # the next message settles the question, whatever it is
    if hit is not None or turn.msg.received_at - asked > ANSWER_WITHIN:
        return None
    verdict = confirmation(turn.msg.text, tuple(turn.rt.locales.values()))
    if verdict is None:
        return None
    language = _asked_in(turn) or _language_of_word(turn)
    return _erase(turn, language) if verdict else turn.say("erase_kept", language)


def _ask(turn: Turn, language: str) -> list[str]:
    """Note that a DELETE awaits its YES and ask for it, with YES and NO buttons in a chat."""
    turn.respondent.erase_asked_at = turn.msg.received_at
    log.info("erasure asked for on %s; awaiting a yes", turn.msg.channel)
    (text,) = turn.say(CONFIRM, language)
    locale = turn.rt.locales.get(language)
    yes, no = (locale.yes_label, locale.no_label) if locale else ("Yes", "No")
    # A press stands for its label typed (bot/services/chat_buttons.py): the word itself.
    options = (PromptOption("yes", yes), PromptOption("no", no))
    return turn.render((Prompt(text, NodeKind.MESSAGE, options=options, menu=CONFIRM),))


def _erase(turn: Turn, language: str) -> list[str]:
    """Erase the resident's data, keeping only the message being answered, and say so."""
    channel = turn.msg.channel
    erase_respondent(
        turn.uow,
        turn.respondent,
        turn.msg.received_at,
        how=f"{channel} keyword",
        actor=f"resident ({channel})",
        keep_message_id=turn.inbound_id,
        keep_address=not turn.replies_inline,
    )
    turn.conversation = None  # deleted: the receipt belongs to no survey
    # Every language's receipt says "reply START", offered as a button where there are buttons.
    return turn.offer("erase_done", language, PromptOption("start", "START"))


def _asked_in(turn: Turn) -> str | None:
    """Return the language the question was asked in, read off the last text we sent."""
    last = turn.uow.messages.last_outbound(turn.respondent.id)
    sent = strip_marks(last.body) if last is not None and last.body else ""
    for code in turn.rt.locales:
        said = system_message(turn.rt.locales, code, CONFIRM, turn.rt.context.values_for(code))
        if said and strip_marks(said) in sent:
            return code
    return None


def _language_of_word(turn: Turn) -> str:
    """Return the language of the yes or no word typed, the resident's own when it is theirs."""
    known = turn.language()
    norm = normalise(turn.msg.text)
    own_first = sorted(turn.rt.locales.values(), key=lambda locale: locale.code != known)
    for locale in own_first:
        if norm in locale.yes or norm in locale.no:
            return locale.code
    return known
