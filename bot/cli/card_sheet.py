"""A print-ready HTML sheet of survey cards: QR code, agency, code and a line in each language.

HTML with print CSS rather than a PDF library: the browser shapes every script (Arabic,
Chinese, Vietnamese…) right, and prints it on Letter or A4 through `@page`.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from bot.engine.locale import system_message
from bot.services.cards import CardMade, qr_svg
from bot.services.runtime import Runtime

# CSS page sizes by the name the command takes.
PAPER = {"letter": "letter", "a4": "A4"}


@dataclass(frozen=True)
class CardLine:
    """One language's line on a card, with what the browser needs to lay it out."""

    language: str
    direction: str
    text: str


def card_lines(rt: Runtime, languages: list[str]) -> list[CardLine]:
    """Return the line printed on every card, in each chosen language."""
    lines = []
    for code in languages:
        locale = rt.locales[code]
        text = system_message(rt.locales, code, "card_line", rt.context.values_for(code))
        lines.append(CardLine(code, locale.direction, text))
    return lines


def sheet_html(rt: Runtime, cards: list[CardMade], languages: list[str], paper: str) -> str:
    """Render the sheet of cards as one HTML page (one card per code)."""
    environment = Environment(
        loader=PackageLoader("bot.cli", "templates"), autoescape=select_autoescape(["html"])
    )
    template = environment.get_template("card_sheet.html")
    return template.render(
        agency=rt.values.get("agency", ""),
        cards=[(made, Markup(qr_svg(made.link))) for made in cards],  # noqa: S704  # segno's SVG
        lines=card_lines(rt, languages),
        page_size=PAPER[paper],
        language=languages[0],
    )
