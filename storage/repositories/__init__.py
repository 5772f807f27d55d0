"""One SQLAlchemy repository per aggregate, each bound to the unit of work's Session."""

from storage.repositories.accounts import SqlAlchemyAccountRepository
from storage.repositories.alerts import SqlAlchemyAlertRepository
from storage.repositories.audit import SqlAlchemyAuditRepository
from storage.repositories.cards import SqlAlchemyCardRepository
from storage.repositories.contacts import SqlAlchemyContactRepository
from storage.repositories.conversations import SqlAlchemyConversationRepository
from storage.repositories.flows import SqlAlchemyFlowRepository
from storage.repositories.messages import SqlAlchemyMessageRepository
from storage.repositories.respondents import SqlAlchemyRespondentRepository
from storage.repositories.retention import SqlAlchemyRetentionRepository
from storage.repositories.schedule import SqlAlchemyScheduleRepository
from storage.repositories.tokens import SqlAlchemyTokenRepository
from storage.repositories.translations import SqlAlchemyTranslationRepository

__all__ = [
    "SqlAlchemyAccountRepository",
    "SqlAlchemyAlertRepository",
    "SqlAlchemyAuditRepository",
    "SqlAlchemyCardRepository",
    "SqlAlchemyContactRepository",
    "SqlAlchemyConversationRepository",
    "SqlAlchemyFlowRepository",
    "SqlAlchemyMessageRepository",
    "SqlAlchemyRespondentRepository",
    "SqlAlchemyRetentionRepository",
    "SqlAlchemyScheduleRepository",
    "SqlAlchemyTokenRepository",
    "SqlAlchemyTranslationRepository",
]
