"""What every channel adapter does to inbound text before the service layer sees it."""

from __future__ import annotations

import re

# C0/C1 control characters other than newline and tab: they carry no meaning in a reply, and
# PostgreSQL refuses NUL in text columns.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Drop control characters from a resident's message, keeping newlines and tabs."""
    return _CONTROLS.sub("", text)


# Direction and invisible format controls: an identifier carrying one can display as another
# (an incident number reversed by U+202E), so staff could not trust what they read.
_FORMAT = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def has_controls(text: str) -> bool:
    """Say whether an identifier carries control or direction characters (refused)."""
    return bool(_CONTROLS.search(text) or _FORMAT.search(text)) or "\n" in text or "\r" in text
