"""Post signed Twilio webhooks and read TwiML replies."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support import sign

SMS_PATH = "/webhooks/twilio/sms"


def random_number() -> str:
    """Return a fresh US number in the 555-01xx fiction range plus random digits."""
    return f"+1555{secrets.randbelow(10**7):07d}"


def post_sms(
    client: FlaskClient,
    sender: str,
    body: str,
    sid: str | None = None,
    extra: dict[str, str] | None = None,
) -> TestResponse:
    """Post one signed inbound SMS as Twilio would."""
    form = {
        "MessageSid": sid or "SM" + secrets.token_hex(16),
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "+15005550006",
        "Body": body,
        "NumMedia": "0",
        **(extra or {}),
    }
    headers = {"X-Twilio-Signature": sign(SMS_PATH, form)}
    return client.post(SMS_PATH, data=form, headers=headers)


def replies(response: TestResponse) -> list[str]:
    """Return the message bodies of a TwiML response."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.get_data(as_text=True))
    return [(m.text or "") for m in root.iter("Message")]


def reply(response: TestResponse) -> str:
    """Return the single reply of a TwiML response ('' when there is none)."""
    bodies = replies(response)
    assert len(bodies) <= 1, bodies
    return bodies[0] if bodies else ""
