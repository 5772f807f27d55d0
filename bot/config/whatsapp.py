"""WhatsApp's approved templates per language, read from the environment."""

from __future__ import annotations

import re
from collections.abc import Mapping

# WHATSAPP_TEMPLATE_SID is every language's fallback, stored under this key.
DEFAULT_TEMPLATE = ""
_TEMPLATE_SETTING = re.compile(r"WHATSAPP_TEMPLATE_SID(?:_([A-Z]{2,3}(?:_[A-Z0-9]{2,8})*))?")


def read_templates(env: Mapping[str, str]) -> dict[str, str]:
    """Read Twilio Content SIDs: WHATSAPP_TEMPLATE_SID, WHATSAPP_TEMPLATE_SID_ES, ..."""
    templates: dict[str, str] = {}
    for key, value in env.items():
        found = _TEMPLATE_SETTING.fullmatch(key)
        if found and value.strip():
            language = (found.group(1) or DEFAULT_TEMPLATE).lower().replace("_", "-")
            templates[language] = value.strip()
    return templates


def template_for(templates: Mapping[str, str], language: str) -> str | None:
    """Return the template for `language`: its own, its base language's, or the default."""
    tag = language.lower()
    for key in (tag, tag.split("-")[0], DEFAULT_TEMPLATE):
        if templates.get(key):
            return templates[key]
    return None
