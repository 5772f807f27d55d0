"""Render prompts as plain text, the way SMS and the console show them: hints written out."""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.model import NodeKind, Prompt


def text_of(prompt: Prompt) -> str:
    """Render one prompt: its text, then its hint, then a choice's options as "1 Label" lines."""
    text, hint = prompt.text, prompt.hint
    if prompt.menu and hint:
        text = ""  # a text shows a menu's hint instead: its text introduces buttons
    if prompt.kind is NodeKind.CHOICE and prompt.options:
        # Residents answer a text by number: the option's key, else its place in the list.
        listed = (
            f"{option.key or number} {option.label}"
            for number, option in enumerate(prompt.options, 1)
        )
        hint = "\n".join(filter(None, (hint, "\n".join(listed))))
    # Every step renders: the usual two parts are joined without building a list.
    return f"{text}\n{hint}" if text and hint else text or hint


def texts_of(prompts: Iterable[Prompt]) -> tuple[str, ...]:
    """Render prompts as texts, dropping any that would be blank (nothing worth a message)."""
    return tuple([text for prompt in prompts if (text := text_of(prompt)).strip()])
