"""Tests for bot.engine.parsing: every accepted answer form, in English and Spanish."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine.model import AnswerValue, Node, NodeKind, Option
from bot.engine.parsing import PARSERS, Parsed, parse_answer
from tests.unit.engine_fixtures import locales, make_flow

FLOW = make_flow()
EN, _ES = locales().values()
# Spanish units and "out of" words come from the locale (locales/es.yaml); the test locale gets
# a few of its words. English ones are built in.
ES = replace(_ES, units=frozenset({"estrella", "estrellas"}), out_of=frozenset({"de", "sobre"}))
LOCALES = (EN, ES)
SCALE = FLOW.nodes["respect"]  # 1..5
CHOICE = FLOW.nodes["reason"]  # traffic, noise, crime, other
YES_NO = FLOW.nodes["again"]
NPS = FLOW.nodes["recommend"]  # 0..10
TEXT = FLOW.nodes["why_low"]  # max_length 40, skip words nothing / nada
COMMENT = FLOW.nodes["comment"]


def ok(value: AnswerValue) -> Parsed:
    """Expect an accepted answer with this value."""
    return Parsed(ok=True, value=value)


NOT_OK = Parsed(ok=False)
SKIPPED = Parsed(ok=True, value=None)


def test_every_waiting_kind_has_a_parser() -> None:
    waiting = {kind for kind in NodeKind if Node(id="x", kind=kind, text={}).waits}
    assert set(PARSERS) == waiting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # digits, emoji digits and other digit forms
        ("4", ok(4)),
        (" 4 ", ok(4)),
        ("4.", ok(4)),
        ("4!!", ok(4)),
        ("#4", ok(4)),
        ("4️⃣", ok(4)),
        ("４", ok(4)),
        ("٤", ok(4)),
        # number words in both languages, forgiving case and accents
        ("four", ok(4)),
        ("FOUR", ok(4)),
        ("cuatro", ok(4)),
        ("Cuatro.", ok(4)),
        ("una", ok(1)),
        # out of the top of the scale
        ("4/5", ok(4)),
        ("4 / 5", ok(4)),
        ("4 out of 5", ok(4)),
        ("four out of five", ok(4)),
        ("4 de 5", ok(4)),
        ("cuatro de cinco", ok(4)),
        ("4 sobre 5", ok(4)),
        # stars
        ("5 stars", ok(5)),
        ("1 star", ok(1)),
        ("5 estrellas", ok(5)),
        ("cinco estrellas", ok(5)),
        ("4/5 stars", ok(4)),
        ("4 ⭐", ok(4)),
        ("⭐⭐⭐⭐", ok(4)),
        ("⭐ ⭐ ⭐", ok(3)),
        ("★★", ok(2)),
        ("⭐️⭐️", ok(2)),
        # refused: out of range, wrong denominator, not a number, mixed
        ("0", NOT_OK),
        ("6", NOT_OK),
        ("seis", NOT_OK),
        ("⭐⭐⭐⭐⭐⭐", NOT_OK),
        ("3/10", NOT_OK),
        ("4 out of 10", NOT_OK),
        ("4 apples", NOT_OK),
        ("4 5", NOT_OK),
        ("- 3", ok(3)),  # a leading dash is punctuation, not a minus sign
        ("99999999999", NOT_OK),
        ("great", NOT_OK),
        ("", NOT_OK),
        ("👍", NOT_OK),
        ("⭐⭐ good", NOT_OK),
        # skip words of either locale
        ("skip", SKIPPED),
        ("SKIP!", SKIPPED),
        ("omitir", SKIPPED),
        ("Saltar", SKIPPED),
    ],
)
def test_scale(text: str, expected: Parsed) -> None:
    assert parse_answer(SCALE, text, LOCALES) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", ok(0)),
        ("10", ok(10)),
        ("🔟", ok(10)),
        ("diez", ok(10)),
        ("ten", ok(10)),
        ("cero", ok(0)),
        ("9/10", ok(9)),
        ("9 de 10", ok(9)),
        ("11", NOT_OK),
        ("9/5", NOT_OK),
        ("nine out of five", NOT_OK),
    ],
)
def test_nps(text: str, expected: Parsed) -> None:
    assert parse_answer(NPS, text, LOCALES) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # by number, in any digit form or word
        ("1", ok("traffic")),
        ("2️⃣", ok("noise")),
        ("three", ok("crime")),
        ("tres", ok("crime")),
        ("4.", ok("other")),
        ("0", NOT_OK),
        ("5", NOT_OK),
        # by label, in either language, forgiving case, accents and punctuation
        ("Traffic", ok("traffic")),
        ("traffic!", ok("traffic")),
        ("Tráfico", ok("traffic")),
        ("TRAFICO", ok("traffic")),
        ("queja por ruido", ok("noise")),
        ("Otro", ok("other")),
        ("other.", ok("other")),
        # by synonym in either language
        ("car", ok("traffic")),
        ("Driving", ok("traffic")),
        ("coche", ok("traffic")),
        ("carro", ok("traffic")),
        # by a unique prefix of a label
        ("traf", ok("traffic")),
        ("noise", ok("noise")),
        ("report", ok("crime")),
        ("denunciar", ok("crime")),
        # a line copied from the prompt, number and label agreeing
        ("2 Noise complaint", ok("noise")),
        ("2. queja por ruido", ok("noise")),
        ("1) car", ok("traffic")),
        ("2 Traffic", NOT_OK),
        ("9 Other", NOT_OK),
        # an option's value itself
        ("crime", ok("crime")),
        # refused: too short a prefix, not a label
        ("t", NOT_OK),
        ("no", NOT_OK),
        ("banana", NOT_OK),
        ("", NOT_OK),
        ("omitir", SKIPPED),
    ],
)
def test_choice(text: str, expected: Parsed) -> None:
    assert parse_answer(CHOICE, text, LOCALES) == expected


def test_choice_refuses_an_ambiguous_prefix() -> None:
    twins = (
        Option(value="car_crash", label={"en": "Car crash", "es": "Choque"}),
        Option(value="car_theft", label={"en": "Car theft", "es": "Robo de coche"}),
    )
    ambiguous = replace(CHOICE, options=twins)
    assert parse_answer(ambiguous, "car", LOCALES) == NOT_OK
    assert parse_answer(ambiguous, "car t", LOCALES) == ok("car_theft")
    assert parse_answer(ambiguous, "choque", LOCALES) == ok("car_crash")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", ok(True)),
        ("YES!", ok(True)),
        ("y", ok(True)),
        ("Yeah", ok(True)),
        ("sí", ok(True)),
        ("Si", ok(True)),
        ("SÍ.", ok(True)),
        ("claro", ok(True)),
        ("1", ok(True)),
        ("1️⃣", ok(True)),
        ("👍", ok(True)),
        ("no", ok(False)),
        ("NO!!", ok(False)),
        ("n", ok(False)),
        ("nope", ok(False)),
        ("nop", ok(False)),
        ("2", ok(False)),
        ("👎", ok(False)),
        ("3", NOT_OK),
        ("maybe", NOT_OK),
        ("yes no", NOT_OK),
        ("👍👎", NOT_OK),
        ("", NOT_OK),
        ("skip", SKIPPED),
        ("omitir", SKIPPED),
    ],
)
def test_yes_no(text: str, expected: Parsed) -> None:
    assert parse_answer(YES_NO, text, LOCALES) == expected


def test_choice_label_starting_with_a_number() -> None:
    hours = (
        Option(value="day", label={"en": "24 hours", "es": "24 horas"}),
        Option(value="week", label={"en": "A week", "es": "Una semana"}),
    )
    node = replace(CHOICE, options=hours)
    assert parse_answer(node, "24 horas", LOCALES) == ok("day")
    assert parse_answer(node, "2 a week", LOCALES) == ok("week")
    assert parse_answer(node, "24", LOCALES) == NOT_OK


def test_yes_no_refuses_a_word_that_is_yes_and_no() -> None:
    confused = replace(ES, yes=ES.yes | {"no"})
    assert parse_answer(YES_NO, "no", (EN, confused)) == NOT_OK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The officer was rude", ok("The officer was rude")),
        ("  padded  \n", ok("padded")),
        ("Él fue muy amable", ok("Él fue muy amable")),
        ("👍", ok("👍")),
        ("x" * 100, ok("x" * 40)),  # cut to max_length
        ("nothing", SKIPPED),  # the node's own skip words
        ("Nada", SKIPPED),
        ("skip", SKIPPED),
        ("OMITIR", SKIPPED),
        ("", NOT_OK),
        ("   ", NOT_OK),
    ],
)
def test_text(text: str, expected: Parsed) -> None:
    assert parse_answer(TEXT, text, LOCALES) == expected


def test_node_skip_words_only_apply_to_their_node() -> None:
    assert parse_answer(COMMENT, "nada", LOCALES) == ok("nada")


@pytest.mark.parametrize("code", ["en", "es"])
def test_only_the_given_locales_words_are_understood(code: str) -> None:
    only = tuple(locale for locale in LOCALES if locale.code == code)
    word, other = ("four", "cuatro") if code == "en" else ("cuatro", "four")
    assert parse_answer(SCALE, word, only) == ok(4)
    assert parse_answer(SCALE, other, only) == NOT_OK


@pytest.mark.parametrize("text", ["4 estrellas", "4 de 5", "4 sobre 5"])
def test_units_and_out_of_words_come_from_the_locales(text: str) -> None:
    assert parse_answer(SCALE, text, (EN,)) == NOT_OK
    assert parse_answer(SCALE, text, (EN, ES)) == ok(4)


@pytest.mark.parametrize("text", ["4 stars", "4 points", "4 out of 5", "4 of 5", "4/5", "4stars"])
def test_english_units_need_no_locale(text: str) -> None:
    assert parse_answer(SCALE, text, ()) == ok(4)


@pytest.mark.parametrize("kind", [NodeKind.MESSAGE, NodeKind.END])
def test_nodes_that_do_not_wait_take_no_answer(kind: NodeKind) -> None:
    assert parse_answer(Node(id="x", kind=kind, text={}), "yes", LOCALES) == NOT_OK


@pytest.mark.parametrize(
    ("text", "expected"),
    [("sí, me escuchó", True), ("No, not really", False), ("Yes! He was great", True)],
)
def test_a_yes_or_no_may_be_followed_by_an_explanation(text: str, expected: bool) -> None:
    node = Node(id="q", kind=NodeKind.YES_NO, text={"en": "?"})
    assert parse_answer(node, text, [EN, ES]) == Parsed(ok=True, value=expected)


def test_no_without_a_clause_break_is_not_read_as_no() -> None:
    node = Node(id="q", kind=NodeKind.YES_NO, text={"en": "?"})
    assert not parse_answer(node, "no sé", [EN, ES]).ok
