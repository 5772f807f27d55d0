"""Roles the service layer depends on, as typing.Protocols; adapters live at the edge.

Grouped by what they describe; import them from here.
"""

from bot.ports.alerts import (
    AlertNotice,
    AlertOutlet,
    AlertOutletError,
    AlertRepository,
)
from bot.ports.flows import (
    FlowRepository,
    FlowStore,
    FlowVersionRecords,
    StoredFlowVersion,
    UnknownFlowVersionError,
)
from bot.ports.messages import (
    MENU_MARK,
    OPEN_CHAT,
    ButtonPress,
    Buttons,
    ButtonSender,
    DeliveryError,
    InboundMessage,
    Keyboard,
    Renderer,
    Sender,
    TemplateSender,
)
from bot.ports.published import PublicQueries
from bot.ports.repositories import (
    ContactRepository,
    ConversationRepository,
    MessageRepository,
    RespondentRepository,
    ScheduleRepository,
)
from bot.ports.results import ResultsQueries
from bot.ports.retention import RetentionRepository
from bot.ports.storage import (
    AccountRepository,
    AdminQueries,
    AuditRepository,
    CardRepository,
    OperationsQueries,
    ResponseQueries,
    SurveyQueries,
    TokenRepository,
    TranslationRepository,
    UnitOfWork,
    UnitOfWorkFactory,
)
from bot.ports.work import Clock, Dispatcher, TranslationError, Translator

__all__ = [
    "MENU_MARK",
    "OPEN_CHAT",
    "AccountRepository",
    "AdminQueries",
    "AlertNotice",
    "AlertOutlet",
    "AlertOutletError",
    "AlertRepository",
    "AuditRepository",
    "ButtonPress",
    "ButtonSender",
    "Buttons",
    "CardRepository",
    "Clock",
    "ContactRepository",
    "ConversationRepository",
    "DeliveryError",
    "Dispatcher",
    "FlowRepository",
    "FlowStore",
    "FlowVersionRecords",
    "InboundMessage",
    "Keyboard",
    "MessageRepository",
    "OperationsQueries",
    "PublicQueries",
    "Renderer",
    "RespondentRepository",
    "ResponseQueries",
    "ResultsQueries",
    "RetentionRepository",
    "ScheduleRepository",
    "Sender",
    "StoredFlowVersion",
    "SurveyQueries",
    "TemplateSender",
    "TokenRepository",
    "TranslationError",
    "TranslationRepository",
    "Translator",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UnknownFlowVersionError",
]
