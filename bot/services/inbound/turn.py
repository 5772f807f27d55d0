"""A Turn: everything one inbound message is handled with, and the language it is answered in."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from bot.engine.keywords import STOP_ALONE, KeywordHit
from bot.engine.locale import system_message
from bot.engine.model import NodeKind, Prompt, PromptOption
from bot.engine.text import normalise
from bot.ports import Buttons, InboundMessage, UnitOfWork
from bot.services.runtime import Runtime
from storage.models import Conversation, Respondent


@dataclass
class Turn:
    """Everything one inbound message is handled with."""

    rt: Runtime
    uow: UnitOfWork
    msg: InboundMessage
    respondent: Respondent
    conversation: Conversation | None
    # The language the replies are in, so right-to-left ones get their direction marks.
    reply_language: str | None = None
    # The answer buttons of the question the replies ask last (a channel with buttons).
    buttons: Buttons | None = None
    # The stored inbound message being answered (None where nothing was stored).
    inbound_id: uuid.UUID | None = None
    # The replies go back in the webhook's answer (TwiML); else they are sent after the turn.
    replies_inline: bool = True

    def language(self, hit: KeywordHit | None = None) -> str:
        """Choose the language to answer in: a keyword's own, else the one we know."""
        known = self.conversation.language if self.conversation else self.respondent.language
        # English keywords (STOP, HELP) are used by everyone; a keyword that the known
        # language shares with another (PARAR is Spanish and Portuguese) says nothing new, nor
        # does one of its sibling's (退訂 is listed as zh, but a zh-Hant resident writes it too).
        if hit is not None and hit.language not in ("en", known) and not self._known(hit, known):
            return known if known and _siblings(hit.language, known) else hit.language
        return known or (hit.language if hit else None) or self._hint() or self.rt.default_language

    def _hint(self) -> str | None:
        """Return the resident's app language (Telegram's language_code) when we speak it."""
        hint = self.msg.language_hint
        if not hint:
            return None
        tag = hint if hint in self.rt.locales else hint.split("-")[0].lower()
        return tag if tag in self.rt.locales else None

    def _known(self, hit: KeywordHit, language: str | None) -> bool:
        """Say whether the message is one of `language`'s own words for the keyword."""
        locale = self.rt.locales.get(language or "")
        if locale is None:
            return False
        # A lone stop word that is also an answer ("no más") is listed apart from the others.
        kinds = (hit.kind, STOP_ALONE) if hit.kind == "stop" else (hit.kind,)
        text = normalise(self.msg.text)
        return any(text in locale.keywords.get(kind, ()) for kind in kinds)

    def say(self, key: str, language: str, **values: str) -> list[str]:
        """Render one system message in `language`."""
        self.reply_language = language
        merged = {**self.rt.context.values_for(language), **values}
        return [system_message(self.rt.locales, language, key, merged)]

    def offer(self, key: str, language: str, option: PromptOption, **values: str) -> list[str]:
        """Say a system message that asks for one word, offering it as a button where there are.

        The text stays as it is said everywhere ("reply START"); the option's label is that word,
        so a press is the word typed.
        """
        (text,) = self.say(key, language, **values)
        return self.render((Prompt(text, NodeKind.MESSAGE, options=(option,), menu=key),))

    def render(self, prompts: Sequence[Prompt]) -> list[str]:
        """Render the engine's prompts as the resident's channel shows them, with its buttons."""
        # The latest render is the question the reply ends with: its buttons go under it.
        self.buttons = self.rt.keyboard(self.msg.channel, prompts)
        return self.rt.render(self.msg.channel, prompts)


def _siblings(language: str, other: str) -> bool:
    """Say whether two languages are variants of one (zh and zh-Hant are)."""
    return language.split("-")[0] == other.split("-")[0]
