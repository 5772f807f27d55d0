"""Each language's own help and complaints contacts, read from the environment."""

from __future__ import annotations

import re
from collections.abc import Mapping

# English wording of the contacts an agency leaves unset; each locale has its own (`defaults:`).
DEFAULT_CONTACTS = {
    "complaints": "the department's front desk",
    "help": "the department's non-emergency line",
}
_CONTACT_SETTING = re.compile(r"(HELP|COMPLAINTS)_CONTACT_([A-Z]{2,3}(?:_[A-Z0-9]{2,8})*)")


def read_contacts(env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Read per-language contacts: HELP_CONTACT_ES, COMPLAINTS_CONTACT_ZH_HANT, ..."""
    contacts: dict[str, dict[str, str]] = {}
    for key, value in env.items():
        found = _CONTACT_SETTING.fullmatch(key)
        if found and value.strip():
            language = found.group(2).lower().replace("_", "-")
            contacts.setdefault(language, {})[found.group(1).lower()] = value.strip()
    return contacts
