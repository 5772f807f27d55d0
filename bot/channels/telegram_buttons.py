"""Telegram's answer buttons: prompts as texts with an inline keyboard, and reading a press."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import Update

from bot.engine.model import NodeKind, Prompt, PromptOption
from bot.engine.render import text_of
from bot.ports import MENU_MARK, ButtonPress, Buttons
from bot.services.addresses import Channel

# Questions answered by pressing a button; their written hints ("Reply YES or NO") are left out.
BUTTON_KINDS = frozenset({NodeKind.YES_NO, NodeKind.SCALE, NodeKind.NPS, NodeKind.CHOICE})
# A scale this long or longer (NPS 0–10) is split into two rows, so each button stays legible.
LONG_SCALE = 7
# A menu's buttons (languages' names) go at most this many to a row.
MENU_ROW = 3


def has_buttons(prompt: Prompt) -> bool:
    """Say whether a prompt is a question or a system menu Telegram shows with buttons."""
    if prompt.menu:
        return bool(prompt.options)
    return prompt.kind in BUTTON_KINDS and bool(prompt.options) and prompt.question_id is not None


def telegram_texts(prompts: Sequence[Prompt]) -> tuple[str, ...]:
    """Render prompts as texts; a question with buttons is its text alone, without the hint."""
    texts = (prompt.text if has_buttons(prompt) else text_of(prompt) for prompt in prompts)
    return tuple(text for text in texts if text.strip())


def answer_token(value: str | int | bool) -> str:
    """Return the text a press stands for: what the engine reads as that answer when typed."""
    if isinstance(value, bool):
        return "1" if value else "2"  # the yes/no digits every language accepts
    return str(value)


def keyboard(prompts: Sequence[Prompt]) -> Buttons | None:
    """Return the buttons of the last question or menu: data as ButtonPress reads it."""
    asked = [prompt for prompt in prompts if has_buttons(prompt)]
    if not asked:
        return None
    prompt = asked[-1]
    buttons = [_button(prompt, option) for option in prompt.options]
    if prompt.menu:
        return _rows(buttons, MENU_ROW)
    if prompt.kind is NodeKind.CHOICE:
        return tuple((button,) for button in buttons)  # labels are words: one a row
    if len(buttons) >= LONG_SCALE:
        half = (len(buttons) + 1) // 2
        return (tuple(buttons[:half]), tuple(buttons[half:]))
    return (tuple(buttons),)


def _rows(buttons: list[tuple[str, str]], most: int) -> Buttons:
    """Lay buttons out in rows of at most `most`, as even as they go (13: 3, 3, 3, 2, 2)."""
    count = -(-len(buttons) // most)  # rows needed
    size, longer = divmod(len(buttons), count)
    rows, start = [], 0
    for row in range(count):
        end = start + size + (1 if row < longer else 0)
        rows.append(tuple(buttons[start:end]))
        start = end
    return tuple(rows)


def _button(prompt: Prompt, option: PromptOption) -> tuple[str, str]:
    """Return one option's label and the data its press sends back."""
    if prompt.menu:
        return option.label, f"{MENU_MARK}{prompt.menu}:{option.value}"
    return option.label, f"{prompt.question_id}:{answer_token(option.value)}"


@dataclass(frozen=True)
class TelegramPress:
    """A press on an answer button, with what answering it on Telegram needs."""

    press: ButtonPress
    callback_id: str
    message_id: int


def button_press(
    update: Update, received_at: datetime, message_key: Callable[[str, int], str]
) -> TelegramPress | None:
    """Read a press from an update; None when the update is no press on a message.

    `message_key` names the pressed message as the sender stored it (TelegramSender.message_key).
    """
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or message is None or not query.data:
        return None
    chat_id = str(message.chat.id)
    press = ButtonPress(
        channel=Channel.TELEGRAM,
        address=chat_id,
        presser=str(query.from_user.id),
        pressed_message_id=message_key(chat_id, message.message_id),
        data=query.data,
        provider_message_id=f"tg-update-{update.update_id}",
        received_at=received_at,
        language_hint=query.from_user.language_code,
    )
    return TelegramPress(press, query.id, message.message_id)
