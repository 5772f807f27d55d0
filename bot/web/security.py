"""Cookies and headers for the staff pages: signed sessions, Secure cookies, a strict CSP."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface

from bot.config.settings import Settings

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# Everything the pages load comes from Parley itself; no page may be framed (clickjacking).
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # Pages carry CSRF tokens and, after a trigger, part of a resident's number.
    "Cache-Control": "no-store",
}


class StaffSessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions whose Secure flag can follow the request (the `auto` setting)."""

    def __init__(self, secure: bool | None) -> None:
        self._secure = secure

    def get_cookie_secure(self, app: Flask) -> bool:
        """Return the fixed setting, or in auto mode: Secure unless plain http to localhost.

        Browsers keep a Secure cookie from http://localhost, but not all of them (Safari);
        the quick start serves http://127.0.0.1:8000, so only that case goes without.
        """
        if self._secure is not None:
            return self._secure
        return not (request.scheme == "http" and _loopback(request.host))


def _loopback(host: str) -> bool:
    """Say whether a Host header names this machine (localhost, 127.0.0.1, [::1])."""
    try:
        return urlsplit(f"//{host}").hostname in LOOPBACK_HOSTS
    except ValueError:  # a malformed Host header: not the quick start
        return False


def cookie_secure(settings: Settings) -> bool | None:
    """Resolve SESSION_COOKIE_SECURE: the setting, else PUBLIC_BASE_URL's scheme, else auto."""
    if settings.session_cookie_secure is not None:
        return settings.session_cookie_secure
    scheme = urlsplit(settings.public_base_url).scheme
    return {"https": True, "http": False}.get(scheme)


def configure_sessions(app: Flask, settings: Settings) -> None:
    """Sign session cookies, keep them HttpOnly and SameSite=Lax, and end them after a shift."""
    key = settings.secret_key
    if not key:
        key = secrets.token_hex(32)
        log.warning("SECRET_KEY is not set: using a random key, so logins end at every restart")
    app.secret_key = key
    app.config.update(
        SESSION_COOKIE_NAME="parley_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        # Signed cookies are re-sent only when the session changes: the shift's end is fixed
        # at login, not pushed back by every page view.
        SESSION_REFRESH_EACH_REQUEST=False,
        # A form opened at the start of a shift must still submit at its end (default: 1 h).
        WTF_CSRF_TIME_LIMIT=int(settings.session_hours * 3600),
    )
    app.session_interface = StaffSessionInterface(cookie_secure(settings))


def page_headers(response: Response) -> Response:
    """Add the staff pages' security headers to a response."""
    for name, value in PAGE_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
