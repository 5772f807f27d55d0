"""Build the Flask app: register blueprints and turn every error into a clear answer."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from bot.config.settings import Settings
from bot.logs import end_request, request_id, set_request_id
from bot.services.runtime import Runtime
from bot.web.metrics import init_metrics

log = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-Id"

# How long a caller should wait before retrying a request the database could not serve.
RETRY_AFTER_SECONDS = 5

# SMS bodies top out at 1,600 characters; nothing legitimate we accept is near this.
MAX_REQUEST_BYTES = 256 * 1024


def build_app(config: Settings | None = None, rt: Runtime | None = None) -> Flask:
    """Create the app with the given settings and runtime (bootstrapped when not given)."""
    from bot.bootstrap import bootstrap, configure_logging

    config = config or Settings.from_env()
    configure_logging(config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.extensions["parley.settings"] = config
    app.extensions["parley.runtime"] = rt or bootstrap(config)
    if config.trusted_proxies:
        n = config.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
    _register_blueprints(app, config)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.add_url_rule("/healthz", "healthz", _health)
    app.add_url_rule("/readyz", "readyz", _ready)
    init_metrics(app)
    app.before_request(_name_request)
    app.before_request(_start_background)
    app.after_request(_tell_request_id)
    app.teardown_request(_forget_request)
    return app


def _register_blueprints(app: Flask, config: Settings) -> None:
    """Register the machine-facing blueprints, sign-in with CSRF, then the staff pages."""
    from bot.web.admin import bp as admin_bp
    from bot.web.api import bp as api_bp
    from bot.web.api_cards import bp as api_cards_bp
    from bot.web.api_responses import bp as api_responses_bp
    from bot.web.auth import init_auth
    from bot.web.officer import bp as officer_bp
    from bot.web.officer_cards import bp as officer_cards_bp
    from bot.web.officer_feedback import bp as officer_feedback_bp
    from bot.web.preview import bp as preview_bp
    from bot.web.results import bp as results_bp
    from bot.web.transparency import bp as transparency_bp
    from bot.web.webhooks.telegram import bp as telegram_bp
    from bot.web.webhooks.twilio import bp as twilio_bp

    machines = (twilio_bp, telegram_bp, api_bp, api_cards_bp, api_responses_bp)
    for blueprint in machines:
        app.register_blueprint(blueprint)
    # Staff pages: signed sessions, CSRF on every form (not on token- or signature-checked routes).
    init_auth(app, config, exempt=machines)
    pages = (officer_bp, officer_cards_bp, officer_feedback_bp, preview_bp, admin_bp, results_bp)
    for blueprint in (*pages, transparency_bp):
        app.register_blueprint(blueprint)


def _start_background() -> None:
    """Start this worker process's sweep on its first request (threads don't survive a fork)."""
    from bot.web.context import runtime

    dispatcher = runtime().dispatcher
    if dispatcher is not None:
        dispatcher.start()


def _health() -> Response:
    """Answer a load balancer's liveness probe."""
    return jsonify(status="ok")


def _ready() -> tuple[Response, int]:
    """Answer a readiness probe: 200 when every backing service answers, else 503 and which."""
    from bot.services.readiness import check
    from bot.web.context import runtime

    checks = check(runtime().probes)
    ready = all(state == "ok" for state in checks.values())
    body = jsonify(status="ready" if ready else "unavailable", checks=checks)
    return body, 200 if ready else 503


def _name_request() -> None:
    """Give the request an id every log line and the jobs it enqueues will carry."""
    # A plain token a proxy sent is kept; anything else is replaced by a fresh id.
    g.parley_request = set_request_id(request.headers.get(REQUEST_ID_HEADER, ""))


def _forget_request(_error: BaseException | None) -> None:
    """Stop naming the request once it is over (the thread serves others next)."""
    token = g.pop("parley_request", None)
    if token is not None:
        end_request(token)


def _tell_request_id(response: Response) -> Response:
    """Return the request's id, so a report of a problem can be found in the logs."""
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


def _http_error(exc: HTTPException) -> tuple[Response, int]:
    """Answer an HTTP error with its reason, as JSON."""
    code = exc.code or 500
    return jsonify(error=exc.name.lower(), reason=exc.description), code


def _unexpected(exc: Exception) -> tuple[Response, int] | tuple[Response, int, dict[str, str]]:
    """Log a programming error with its traceback and answer without leaking details.

    A database that is down or restarting is no programming error: the answer is 503 with
    Retry-After, so Twilio, Telegram and API callers retry, and nothing they sent is lost.
    """
    from bot.web.context import runtime

    if runtime().unavailable(exc):
        log.warning(
            "database unavailable on %s %s (%s)", request.method, request.path, type(exc).__name__
        )
        body = jsonify(error="unavailable", reason="try again shortly")
        return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    log.exception("unhandled error on %s %s", request.method, request.path)
    return jsonify(error="internal error", reason="the error was logged"), 500
