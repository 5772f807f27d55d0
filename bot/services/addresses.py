"""Normalise residents' addresses per channel: phone numbers to E.164 with phonenumbers."""

from __future__ import annotations

import re
from enum import StrEnum

import phonenumbers


class AddressError(ValueError):
    """An address that cannot belong to the channel it was given for.

    Its message says why, never quoting the address: it reaches HTTP error bodies, the
    officer's form and the import report.
    """


def normalise_phone(raw: str, region: str = "US") -> str:
    """Return `raw` as an E.164 number, reading national numbers in `region`."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise AddressError("not a phone number") from exc
    # is_possible (length and country code), not is_valid: agencies test with 555 numbers, and
    # numbering plans change faster than the library's metadata is updated on a deployment.
    if not phonenumbers.is_possible_number(number):
        raise AddressError("not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def textable_phone(raw: str, region: str = "US") -> str:
    """Return `raw` as an E.164 number a survey can be texted to, or say why not.

    Stricter than what we accept from a provider: a 7-digit local number (`555-0100`) needs
    its area code, and no North American area code starts with 0 or 1.
    """
    e164 = normalise_phone(raw, region)
    number = phonenumbers.parse(e164, None)
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        raise AddressError("the number has no area code")
    national = phonenumbers.national_significant_number(number)
    if number.country_code == 1 and national[0] in "01":
        raise AddressError("the number has an area code that does not exist")
    return e164


class Channel(StrEnum):
    """The channels a resident is surveyed on; each names its kind of address."""

    SMS = "sms"  # a phone number in E.164
    TELEGRAM = "telegram"  # a private chat's id, as text
    CONSOLE = "console"  # `python -m bot chat`: a made-up address in a throwaway database
    # A phone number in E.164 too; a different respondent than the same number on SMS.
    WHATSAPP = "whatsapp"


# A Telegram chat's id: an integer (negative for groups), at most 52 bits.
_CHAT_ID = re.compile(r"-?[0-9]{1,16}")
# Chat apps where a bot may write only to a resident who opened the chat with it first.
RESIDENT_STARTS = frozenset({Channel.TELEGRAM})


def normalise_address(channel: str, raw: str, region: str = "US") -> str:
    """Return the canonical form of an address a survey can be sent to on `channel`."""
    text = raw.strip()
    if not text:
        raise AddressError("address is empty")
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return textable_phone(text, region)
    if channel == Channel.TELEGRAM and not _CHAT_ID.fullmatch(text):
        raise AddressError("a Telegram chat is named by its numeric id")
    if len(text) > 64:
        raise AddressError("address is longer than 64 characters")
    return text


def mask(address: str) -> str:
    """Hide all but the last two characters of an address, for logs."""
    return "…" + address[-2:] if len(address) > 2 else "…"


# Digits as a phone number or a chat id is written ("+1 (555) 010-0142", "-1001234567890").
_NUMBER = re.compile(r"\+?[0-9][0-9 ().-]{5,}[0-9]")


def without_numbers(text: object) -> str:
    """Return a provider's error text without the phone numbers or chat ids it may quote.

    ("The 'To' number +15550100 is not a valid phone number", "New chat id: -100123456"):
    the text is kept on the scheduled item for staff and logged, where no address may be.
    """
    return _NUMBER.sub("[number]", str(text))
