"""What every channel adapter does to inbound text before the service layer sees it."""

from __future__ import annotations

import re

# C0/C1 control characters other than newline and tab: they carry no meaning in a reply, and
# PostgreSQL refuses NUL in text columns.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Drop control characters from a resident's message, keeping newlines and tabs."""
    return _CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    """Say whether a value carries control characters (refused in API payloads)."""
    return bool(_CONTROLS.search(text)) or "\n" in text or "\r" in text
