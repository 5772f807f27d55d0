"""Roles the service layer depends on, as typing.Protocols; adapters live at the edge.

Grouped by what they describe; import them from here.
"""

from bot.ports.flows import (
    FlowRepository,
    FlowStore,
    FlowVersionRecords,
    StoredFlowVersion,
    UnknownFlowVersionError,
)
from bot.ports.messages import (
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
from bot.ports.repositories import (
    ContactRepository,
    ConversationRepository,
    MessageRepository,
    RespondentRepository,
    ScheduleRepository,
)
from bot.ports.storage import (
    AccountRepository,
    CardRepository,
    SurveyQueries,
    TokenRepository,
    TranslationRepository,
    UnitOfWork,
    UnitOfWorkFactory,
)
from bot.ports.work import Clock, Dispatcher, TranslationError, Translator

__all__ = [
    "AccountRepository",
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
    "Renderer",
    "RespondentRepository",
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
