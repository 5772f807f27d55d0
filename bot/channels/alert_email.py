"""Alert emails over SMTP (the standard library's smtplib): one message per alert delivery.

SMTP_URL names the server: smtp://user:password@host:587 (SMTP_STARTTLS=true to upgrade the
connection, as most submission ports require) or smtps://…:465 (TLS from the start). The body
holds the alert's facts and a link to its page: never the resident's number or words.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import unquote, urlsplit

from bot.ports import AlertNotice, AlertOutletError

TIMEOUT_SECONDS = 20.0
KIND_NAMES = {"alert": "Alert", "commendation": "Commendation"}


class SmtpAlertOutlet:
    """Send each alert to the officer's supervisors by email."""

    name = "email"

    def __init__(self, url: str, sender: str, *, starttls: bool = False) -> None:
        parts = urlsplit(url)
        self._tls = parts.scheme == "smtps"
        self._host = parts.hostname or "localhost"
        self._port = parts.port or (465 if self._tls else 25)
        self._user = unquote(parts.username or "")
        self._password = unquote(parts.password or "")
        self._starttls = starttls
        self._sender = sender

    def send(self, notice: AlertNotice) -> None:
        """Mail the notice to its recipients; raise AlertOutletError when the server refused."""
        if not notice.recipients:
            raise AlertOutletError("no supervisor or admin account to email", permanent=True)
        message = compose(notice, self._sender)
        try:
            with self._connect() as smtp:
                smtp.send_message(message)
        except smtplib.SMTPResponseException as exc:
            # 5xx: the server will not take it as it is; 4xx: try again later.
            raise AlertOutletError(f"SMTP {exc.smtp_code}", permanent=exc.smtp_code >= 500) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise AlertOutletError("SMTP refused every recipient", permanent=True) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise AlertOutletError(f"SMTP {type(exc).__name__}") from exc

    def _connect(self) -> smtplib.SMTP:
        """Open a connection to the server, upgraded to TLS and signed in as configured."""
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self._tls:
            smtp = smtplib.SMTP_SSL(
                self._host, self._port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            smtp = smtplib.SMTP(self._host, self._port, timeout=TIMEOUT_SECONDS)
        try:
            if self._starttls and not self._tls:
                smtp.starttls(context=context)
            if self._user:
                smtp.login(self._user, self._password)
        except BaseException:
            smtp.close()  # A refused upgrade or sign-in must not leave the socket open.
            raise
        return smtp


def compose(notice: AlertNotice, sender: str) -> EmailMessage:
    """Write the email of one alert: subject, facts, the link; a Message-ID per delivery."""
    kind = KIND_NAMES.get(notice.kind, notice.kind.capitalize())
    unit = notice.unit or "no unit"
    message = EmailMessage()
    message["Subject"] = f"Parley {kind.lower()}: {notice.detail} ({unit})"
    message["From"] = sender
    message["To"] = ", ".join(notice.recipients)
    message["Date"] = format_datetime(notice.created_at)
    # The same on every attempt: a mail system may drop a repeat after a worker restart.
    message["Message-ID"] = f"<{notice.delivery_id}@parley.alerts>"
    lines = [
        f"{kind} from a resident's survey answers.",
        "",
        f"What: {notice.detail}",
        f"Rule: {notice.rule}",
        f"Officer: {notice.officer_id or 'not recorded'}",
        f"Unit: {unit}",
        f"Raised: {notice.created_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"Read it and acknowledge it: {notice.link}",
        "",
        "The resident stays anonymous: Parley never sends their number.",
    ]
    message.set_content("\n".join(lines))
    return message
