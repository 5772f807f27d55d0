"""Retention: RETENTION_DAYS after a survey ends, erase who took it and what was texted.

For each ended conversation last changed more than RETENTION_DAYS ago (DB-first: the database
says what is due, so a lost worker or Redis loses nothing), in batches of one transaction:
its messages lose their bodies, buttons and provider ids; it moves, with its contact and
messages, to a new anonymous respondent of the same channel and language, so results keep
every figure while nothing leads from a number's hash to the survey any more; phone numbers
typed in its answers are replaced by a marker; and its resident's row remembers when they
were surveyed, rounded up to the next UTC midnight, so the frequency cap still counts it.

Then messages of no conversation are blanked, wrong card codes and cached translations
deleted, respondents nothing points at any more keep only their keyed hash (the opt-out and
do-not-survey lists work on it), and hash-only rows that no list or cap needs are deleted.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

import phonenumbers

from bot.ports import RetentionRepository
from bot.services.runtime import Runtime
from storage.models import Answer

if TYPE_CHECKING:
    from storage.repositories.retention import DueConversation

log = logging.getLogger(__name__)

BATCH = 500
REMOVED = "[number removed]"
# A run of digits, maybe with a leading + and separators, that may spell the resident's own
# address however they typed it: "+1 (555) 012-3456", "555.012.3456".
_DIGIT_RUN = re.compile(r"\+?\d[\d\s().\-]*\d")
# Shorter runs of the resident's own digits are too common to mean their address.
_MIN_OWN_DIGITS = 6


@dataclass
class RetentionReport:
    """How many rows a retention run changed: counts only, never a number or a text."""

    conversations: int = 0
    messages: int = 0
    answers: int = 0
    card_attempts: int = 0
    translations: int = 0
    hash_only: int = 0
    deleted: int = 0

    def counts(self) -> list[tuple[str, int]]:
        """Return (what, how many) for each count, in a stable order."""
        return [(field.name, getattr(self, field.name)) for field in fields(self)]

    def __str__(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in self.counts())


def run_retention(
    rt: Runtime,
    now: datetime,
    *,
    batch: int = BATCH,
    guard: AbstractContextManager[object] | None = None,
) -> RetentionReport:
    """Erase what fell due by `now`, one committed batch at a time; return the counts.

    Each transaction runs inside `guard` (the sweep's fork guard), taken and released per
    batch so that a long first run never holds it for long. Running it again changes nothing.
    """
    cutoff = now - timedelta(days=rt.retention_days)
    shield = guard if guard is not None else nullcontext()
    report = RetentionReport()
    report.conversations, report.answers, report.messages = _conversations(
        rt, cutoff, now, batch, shield
    )
    report.messages += _batches(rt, shield, batch, lambda r: r.scrub_loose_messages(cutoff, batch))
    with shield, rt.uow() as uow:
        report.card_attempts = uow.retention.delete_card_attempts(cutoff)
        report.translations = uow.retention.delete_translations(cutoff)
        uow.commit()
    report.hash_only = _batches(rt, shield, batch, lambda r: r.seal_off(cutoff, batch))
    surveyed_before = now - rt.policy.frequency_cap
    report.deleted = _batches(rt, shield, batch, lambda r: r.forget(surveyed_before, batch))
    log.info("retention (%d days): %s", rt.retention_days, report)
    return report


def _conversations(
    rt: Runtime,
    cutoff: datetime,
    now: datetime,
    batch: int,
    shield: AbstractContextManager[object],
) -> tuple[int, int, int]:
    """Redact the due conversations in batches; return (conversations, answers, messages)."""
    done = answers = messages = 0
    while True:
        with shield, rt.uow() as uow:
            due = uow.retention.due_conversations(cutoff, batch)
            if not due:
                break
            answers += _scrub_answers(uow.retention.answers([d.id for d in due]), due, rt)
            messages += uow.retention.redact(due, now)
            uow.retention.remember_surveys(_survey_days(due))
            uow.commit()
        done += len(due)
        if len(due) < batch:
            break
    return done, answers, messages


def _batches(
    rt: Runtime,
    shield: AbstractContextManager[object],
    batch: int,
    step: Callable[[RetentionRepository], int],
) -> int:
    """Run `step` in a transaction per batch until it does less than a full one; add up."""
    total = 0
    while True:
        with shield, rt.uow() as uow:
            changed = step(uow.retention)
            uow.commit()
        total += changed
        if changed < batch:
            return total


def _survey_days(due: Iterable[DueConversation]) -> dict[uuid.UUID, datetime]:
    """Return, per respondent, the latest survey time of theirs, rounded up to the day."""
    days: dict[uuid.UUID, datetime] = {}
    for conversation in due:
        if conversation.surveyed_at is None:
            continue
        day = round_up_to_day(conversation.surveyed_at)
        days[conversation.respondent_id] = max(day, days.get(conversation.respondent_id, day))
    return days


def round_up_to_day(moment: datetime) -> datetime:
    """Return the first UTC midnight at or after `moment`: the cap errs on not texting."""
    utc = moment.astimezone(UTC)
    midnight = datetime.combine(utc.date(), time(0), tzinfo=UTC)
    return midnight if midnight == utc else midnight + timedelta(days=1)


def _scrub_answers(answers: Sequence[Answer], due: Sequence[DueConversation], rt: Runtime) -> int:
    """Replace phone numbers in the answers' texts with a marker; return how many changed."""
    own = {d.id: own_digits(d.address, rt.default_region) for d in due}
    changed = 0
    for answer in answers:
        needles = own.get(answer.conversation_id, ())
        before = (answer.raw_text, answer.translation, answer.value)
        answer.raw_text = _scrubbed(answer.raw_text, rt.default_region, needles)
        answer.translation = _scrubbed(answer.translation, rt.default_region, needles)
        if isinstance(answer.value, str):
            # A free-text answer's value is its text; scores and choices are left as they are.
            answer.value = scrub_numbers(answer.value, rt.default_region, needles)
        changed += (answer.raw_text, answer.translation, answer.value) != before
    return changed


def _scrubbed(text: str | None, region: str, own: Sequence[str]) -> str | None:
    """Scrub a text that may be absent."""
    return None if text is None else scrub_numbers(text, region, own)


def own_digits(address: str | None, region: str) -> tuple[str, ...]:
    """Return the digits of a resident's address as they might type it (national form)."""
    if not address:
        return ()
    digits = _digits(address)
    if address.startswith("+"):
        try:
            number = phonenumbers.parse(address, region)
            digits = phonenumbers.national_significant_number(number)
        except phonenumbers.NumberParseException:
            pass
    return (digits,) if len(digits) >= _MIN_OWN_DIGITS else ()


def scrub_numbers(text: str, region: str, own: Sequence[str] = ()) -> str:
    """Replace every phone number in `text`, and any run holding `own` digits, by a marker.

    Numbers are found by phonenumbers' matcher at POSSIBLE leniency (length and country code,
    not the numbering plan: agencies test with 555 numbers, and a number is personal whether
    or not it is assigned), read in the agency's region.
    """
    spans = [
        (match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
    ]
    if own:
        for run in _DIGIT_RUN.finditer(text):
            if any(needle in _digits(run.group()) for needle in own):
                spans.append(run.span())
    for start, end in sorted(_merged(spans), reverse=True):
        text = text[:start] + REMOVED + text[end:]
    return text


def _digits(text: str) -> str:
    """Return the decimal digits of `text` in ASCII (full-width and other scripts too)."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping spans, so each stretch of text is replaced once."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
