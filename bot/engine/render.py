"""Render prompts as plain text, the way SMS and the console show them: hints written out."""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.model import NodeKind, Prompt


def text_of(prompt: Prompt) -> str:
    """Render one prompt: its text, then its hint, then a choice's options as "1 Label" lines."""
    parts = [prompt.text, prompt.hint]
    if prompt.kind is NodeKind.CHOICE:
        # Residents answer a text by number: the number is the option's place in the list.
        parts.append(
            "\n".join(f"{number} {option.label}" for number, option in enumerate(prompt.options, 1))
        )
    return "\n".join(part for part in parts if part)


def texts_of(prompts: Iterable[Prompt]) -> tuple[str, ...]:
    """Render prompts as texts, dropping any that would be blank (nothing worth a message)."""
    return tuple(text for text in map(text_of, prompts) if text.strip())
