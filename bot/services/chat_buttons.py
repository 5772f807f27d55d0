"""A press on an answer button: checked against what the resident was shown, then answered.

A press counts only on the question the resident's open conversation waits on, under the
message that asked it, in the presser's own chat; anything else (an earlier question, a finished
survey, another chat's message, made-up data) gets a short notice and changes nothing. A press
on a system menu's button (a language in the language menu, START under the stop confirmation)
counts only under the newest message we sent the resident, and stands for its label typed: a
language's name switches to it as typing the name does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.engine.locale import system_message
from bot.ports import ButtonPress, InboundMessage, UnitOfWork
from bot.services.runtime import Runtime
from storage.models import Message, Respondent


@dataclass(frozen=True)
class PressVerdict:
    """What to do with a press: answer with `message` and show `shown`, or only show `toast`."""

    message: InboundMessage | None = None
    shown: str | None = None
    toast: str | None = None


def check_press(rt: Runtime, press: ButtonPress) -> PressVerdict:
    """Accept a press on the current question's button; refuse any other with a toast."""
    with rt.uow() as uow:
        respondent = uow.respondents.find(press.channel, press.address)
        if respondent is None or press.presser != press.address:
            return _refused(rt, press.language_hint)
        pressed = uow.messages.find(press.channel, press.pressed_message_id)
        label = _label(pressed, respondent, press.data)
        language = respondent.language or press.language_hint
        if pressed is None or label is None:
            return _refused(rt, language)
        redelivered = uow.messages.find(press.channel, press.provider_message_id) is not None
        if not redelivered and not _current(uow, respondent, pressed, press):
            return _refused(rt, language)
        body = pressed.body or ""
    message = InboundMessage(
        channel=press.channel,
        address=press.address,
        text=press.answer if press.menu is None else label,
        provider_message_id=press.provider_message_id,
        received_at=press.received_at,
        language_hint=press.language_hint,
    )
    return PressVerdict(message=message, shown=f"{body}\n\n✓ {label}")


def _label(pressed: Message | None, respondent: Respondent, data: str) -> str | None:
    """Return the label of the button with `data` under our message to this respondent."""
    if pressed is None or pressed.respondent_id != respondent.id or not pressed.buttons:
        return None
    for row in json.loads(pressed.buttons):
        for label, sent in row:
            if sent == data:
                return str(label)
    return None


def _current(uow: UnitOfWork, respondent: Respondent, pressed: Message, press: ButtonPress) -> bool:
    """Say whether the pressed message asked the question the open conversation waits on.

    A menu is current while nothing has been sent since: any later message answers or
    replaces it (the language switched, the menu sent again, a reminder).
    """
    if press.menu is not None:
        latest = uow.messages.last_outbound(respondent.id)
        return latest is not None and latest.id == pressed.id
    conversation = uow.conversations.open_for(respondent.id)
    return (
        conversation is not None
        and conversation.id == pressed.conversation_id
        and conversation.node_id == press.question_id
    )


def _refused(rt: Runtime, language: str | None) -> PressVerdict:
    """Refuse a press with a short notice in the resident's language."""
    tag = language or ""
    tag = tag if tag in rt.locales else tag.split("-")[0].lower()
    chosen = tag if tag in rt.locales else rt.default_language
    values = rt.context.values_for(chosen)
    return PressVerdict(toast=system_message(rt.locales, chosen, "button_stale", values))
