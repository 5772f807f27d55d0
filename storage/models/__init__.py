"""Every table of Parley's database, on one declarative Base (Alembic reads its metadata).

Import rows from here: the modules below only group the tables by what they describe.
"""

from bot.engine.model import LIVE
from storage.models.accounts import ROLES, ApiToken, User, new_session_token
from storage.models.alerts import Alert, AlertDelivery
from storage.models.audit import AuditEntry
from storage.models.base import Base, UtcDateTime, next_seq, utc_now
from storage.models.cards import Card, CardAttempt
from storage.models.conversations import (
    Answer,
    AnswerJson,
    Contact,
    Conversation,
    Message,
    Respondent,
    Translation,
    incident_key,
)
from storage.models.flows import DEFAULT_ROUTE, FlowDraft, FlowRoute, FlowVersion
from storage.models.schedule import (
    ScheduledItem,
    SenderSlot,
)

__all__ = [
    "DEFAULT_ROUTE",
    "LIVE",
    "ROLES",
    "Alert",
    "AlertDelivery",
    "Answer",
    "AnswerJson",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Card",
    "CardAttempt",
    "Contact",
    "Conversation",
    "FlowDraft",
    "FlowRoute",
    "FlowVersion",
    "Message",
    "Respondent",
    "ScheduledItem",
    "SenderSlot",
    "Translation",
    "User",
    "UtcDateTime",
    "incident_key",
    "new_session_token",
    "next_seq",
    "utc_now",
]
