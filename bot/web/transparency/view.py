"""What the transparency page needs besides its figures: the visitor's language and formats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from werkzeug.datastructures import LanguageAccept

from bot.engine.model import Locale, LocalText
from bot.services.transparency import CountTable, Transparency

# Browser tags for Chinese in traditional characters; "zh" alone is simplified.
_TRADITIONAL = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")


@dataclass(frozen=True)
class Language:
    """A language the page is offered in: its code, its own name and its direction."""

    code: str
    name: str
    direction: str


def offered(codes: Sequence[str], locales: Mapping[str, Locale]) -> list[Language]:
    """Return the page's languages, each named in itself (from Parley's locales where known)."""
    found = []
    for code in codes:
        locale = locales.get(code)
        name = locale.name if locale else _babel(code).get_display_name() or code
        rtl = (
            locale.direction == "rtl" if locale else _babel(code).character_order == "right-to-left"
        )
        found.append(Language(code, name, "rtl" if rtl else "ltr"))
    return sorted(found, key=lambda lang: lang.code)


def accepted(accept: LanguageAccept, codes: Sequence[str], default: str) -> str:
    """Return the offered language the browser prefers most, else `default`."""
    wanted = [tag.lower() for tag, _ in accept]
    if any(tag.startswith(_TRADITIONAL) for tag in wanted[:1]) and "zh-Hant" in codes:
        return "zh-Hant"
    # Filipino is offered as Tagalog (tl); browsers may say either.
    match = accept.best_match([*codes, "fil"])
    if match == "fil":
        return "tl" if "tl" in codes else default
    return match or default


def _babel(code: str) -> BabelLocale:
    """Return babel's locale for a language code (English where babel has none)."""
    try:
        return BabelLocale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return BabelLocale.parse("en")


class Formats:
    """Numbers, months and a question's words in one language, for the template."""

    def __init__(self, code: str, base: str) -> None:
        self.code = code
        self._base = base
        self._locale = _babel(code)

    def count(self, n: int | None) -> str:
        """Format a count ('' for a hidden one)."""
        return "" if n is None else format_decimal(n, locale=self._locale)

    def mean(self, x: float | None) -> str:
        """Format a mean score to one decimal ('' for a hidden one)."""
        return "" if x is None else format_decimal(x, format="0.0", locale=self._locale)

    def month(self, label: str) -> str:
        """Name a 'YYYY-MM' month the way the language does ('Mar 2026', '2026年3月')."""
        return format_skeleton(
            "yMMM", date(int(label[:4]), int(label[5:7]), 1), locale=self._locale
        )

    def words(self, text: LocalText) -> str:
        """Return a flow text in this language, else in the flow's base language."""
        return text.get(self.code) or text.get(self._base) or next(iter(text.values()), "")


def chart_data(report: Transparency, fmt: Formats, labels: Mapping[str, str]) -> dict[str, Any]:
    """Return the charts' figures: agency-wide counts and mean scores per month (null: hidden)."""
    months = [fmt.month(m) for m in report.months]
    district = report.by_district
    scores = [
        {"label": fmt.words(q.text), "data": _month_totals(table, mean=True)}
        for q, table in report.scores
    ]
    return {
        "responses": {
            "labels": months,
            "series": [{"label": labels["responses_chart"], "data": _month_totals(district)}],
        },
        "scores": {"labels": months, "series": scores},
    }


def _month_totals(table: CountTable, mean: bool = False) -> list[float | int | None]:
    """Return a table's totals per month (its last row), hidden ones as None."""
    last = len(table.rows)
    if mean:
        return [table.mean(last, c) for c in range(len(table.months))]
    return [table.count(last, c) for c in range(len(table.months))]
