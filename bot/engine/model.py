"""Immutable data the engine works on: flows, locales, conversation state and step results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# A text given per language: {"en": "Hello", "es": "Hola"}.
LocalText = Mapping[str, str]
# A normalised answer value: a choice's value, a number, True/False, free text, or None (no answer).
AnswerValue = str | int | bool | None


class NodeKind(StrEnum):
    """Kinds of flow node; every kind but MESSAGE and END waits for a reply."""

    MESSAGE = "message"
    CHOICE = "choice"
    SCALE = "scale"
    YES_NO = "yes_no"
    NPS = "nps"
    TEXT = "text"
    END = "end"


WAITING_KINDS = frozenset(
    {NodeKind.CHOICE, NodeKind.SCALE, NodeKind.YES_NO, NodeKind.NPS, NodeKind.TEXT}
)
# Questions answered with a number: their answers can be compared, thresholded and averaged.
SCORED_KINDS = frozenset({NodeKind.SCALE, NodeKind.NPS})


class Status(StrEnum):
    """Lifecycle of a conversation."""

    SCHEDULED = "scheduled"
    ACTIVE = "active"
    COMPLETED = "completed"
    EXPIRED = "expired"
    OPTED_OUT = "opted_out"
    # Never sent: a rule refused it (the reason is stored beside it).
    REFUSED = "refused"


# A conversation still to be sent or under way: the only ones a rule, a cancel or STOP can close.
LIVE = (Status.SCHEDULED, Status.ACTIVE)


@dataclass(frozen=True)
class Option:
    """One labelled option of a choice question; `value` is the same in every language."""

    value: str
    label: LocalText
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """A branch: when the answer satisfies `op value`, go to `next`.

    ops: eq, ne, in, lt, lte, gt, gte, answered, no_answer.
    """

    op: str
    next: str
    value: AnswerValue | tuple[AnswerValue, ...] = None


@dataclass(frozen=True)
class Node:
    """One step of a flow: a message, a question of some kind, or the end."""

    id: str
    kind: NodeKind
    text: LocalText
    next: str | None = None
    rules: tuple[Rule, ...] = ()
    options: tuple[Option, ...] = ()
    min: int = 1
    max: int = 5
    min_label: LocalText = field(default_factory=dict)
    max_label: LocalText = field(default_factory=dict)
    retries: int = 2
    skip_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    max_length: int = 1000

    @property
    def waits(self) -> bool:
        """Say whether this node waits for the resident's reply."""
        return self.kind in WAITING_KINDS


@dataclass(frozen=True)
class Flow:
    """A survey: its nodes keyed by id, the first node, and the languages it speaks."""

    id: str
    name: str
    version: str
    base_language: str
    languages: tuple[str, ...]
    start: str
    nodes: Mapping[str, Node]
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Locale:
    """Everything language-specific the engine needs that is not in a flow.

    `messages` holds system texts (re-prompts, help, opt-out confirmation...), `numbers` maps
    number words to values, and `keywords` maps a global keyword kind (stop, nosurvey, start,
    help, language) to the words that trigger it. `filler` lists the words that may surround a stop
    keyword in a short opt-out ("please"), `units` the words that may follow a score ("stars")
    and `out_of` the words between a score and its maximum ("out of"). `emergency` lists the words
    and phrases that make a reply look like an emergency ("help me", "ayuda", "救命"), and
    `defaults` this language's own wording of placeholders the agency leaves unset ({help}).
    `answer_filler` lists the words that may surround an answer besides the filler ("sir",
    "I'd say"), and `language_request` those around a language's name when asking for it
    ("I speak", "in").
    """

    code: str
    name: str
    messages: Mapping[str, str]
    names: frozenset[str] = frozenset()
    numbers: Mapping[str, int] = field(default_factory=dict)
    yes: frozenset[str] = frozenset()
    no: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    keywords: Mapping[str, frozenset[str]] = field(default_factory=dict)
    direction: str = "ltr"
    filler: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    out_of: frozenset[str] = frozenset()
    emergency: frozenset[str] = frozenset()
    defaults: Mapping[str, str] = field(default_factory=dict)
    answer_filler: frozenset[str] = frozenset()
    language_request: frozenset[str] = frozenset()
    # How a yes/no answer is labelled on a button: the first word of `yes:` and `no:`.
    yes_label: str = ""
    no_label: str = ""


@dataclass(frozen=True)
class ConversationState:
    """Where a conversation stands: the node it waits on, its language and status."""

    node_id: str | None
    language: str
    status: Status = Status.ACTIVE
    retries: int = 0


@dataclass(frozen=True)
class AnswerRecord:
    """An answer to store: `value` is None when the resident skipped or never parsed."""

    question_id: str
    raw: str | None
    value: AnswerValue
    language: str
    answered_at: datetime


@dataclass(frozen=True)
class PromptOption:
    """One answer a resident may pick: its stable value and its label in their language.

    `key` is what a resident types for it in a text, when that is not its place in the list
    (the language menu numbers every language the same way in every menu).
    """

    value: str | int | bool
    label: str
    key: str = ""


@dataclass(frozen=True)
class Prompt:
    """One message for the resident: a flow's message, or a question with its answers.

    `text` is the flow's text, or the apology of a re-prompt. `hint` says how to answer in
    words ("Reply YES or NO."), kept apart so a channel with buttons can leave it out; a
    choice's options carry its list. Messages have no `question_id`.

    A system menu (`menu` names it: "language") is a choice offered outside any flow, with no
    `question_id`: its `text` is what a channel with buttons shows above them, and its `hint`,
    if any, the instruction a text gives instead (before a choice's numbered list). An offer
    ("reply START") is a message menu: its text names the one word its one option stands for.
    """

    text: str
    kind: NodeKind
    question_id: str | None = None
    options: tuple[PromptOption, ...] = ()
    hint: str = ""
    menu: str = ""


@dataclass(frozen=True)
class LanguageChanged:
    """The conversation now speaks `new` instead of `old`."""

    old: str
    new: str


@dataclass(frozen=True)
class Reprompted:
    """A reply could not be read: the question is asked again (`retries` times so far)."""

    question_id: str
    retries: int


Event = LanguageChanged | Reprompted


@dataclass(frozen=True)
class StepResult:
    """The outcome of one turn: the new state, prompts to send, answers to store, events."""

    state: ConversationState
    prompts: tuple[Prompt, ...] = ()
    answers: tuple[AnswerRecord, ...] = ()
    events: tuple[Event, ...] = ()
