"""Staff sign-in: Flask-Login sessions, CSRF-protected forms, roles and safe redirects."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import wraps
from typing import Any, cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import InputRequired, Length

from bot.config.settings import Settings
from bot.services.accounts import (
    MAX_PASSWORD,
    Account,
    LoginPolicy,
    end_logins,
    load_account,
    log_in,
)
from bot.web.context import runtime, settings
from bot.web.security import configure_sessions, page_headers

bp = Blueprint("auth", __name__)
bp.after_request(page_headers)

# The one answer for an unknown email, a wrong password, a locked or a disabled account.
LOGIN_FAILED = "Invalid email or password."


class StaffUser(UserMixin):  # type: ignore[misc]  # Flask-Login ships no type hints
    """The signed-in person, as Flask-Login sees them."""

    def __init__(self, account: Account) -> None:
        self.account = account

    def get_id(self) -> str:
        """Return what the login cookie carries: the id and the account's current token."""
        return f"{self.account.id}:{self.account.session_token}"

    @property
    def role(self) -> str:
        """Return the account's role: officer, supervisor or admin."""
        return self.account.role


class LoginForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """Email and password, plus where to go afterwards."""

    email = EmailField("Email", validators=[InputRequired("Enter your email."), Length(max=254)])
    password = PasswordField(
        "Password", validators=[InputRequired("Enter your password."), Length(max=MAX_PASSWORD)]
    )
    next = HiddenField()


def init_auth(app: Flask, config: Settings, exempt: Iterable[Blueprint]) -> None:
    """Set up sessions, CSRF protection (except for `exempt` blueprints) and sign-in."""
    configure_sessions(app, config)
    csrf = CSRFProtect(app)
    for blueprint in exempt:
        # Authenticated by a bearer token or a provider signature, never by a cookie.
        csrf.exempt(blueprint)
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = ""
    manager.user_loader(_load_user)
    app.register_error_handler(CSRFError, _form_expired)
    app.jinja_env.globals["agency_name"] = config.agency_name
    app.register_blueprint(bp)


def _load_user(user_id: str) -> StaffUser | None:
    """Load the signed-in account on each request: a disabled one is signed out at once."""
    account = load_account(runtime().uow, user_id)
    return StaffUser(account) if account is not None else None


def _form_expired(exc: CSRFError) -> tuple[str, int]:
    """Answer a form posted without a valid CSRF token, as a page."""
    return render_template("auth/form_expired.html", reason=exc.description), 400


def signed_in() -> StaffUser:
    """Return the signed-in person (inside a view that requires one)."""
    return cast(StaffUser, current_user)


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let only signed-in people with one of `roles` through; others sign in or get 403."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        """Guard one view."""

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            """Send strangers to sign in, refuse other roles, run the view for the rest."""
            if not current_user.is_authenticated:
                manager: LoginManager = current_app.login_manager  # type: ignore[attr-defined]
                return manager.unauthorized()
            if signed_in().role not in roles:
                return render_template("auth/forbidden.html"), 403
            return view(*args, **kwargs)

        return wrapped

    return decorate


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Show the sign-in form; sign in and go on to `next` or the officer page."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data) or url_for("officer.form"))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    account = log_in(
        runtime().uow, form.email.data or "", form.password.data or "", runtime().clock(), _policy()
    )
    if account is None:
        return render_template("auth/login.html", form=form, error=LOGIN_FAILED), 400
    session.clear()  # a fresh session (and CSRF token) for the signed-in person
    login_user(StaffUser(account))
    session.permanent = True
    return redirect(safe_next(form.next.data) or url_for("officer.form"))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out everywhere (every cookie issued so far stops working) and forget the session."""
    if current_user.is_authenticated:
        end_logins(runtime().uow, signed_in().account.id, runtime().clock())
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


def _policy() -> LoginPolicy:
    """Build the lockout rules from the settings."""
    config = settings()
    lockout = timedelta(minutes=config.login_lockout_minutes)
    return LoginPolicy(config.login_max_failures, window=lockout, lockout=lockout)
