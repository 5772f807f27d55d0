"""The admin site's forms; each carries a CSRF token (Flask-WTF) but the audit filter (GET)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from bot.services.accounts import MAX_PASSWORD
from bot.services.alerts import MAX_NOTE
from storage.models import ROLES

ROLE_CHOICES = [SelectChoice(role, role.capitalize()) for role in ROLES]


class AccountForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """A new staff account; a blank password has Parley make one, shown once."""

    email = EmailField("Email", validators=[InputRequired("Enter an email."), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="officer")
    officer_id = StringField("Officer id", validators=[Optional(), Length(max=64)])
    unit = StringField("Unit", validators=[Optional(), Length(max=64)])
    password = PasswordField("Initial password", validators=[Optional(), Length(max=MAX_PASSWORD)])


class ChangeForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """An account's role and unit."""

    role = SelectField("Role", choices=ROLE_CHOICES)
    unit = StringField("Unit", validators=[Optional(), Length(max=64)])


class ActionForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """A button that changes an account (disable, enable, unlock): only its CSRF token."""


class AuditFilterForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """Which audit entries to list; read from the query string, changes nothing."""

    class Meta:
        """A search form: no CSRF token, as it only reads."""

        csrf = False

    action = SelectField("Action", choices=[], default="", validate_choice=True)
    actor = StringField("Who", validators=[Optional(), Length(max=254)])
    since = DateField("From", validators=[Optional()])
    until = DateField("To", validators=[Optional()])


class AlertFilterForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """Which alerts to list; read from the query string, changes nothing."""

    class Meta:
        """A search form: no CSRF token, as it only reads."""

        csrf = False

    show = SelectField(
        "Show",
        choices=[
            SelectChoice("open", "Unacknowledged"),
            SelectChoice("acknowledged", "Acknowledged"),
            SelectChoice("all", "All"),
        ],
        default="open",
    )


class AcknowledgeForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """Acknowledge an alert: what was done about it."""

    note = TextAreaField(
        "What was done",
        validators=[
            DataRequired("Say what was done, in a few words."),
            Length(max=MAX_NOTE, message=f"Keep the note to {MAX_NOTE} characters."),
        ],
    )
