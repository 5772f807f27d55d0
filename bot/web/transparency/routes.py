"""GET /transparency (the page), /transparency/data.csv and /transparency/data.json.

No sign-in and no cookie: the figures are public and already suppressed. Responses are
cacheable by browsers and proxies (Cache-Control public, an ETag answered with 304), and
the page alone may be framed by the sites TRANSPARENCY_FRAME_ANCESTORS names.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request

from bot.config.page_texts import BASE_LANGUAGE, load_page_texts
from bot.services.open_data import as_csv, as_json
from bot.services.transparency import Transparency, TransparencyCache
from bot.web.context import runtime, settings
from bot.web.transparency.view import Formats, accepted, chart_data, offered

bp = Blueprint("transparency", __name__)


@bp.after_request
def public_headers(response: Response) -> Response:
    """Keep the strict policy of the staff pages, but let the agency's sites frame this one."""
    ancestors = settings().transparency_frame_ancestors
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; frame-ancestors {ancestors}; form-action 'self'; "
        "base-uri 'none'; object-src 'none'"
    )
    # X-Frame-Options has no list of sites: sent only where it says what the CSP says.
    legacy = {"'none'": "DENY", "'self'": "SAMEORIGIN"}.get(ancestors)
    if legacy:
        response.headers["X-Frame-Options"] = legacy
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


def _texts() -> dict[str, dict[str, str]]:
    """Return the page's words in every language, read once per app."""
    found = current_app.extensions.get("parley.transparency_texts")
    if found is None:
        found = load_page_texts(settings().locales_dir / "transparency")
        current_app.extensions["parley.transparency_texts"] = found
    return found


def _report() -> Transparency:
    """Return the figures, from this process's cache while they are fresh."""
    rt = runtime()
    if rt.public is None:
        abort(503, "the results read side is not set up (see bootstrap)")
    cache: TransparencyCache = current_app.extensions.setdefault(
        "parley.transparency_cache", TransparencyCache(settings().transparency_cache_seconds)
    )
    return cache.get(rt.public, rt.flows.values(), settings().k_anonymity, rt.clock())


def _language(codes: list[str]) -> str:
    """Return the visitor's language: ?lang= if given, else the browser's, else the default."""
    asked = request.args.get("lang")
    if asked is not None:
        if asked not in codes:
            abort(400, f"unknown language {asked[:20]!r}; choose one of {', '.join(codes)}")
        return asked
    default = settings().default_language
    return accepted(request.accept_languages, codes, default if default in codes else BASE_LANGUAGE)


@bp.get("/transparency")
def page() -> Response:
    """Show the results in the visitor's language, each chart with its table."""
    texts = _texts()
    code = _language(sorted(texts))
    report = _report()
    fmt = Formats(code, _base_language())
    languages = offered(sorted(texts), runtime().locales)
    names = {lang.code: lang.name for lang in languages}
    words = texts[code]
    body = render_template(
        "transparency/page.html",
        t=texts[code],
        report=report,
        fmt=fmt,
        language=next(lang for lang in languages if lang.code == code),
        languages=languages,
        charts=chart_data(report, fmt, words),
        districts=[row or words["not_recorded"] for row in report.by_district.rows]
        + [words["total"]],
        spoken=[
            names.get(row, row) if row else words["not_recorded"] for row in report.by_language.rows
        ]
        + [words["total"]],
    )
    response = Response(body, mimetype="text/html")
    response.headers["Content-Language"] = code
    # Without ?lang= the language follows the browser's: caches keep one copy per language.
    response.vary.add("Accept-Language")
    return _cacheable(response)


@bp.get("/transparency/data.csv")
def data_csv() -> Response:
    """Return the page's figures as CSV (hidden ones empty)."""
    response = Response(as_csv(_report()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="transparency.csv"'
    return _cacheable(response)


@bp.get("/transparency/data.json")
def data_json() -> Response:
    """Return the page's figures as JSON (hidden ones null)."""
    document: dict[str, Any] = as_json(_report())
    body = json.dumps(document, ensure_ascii=False, indent=1)
    response = Response(body, mimetype="application/json")
    # Open data: any site's script may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return _cacheable(response)


def _base_language() -> str:
    """Return the language flows fall back to when a question has no text in the visitor's."""
    return runtime().default_language


def _cacheable(response: Response) -> Response:
    """Let browsers and proxies keep the answer, and answer an unchanged one with 304."""
    response.cache_control.public = True
    response.cache_control.max_age = settings().transparency_cache_seconds
    response.add_etag()
    response.make_conditional(request)  # turns itself into a 304 when the ETag matches
    return response
