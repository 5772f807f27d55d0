"""The audit log: record who did what (sign-ins, accounts, erasures), and read it page by page.

An entry is staged in the caller's unit of work, so it is stored by the same commit as the
change it records, or not at all. Nothing here changes or removes an entry.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from enum import StrEnum

from bot.i18n.controls import has_controls
from bot.ports import AdminQueries, UnitOfWork
from storage.models import AuditEntry
from storage.queries import AuditFilter, AuditPage

# Who did it when no person signed in to the site did: a service called from code or tests.
SYSTEM = "system"
PER_PAGE = 50
# The columns' lengths (storage/models/audit.py).
_ACTOR, _SUBJECT, _DETAIL = 254, 254, 500


class Action(StrEnum):
    """What an audit entry records."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_DISABLED = "account_disabled"
    ACCOUNT_ENABLED = "account_enabled"
    ACCOUNT_UNLOCKED = "account_unlocked"
    ROLE_CHANGED = "role_changed"
    UNIT_CHANGED = "unit_changed"
    TOKEN_CREATED = "token_created"  # noqa: S105  # an action's name, not a secret
    TOKEN_REVOKED = "token_revoked"  # noqa: S105
    ALERT_ACKNOWLEDGED = "alert_acknowledged"
    FLOW_DRAFT_SAVED = "flow_draft_saved"
    FLOW_DRAFT_DISCARDED = "flow_draft_discarded"
    FLOW_PUBLISHED = "flow_published"
    FLOW_ROLLED_BACK = "flow_rolled_back"
    ROUTE_CHANGED = "route_changed"
    RESPONDENT_ERASED = "respondent_erased"
    # Reads of per-survey data (bot.services.access): who read which survey's data, when.
    SURVEY_REPORT_READ = "survey_report_read"
    RESPONSES_EXPORTED = "responses_exported"
    COMMENTS_READ = "comments_read"
    ALERTS_READ = "alerts_read"


# How the audit page names each action.
LABELS = {
    Action.SIGN_IN: "Signed in",
    Action.SIGN_IN_FAILED: "Sign-in failed",
    Action.SIGN_OUT: "Signed out",
    Action.ACCOUNT_CREATED: "Account created",
    Action.ACCOUNT_DISABLED: "Account disabled",
    Action.ACCOUNT_ENABLED: "Account enabled",
    Action.ACCOUNT_UNLOCKED: "Account unlocked",
    Action.ROLE_CHANGED: "Role changed",
    Action.UNIT_CHANGED: "Unit changed",
    Action.TOKEN_CREATED: "API token created",
    Action.TOKEN_REVOKED: "API token revoked",
    Action.ALERT_ACKNOWLEDGED: "Alert acknowledged",
    Action.FLOW_DRAFT_SAVED: "Survey draft saved",
    Action.FLOW_DRAFT_DISCARDED: "Survey draft discarded",
    Action.FLOW_PUBLISHED: "Survey published",
    Action.FLOW_ROLLED_BACK: "Survey rolled back",
    Action.ROUTE_CHANGED: "Survey routing changed",
    Action.RESPONDENT_ERASED: "Resident's data erased",
    Action.SURVEY_REPORT_READ: "Survey report read",
    Action.RESPONSES_EXPORTED: "Responses exported",
    Action.COMMENTS_READ: "Comments read",
    Action.ALERTS_READ: "Alerts read",
}


def record(
    work: UnitOfWork, actor: str, action: Action, subject: str, detail: str, now: datetime
) -> None:
    """Stage an audit entry in the open unit of work; the caller's commit stores it."""
    entry = AuditEntry(
        at=now,
        actor=_clean(actor, _ACTOR) or SYSTEM,
        action=str(action),
        subject=_clean(subject, _SUBJECT),
        detail=_clean(detail, _DETAIL),
    )
    work.audit.add(entry)


def _clean(text: str, limit: int) -> str:
    """Return text on one printable line, cut to a column's length."""
    if has_controls(text):
        text = "".join(char for char in text if not has_controls(char))
    return text.strip()[:limit]


def command_line() -> str:
    """Name who runs a command: the command line and the operating system's user."""
    try:
        return f"command line ({getpass.getuser()})"
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "command line"


def audit_page(queries: AdminQueries, where: AuditFilter, page: int) -> AuditPage:
    """Return one page (from 1) of the entries a filter selects, newest first."""
    return queries.audit_page(where, max(page, 1), PER_PAGE)


def label(action: str) -> str:
    """Return how the audit page names an action (its code when it has no label)."""
    try:
        return LABELS[Action(action)]
    except ValueError:
        return action
