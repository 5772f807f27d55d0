"""Switch a resident's language: from the numbered menu, by naming it, or by writing in it."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.engine.conversation import switch_language
from bot.engine.keywords import KeywordHit
from bot.engine.locale import LocaleMemo, system_message
from bot.engine.model import Flow, LanguageChanged, Locale, NodeKind, Prompt, PromptOption, Status
from bot.engine.padding import stripped
from bot.engine.text import normalise
from bot.i18n.scripts import script_language
from bot.services.answers import answers_in
from bot.services.conversations import state_of

if TYPE_CHECKING:
    from bot.services.inbound.turn import Turn

log = logging.getLogger(__name__)

# A menu answered much later is stale: a digit then answers the question, not the menu.
MENU_TTL = timedelta(hours=1)
# The language menu's name on its prompt, and so in its buttons' data.
LANGUAGE_MENU = "language"


def offered_languages(turn: Turn) -> list[str]:
    """List the languages the resident may switch to: the survey's, else every locale's."""
    flow = turn.rt.flow_of(turn.conversation) if turn.conversation else None
    codes = menu_order(turn)
    return [code for code in codes if code in flow.languages] if flow is not None else codes


def menu_order(turn: Turn) -> list[str]:
    """Order every language the same way, survey or not: the default, the flows', the rest.

    The menu's numbers come from this one order, so "2" means the same language in every
    menu a resident is sent.
    """
    rt = turn.rt
    spoken = [code for flow in rt.flows.values() for code in flow.languages]
    ordered = [rt.default_language, *spoken, *sorted(rt.locales)]
    return [code for code in dict.fromkeys(ordered) if code in rt.locales]


def menu_entries(turn: Turn) -> list[tuple[int, str]]:
    """Number the offered languages by their place in the one menu order."""
    offered = set(offered_languages(turn))
    return [(n, code) for n, code in enumerate(menu_order(turn), 1) if code in offered]


def send_menu(turn: Turn, hit: KeywordHit | None = None) -> list[str]:
    """Send the menu, each language written in its own script: numbered, or as buttons."""
    turn.respondent.menu_open_at = turn.msg.received_at
    language = turn.language(hit)
    turn.reply_language = language
    return turn.render((language_menu(turn, language),))


def language_menu(turn: Turn, language: str) -> Prompt:
    """Build the menu in `language`: an option per offered language, keyed by its number."""
    rt = turn.rt
    values = rt.context.values_for(language)
    options = tuple(
        PromptOption(code, rt.locales[code].name, key=str(number))
        for number, code in menu_entries(turn)
    )
    return Prompt(
        text=system_message(rt.locales, language, "language_buttons", values),
        kind=NodeKind.CHOICE,
        options=options,
        hint=system_message(rt.locales, language, "language_menu", values),
        menu=LANGUAGE_MENU,
    )


def named_language(turn: Turn) -> str | None:
    """Return the offered language a message asks for: "español", "Spanish please", "中文".

    The message must be the name alone, give or take polite and asking words ("I speak",
    "in", "por favor"), so an answer is never taken for a language request.
    """
    words = normalise(turn.msg.text)
    if not words:
        return None
    offered = offered_languages(turn)
    asking = _asking_words(turn)
    for candidate in dict.fromkeys((words, stripped(words, asking))):
        for code in offered:
            if candidate in turn.rt.locales[code].names:
                return code
    return None


def _gather_asking(locales: tuple[Locale, ...]) -> frozenset[str]:
    """Gather every locale's filler and language-request words."""
    return frozenset().union(*(locale.filler | locale.language_request for locale in locales))


# Built once per set of locale objects: every reply is checked for a language request.
_ASKING = LocaleMemo(_gather_asking)


def _asking_words(turn: Turn) -> frozenset[str]:
    """Return every locale's filler and language-request words."""
    return _ASKING.get(tuple(turn.rt.locales.values()))


def _open_menu(turn: Turn) -> bool:
    """Say whether the resident's language menu is open and fresh."""
    opened = turn.respondent.menu_open_at
    return opened is not None and turn.msg.received_at - opened <= MENU_TTL


def menu_refused(turn: Turn) -> bool:
    """Say whether a number sent to an open menu names no language in it ("0", "99")."""
    choice = normalise(turn.msg.text)
    if not _open_menu(turn) or not choice.isdigit():
        return False
    return int(choice) not in dict(menu_entries(turn))


def menu_choice(turn: Turn) -> str | None:
    """Return the language picked from an open menu, by number or name; close the menu."""
    is_open = _open_menu(turn)
    turn.respondent.menu_open_at = None
    if not is_open:
        return None
    choice = normalise(turn.msg.text)
    if choice.isdigit():
        return dict(menu_entries(turn)).get(int(choice))
    return named_language(turn)


def switch_to(turn: Turn, code: str) -> list[str]:
    """Speak `code` from now on, say so, and ask the current question again in it."""
    turn.respondent.language = code
    conversation = turn.conversation
    flow = turn.rt.flow_of(conversation) if conversation else None
    if conversation is None or flow is None or conversation.status != Status.ACTIVE:
        # Nothing to continue: just say which language we will write in from now on.
        return turn.say("language_set", code)
    said = turn.say("language_switched", code)
    # The question is asked afresh in the new language: earlier misses don't count against it.
    result = switch_language(flow, state_of(conversation), code, turn.rt.context)
    conversation.language = result.state.language
    conversation.retries = result.state.retries
    conversation.updated_at = turn.msg.received_at
    for event in result.events:
        if isinstance(event, LanguageChanged):
            log.info("conversation %s now in %s (was %s)", conversation.id, event.new, event.old)
    turn.reply_language = code
    return [*said, *turn.render(result.prompts)]


def follow_written_language(turn: Turn) -> list[str]:
    """Switch when a reply is clearly in another offered language; return the one-line notice."""
    conversation, detect = turn.conversation, turn.rt.detect
    if conversation is None or detect is None:
        return []
    detected = detect(turn.msg.text, conversation.language)
    flow = turn.rt.flow_of(conversation)
    if not detected or detected == conversation.language or flow is None:
        return []
    if detected not in flow.languages or not _clearly_written(turn, flow):
        return []
    conversation.language = turn.respondent.language = detected
    return turn.say("language_switched", detected)


def _clearly_written(turn: Turn, flow: Flow) -> bool:
    """Say whether a reply is clear enough evidence to change the conversation's language.

    A different script (Hangul in an English survey, Traditional characters in a Simplified
    one) is; in the same script one word is not ("Excellent", "merci", "super" are at home in
    several languages), and nor is an answer in the conversation's own language ("mas o
    menos", "no he didnt"); two or more words that are not are.
    """
    text, conversation = turn.msg.text, turn.conversation
    current = conversation.language if conversation else ""
    if script_language(text.casefold()) != script_language(_sample(turn, current).casefold()):
        return True
    if conversation is None or len(normalise(text).split()) < 2:
        return False
    return not answers_in(flow, conversation.node_id, text, turn.rt.locales, current)


def _sample(turn: Turn, language: str) -> str:
    """Return a text written in `language` (its own name), to compare scripts with."""
    locale = turn.rt.locales.get(language)
    return locale.name if locale is not None else ""
