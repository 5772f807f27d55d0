"""Alert webhooks: a signed JSON POST per alert delivery (the requests library).

The body is signed with HMAC-SHA256 under ALERT_WEBHOOK_SECRET; the receiver recomputes it
over the raw body and compares (`X-Parley-Signature: sha256=<hex>`). The body carries the
timestamp (also in `X-Parley-Timestamp`), so a receiver can refuse an old replay, and the
delivery id (`X-Parley-Delivery`), the same on every attempt, so it can drop a repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import requests

from bot.ports import AlertNotice, AlertOutletError

TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Parley-Signature"
TIMESTAMP_HEADER = "X-Parley-Timestamp"
DELIVERY_HEADER = "X-Parley-Delivery"
# Refusals that may pass: the receiver is overloaded, or asked us to wait.
_TRANSIENT = frozenset({408, 409, 425, 429})


def sign(secret: str, body: bytes) -> str:
    """Return the signature header's value for a body: "sha256=<hex HMAC-SHA256>"."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, body: bytes, header: str) -> bool:
    """Say whether a signature header matches the body (what a receiver does), in constant time."""
    return hmac.compare_digest(sign(secret, body), header)


class WebhookAlertOutlet:
    """POST each alert, signed, to the agency's webhook."""

    name = "webhook"

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._url = url
        self._secret = secret
        self._clock = clock

    def send(self, notice: AlertNotice) -> None:
        """POST the notice; raise AlertOutletError unless the receiver answered 2xx."""
        sent_at = self._clock()
        body = json.dumps(payload(notice, sent_at), separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(self._secret, body),
            TIMESTAMP_HEADER: str(int(sent_at.timestamp())),
            DELIVERY_HEADER: str(notice.delivery_id),
        }
        try:
            answer = requests.post(self._url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as exc:
            raise AlertOutletError(f"webhook {type(exc).__name__}") from exc
        status = answer.status_code
        if status >= 300:
            permanent = 400 <= status < 500 and status not in _TRANSIENT
            raise AlertOutletError(f"webhook answered {status}", permanent=permanent)


def payload(notice: AlertNotice, sent_at: datetime) -> dict[str, Any]:
    """Return the JSON body of one alert: its facts and link, no resident's number or words."""
    return {
        "alert_id": str(notice.alert_id),
        "delivery_id": str(notice.delivery_id),
        "kind": notice.kind,
        "rule": notice.rule,
        "detail": notice.detail,
        "officer_id": notice.officer_id,
        "unit": notice.unit,
        "created_at": notice.created_at.isoformat(),
        "url": notice.link,
        "timestamp": int(sent_at.timestamp()),
    }
