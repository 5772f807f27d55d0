"""Test helpers: a movable clock and Twilio webhook signing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from twilio.request_validator import RequestValidator

from bot.scheduling.model import SendPolicy

if TYPE_CHECKING:
    from storage.contact_cipher import ContactCipher

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "0" * 32
FROM_NUMBER = "+15005550006"
PUBLIC_BASE_URL = "https://parley.example.org"
# The tests' contact-detail keys (fixed, so a database outlives a runtime); never used elsewhere.
DATA_KEY = "dGVzdC1kYXRhLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE="
ADDRESS_HASH_KEY = "dGVzdC1oYXNoLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE="
# Settings(**TEST_KEYS): the keys a runtime on a test database needs (production needs them).
TEST_KEYS = {"data_keys": (DATA_KEY,), "address_hash_key": ADDRESS_HASH_KEY}


class FakeClock:
    """A clock tests move by hand instead of sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 2, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move time forward."""
        self.now += timedelta(**delta)


def sign(path: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """Compute the X-Twilio-Signature Twilio would send for a POST to PUBLIC_BASE_URL+path."""
    return str(RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, params))


# Send rules that let a survey go out the moment it is asked for: no delay after the contact,
# no quiet hours, no frequency cap (call-type exclusions still apply). Most tests use it.
IMMEDIATE_POLICY = SendPolicy(delay=timedelta(0), quiet_hours=None, frequency_cap=timedelta(0))


def cipher_for_tests() -> ContactCipher:
    """Return the cipher the tests' settings (DATA_KEY, ADDRESS_HASH_KEY) make."""
    from storage.contact_cipher import ContactCipher, decode_key

    return ContactCipher([decode_key(DATA_KEY)], decode_key(ADDRESS_HASH_KEY))
