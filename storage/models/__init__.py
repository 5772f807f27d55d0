"""Every table of Parley's database, on one declarative Base (Alembic reads its metadata).

Import rows from here: the modules below only group the tables by what they describe.
"""

from storage.models.accounts import ROLES, ApiToken, User, new_session_token
from storage.models.base import Base, UtcDateTime, next_seq, utc_now
from storage.models.conversations import (
    LIVE,
    Answer,
    AnswerJson,
    Contact,
    Conversation,
    Message,
    Respondent,
    Translation,
    incident_key,
)
from storage.models.schedule import (
    ALL_KINDS,
    CANCELLED,
    DONE,
    EXPIRY,
    FAILED,
    PENDING,
    REMINDER,
    RUNNING,
    START,
    ScheduledItem,
    SenderSlot,
)

__all__ = [
    "ALL_KINDS",
    "CANCELLED",
    "DONE",
    "EXPIRY",
    "FAILED",
    "LIVE",
    "PENDING",
    "REMINDER",
    "ROLES",
    "RUNNING",
    "START",
    "Answer",
    "AnswerJson",
    "ApiToken",
    "Base",
    "Contact",
    "Conversation",
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
