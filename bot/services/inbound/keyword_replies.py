"""Answer the global keywords (STOP, NOSURVEY, START, HELP), and the replies that must not be
taken as answers: one that looks like an emergency, and a picture sent without text."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.engine.conversation import question
from bot.engine.emergency import DEFAULT_NUMBERS, looks_like_emergency
from bot.engine.keywords import KeywordHit
from bot.engine.model import PromptOption, Status
from bot.services.addresses import mask
from bot.services.conversations import state_of
from bot.services.inbound.languages import send_menu
from bot.services.optout import join_do_not_survey, opt_out

if TYPE_CHECKING:
    from bot.services.inbound.turn import Turn

log = logging.getLogger(__name__)

# A handler's None: the message is not this keyword here, so it is read as an ordinary message.
Handler = Callable[["Turn", KeywordHit], "list[str] | None"]


def stop(turn: Turn, hit: KeywordHit) -> list[str]:
    """Record an opt-out, end every survey scheduled or open, and confirm once."""
    language = turn.language(hit)
    opt_out(turn.uow, turn.respondent, turn.msg.received_at)
    log.info("%s opted out on %s", mask(turn.msg.address), turn.msg.channel)
    # "Help, he won't leave me alone" opts out, and must still point to the emergency number.
    pointer = turn.say("emergency", language) if looks_urgent(turn) else []
    # Every language's confirmation says "reply START" (the word carriers act on).
    return [*pointer, *turn.offer("stop_confirm", language, PromptOption("start", "START"))]


def nosurvey(turn: Turn, hit: KeywordHit) -> list[str]:
    """Put the number on the do-not-survey list, end its surveys, and confirm."""
    language = turn.language(hit)
    join_do_not_survey(turn.uow, turn.respondent, turn.msg.received_at)
    log.info("%s joined the do-not-survey list", mask(turn.msg.address))
    return turn.say("nosurvey_confirm", language)


def start(turn: Turn, hit: KeywordHit) -> list[str] | None:
    """Lift an opt-out and confirm; from someone who never stopped, START is no keyword."""
    if turn.respondent.opted_out_at is None:
        # "You're subscribed again" would be untrue: read it as an answer or a stranger's text.
        return None
    turn.respondent.opted_out_at = None
    return turn.say("start_confirm", turn.language(hit))


def help_reply(turn: Turn, hit: KeywordHit) -> list[str]:
    """Say who is texting, how to stop and whom to call in an emergency; ask the question again."""
    return [*turn.say("help", turn.language(hit)), *pending_question(turn)]


KEYWORD_HANDLERS: dict[str, Handler] = {
    "stop": stop,
    "start": start,
    "help": help_reply,
    "nosurvey": nosurvey,
    "language": send_menu,
}


def pending_question(turn: Turn) -> list[str]:
    """Return the question the resident's open conversation waits on, as it was asked."""
    conversation = turn.conversation
    if conversation is None or conversation.status != Status.ACTIVE:
        return []
    flow = turn.rt.flow_of(conversation)
    asked = question(flow, state_of(conversation), turn.rt.context) if flow else None
    return turn.render((asked,)) if asked is not None else []


def looks_urgent(turn: Turn) -> bool:
    """Say whether the message looks like an emergency (help me, 911, ayuda, 救命...)."""
    numbers = {*DEFAULT_NUMBERS, turn.rt.values.get("emergency", "")}
    return looks_like_emergency(turn.msg.text, turn.rt.locales.values(), numbers)


def written_language(turn: Turn, known: str) -> str:
    """Return the language the message is written in when it tells, else `known`."""
    detected = turn.rt.detect(turn.msg.text, known) if turn.rt.detect else None
    return detected if detected is not None and detected in turn.rt.locales else known


def emergency_reply(turn: Turn) -> list[str] | None:
    """Point a reply that looks like an emergency to the emergency number, once per conversation.

    The reply is not taken as the answer (a cry for help is no rating), and it costs no re-prompt:
    the question is asked again after the pointer.
    """
    conversation = turn.conversation
    if conversation is None or conversation.emergency_pointer_at is not None:
        return None
    if not looks_urgent(turn):
        return None
    conversation.emergency_pointer_at = turn.msg.received_at
    log.info("emergency pointer sent on conversation %s", conversation.id)
    pointer = turn.say("emergency", written_language(turn, conversation.language))
    return [*pointer, *pending_question(turn)]


def media_reply(turn: Turn) -> list[str] | None:
    """Ask for a text answer to a picture sent without text; it is not counted as an answer."""
    if turn.conversation is None or not turn.msg.media_only:
        return None
    return [*turn.say("media_only", turn.conversation.language), *pending_question(turn)]
