"""Switch a resident's language: from the numbered menu, by naming it, or by writing in it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.engine.conversation import prompt
from bot.engine.keywords import KeywordHit
from bot.engine.model import Status
from bot.engine.text import normalise
from bot.i18n.scripts import script_language
from bot.services.answers import answers_in
from bot.services.conversations import state_of

if TYPE_CHECKING:
    from bot.services.inbound import Turn

# A menu answered much later is stale: a digit then answers the question, not the menu.
MENU_TTL = timedelta(hours=1)


def offered_languages(turn: Turn) -> list[str]:
    """List the languages the resident may switch to: the survey's, else every locale's."""
    rt = turn.rt
    flow = rt.flows.get(turn.conversation.flow_id) if turn.conversation else None
    if flow is not None:
        return [code for code in flow.languages if code in rt.locales]
    rest = sorted(code for code in rt.locales if code != rt.default_language)
    return [rt.default_language, *rest] if rt.default_language in rt.locales else rest


def send_menu(turn: Turn, hit: KeywordHit) -> list[str]:
    """Send the numbered menu, each language written in its own script."""
    codes = offered_languages(turn)
    turn.respondent.menu_open_at = turn.msg.received_at
    intro = turn.say("language_menu", turn.language(hit))
    names = [f"{number} {turn.rt.locales[code].name}" for number, code in enumerate(codes, 1)]
    return ["\n".join([*intro, *names])]


def named_language(turn: Turn) -> str | None:
    """Return the offered language a whole message names (español, Spanish, 中文, tiếng việt)."""
    words = normalise(turn.msg.text)
    for code in offered_languages(turn):
        if words and words in turn.rt.locales[code].names:
            return code
    return None


def menu_choice(turn: Turn) -> str | None:
    """Return the language picked from an open menu, by number or name; close the menu."""
    opened = turn.respondent.menu_open_at
    if opened is None:
        return None
    turn.respondent.menu_open_at = None
    if turn.msg.received_at - opened > MENU_TTL:
        return None
    codes = offered_languages(turn)
    choice = normalise(turn.msg.text)
    if choice.isdigit() and 1 <= int(choice) <= len(codes):
        return codes[int(choice) - 1]
    return named_language(turn)


def switch_to(turn: Turn, code: str) -> list[str]:
    """Speak `code` from now on, say so, and ask the current question again in it."""
    turn.respondent.language = code
    said = turn.say("language_switched", code)
    conversation = turn.conversation
    flow = turn.rt.flows.get(conversation.flow_id) if conversation else None
    if conversation is None or flow is None or conversation.status != Status.ACTIVE.value:
        return said
    conversation.language = code
    conversation.updated_at = turn.msg.received_at
    # The question is asked afresh in the new language: earlier misses don't count against it.
    conversation.retries = 0
    turn.reply_language = code
    question = prompt(flow, state_of(conversation), turn.rt.context)
    return [*said, question] if question else said


def follow_written_language(turn: Turn) -> list[str]:
    """Switch when a reply is clearly in another offered language; return the one-line notice."""
    conversation, detect = turn.conversation, turn.rt.detect
    if conversation is None or detect is None:
        return []
    detected = detect(turn.msg.text, conversation.language)
    flow = turn.rt.flows.get(conversation.flow_id)
    if not detected or detected == conversation.language or flow is None:
        return []
    if detected not in flow.languages or not _clearly_written(turn.msg.text, detected, turn):
        return []
    own = conversation.language
    if answers_in(flow, conversation.node_id, turn.msg.text, turn.rt.locales, own):
        return []  # an answer in the conversation's own language is no evidence of another
    conversation.language = turn.respondent.language = detected
    return turn.say("language_switched", detected)


def _clearly_written(text: str, detected: str, turn: Turn) -> bool:
    """Say whether a reply is clear enough evidence to change the conversation's language.

    A different script (Hangul in an English survey) is; in the same script one word is not
    ("Excellent", "merci", "super" are at home in several languages), two or more are.
    """
    current = turn.conversation.language if turn.conversation else ""
    if script_language(text.casefold()) != script_language(_sample(turn, current).casefold()):
        return True
    return len(normalise(text).split()) >= 2


def _sample(turn: Turn, language: str) -> str:
    """Return a text written in `language` (its own name), to compare scripts with."""
    locale = turn.rt.locales.get(language)
    return locale.name if locale is not None else ""
