"""flows check: each flow language's status and gaps, and what its messages cost by SMS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.engine.text import render
from bot.flows.check import (
    DRAFT,
    GSM7,
    INCOMPLETE,
    OK,
    UCS2,
    CheckReport,
    LanguageReport,
    check_flows,
    message_cost,
)
from bot.flows.report import format_report
from bot.i18n.sms import segments
from tests.translation_samples import FLOW, VI, changed, line_of, shipped_locales, write

VALUES = Settings().placeholder_values


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a flows directory with the tiny flow and shipped en, es, vi locales."""
    write(tmp_path / "flows", "tiny.yaml", FLOW)
    locales = shipped_locales(tmp_path / "locales")
    return Settings(flows_dir=tmp_path / "flows", locales_dir=locales)


def language(report: CheckReport, code: str) -> LanguageReport:
    """Return the report on one language of the tiny flow."""
    (flow,) = report.flows
    return next(r for r in flow.languages if r.language == code)


def test_a_complete_translation_is_ok(settings: Settings) -> None:
    write(settings.flows_dir, "tiny.vi.yaml", VI)
    report = check_flows(settings)
    assert report.ok and not report.errors and not report.failing
    (flow,) = report.flows
    rows = [(r.language, r.source, r.status) for r in flow.languages]
    assert rows == [("en", "inline", OK), ("es", "inline", OK), ("vi", "tiny.vi.yaml", OK)]
    assert all(not r.missing and not r.mismatches for r in flow.languages)


def test_an_incomplete_translation_fails_and_names_what_is_missing(settings: Settings) -> None:
    text = changed('    max_label: "tốt"\n', "", changed('    text: "Tại sao?"\n', ""))
    write(settings.flows_dir, "tiny.vi.yaml", text)
    report = check_flows(settings)
    assert not report.ok
    assert report.failing == (("tiny", "vi"),)
    vi = language(report, "vi")
    assert (vi.status, vi.missing, vi.mismatches) == (INCOMPLETE, ("rate", "why"), ())
    # The error Parley would stop with, as file:line.
    (error,) = report.errors
    line = line_of(text, "  rate:")
    assert error.endswith(f"tiny.vi.yaml:{line}: max_label of node 'rate' is not translated")
    # Messages with missing texts would go out in English: they are not measured.
    assert [m.name for m in vi.costs.messages] == ["hello", "comment", "bye"]


def test_a_placeholder_mismatch_fails(settings: Settings) -> None:
    write(settings.flows_dir, "tiny.vi.yaml", changed("{complaints}", "{help}"))
    report = check_flows(settings)
    vi = language(report, "vi")
    assert vi.status == INCOMPLETE and not vi.missing
    assert vi.mismatches == ("text of node 'bye' uses {help} but en uses {complaints}",)
    assert report.failing == (("tiny", "vi"),) and not report.ok


def test_a_draft_is_reported_but_does_not_fail(settings: Settings) -> None:
    draft = changed("machine: false", "machine: true", changed('    text: "Tại sao?"\n', ""))
    write(settings.flows_dir, "tiny.vi.yaml", draft)
    report = check_flows(settings)
    assert report.ok and not report.errors
    vi = language(report, "vi")
    assert (vi.status, vi.missing) == (DRAFT, ("why",))
    assert any("not offered" in note for note in vi.notes)
    assert vi.costs.messages, "a draft's messages are measured for its reviewer"
    assert "drafts awaiting review (not offered): tiny vi (tiny.vi.yaml)" in format_report(report)


def test_a_language_without_a_locale_is_incomplete(settings: Settings, tmp_path: Path) -> None:
    write(settings.flows_dir, "tiny.vi.yaml", VI)
    report = check_flows(
        settings.with_overrides(locales_dir=shipped_locales(tmp_path / "two", ("en", "es")))
    )
    vi = language(report, "vi")
    assert vi.status == INCOMPLETE and vi.notes == ("no locale file vi.yaml",)
    assert not report.ok


def test_vietnamese_travels_as_ucs2_and_costs_more_than_its_english_twin(
    settings: Settings,
) -> None:
    write(settings.flows_dir, "tiny.vi.yaml", VI)
    report = check_flows(settings)
    en = {m.name: m for m in language(report, "en").costs.messages}
    vi = {m.name: m for m in language(report, "vi").costs.messages}
    assert (en["hello"].encoding, vi["hello"].encoding) == (GSM7, UCS2)
    assert (en["hello"].segments, vi["hello"].segments) == (1, 2)
    # Measured on the text as sent: placeholders filled in.
    assert vi["hello"].text.startswith(VALUES["agency"] + ":")
    assert vi["hello"].segments == segments(vi["hello"].text)
    assert language(report, "vi").costs.total_segments > language(report, "en").costs.total_segments
    assert language(report, "vi").costs.encoding == UCS2


def test_questions_are_measured_with_the_hint_the_engine_appends(settings: Settings) -> None:
    report = check_flows(settings)
    en = {m.name: m.text for m in language(report, "en").costs.messages}
    assert en["why"] == "Why?\n1 Slow\n2 Other"
    assert en["rate"].startswith("How was it?\n") and "(bad)" in en["rate"]
    assert en["bye"] == render("Thanks. Complaints: {complaints}", VALUES)
    assert list(en) == ["hello", "rate", "why", "comment", "bye"]


def test_message_cost_counts_gsm7_and_ucs2_segments() -> None:
    assert message_cost("a", "x" * 160) == message_cost("a", "x" * 160)
    assert (message_cost("a", "x" * 160).encoding, message_cost("a", "x" * 160).segments) == (
        GSM7,
        1,
    )
    assert message_cost("a", "x" * 161).segments == 2
    assert (message_cost("a", "ệ" * 70).encoding, message_cost("a", "ệ" * 70).segments) == (UCS2, 1)
    assert message_cost("a", "ệ" * 71).segments == 2


def test_locale_messages_are_measured(settings: Settings) -> None:
    report = check_flows(settings)
    locales = {locale.code: locale for locale in report.locales}
    assert sorted(locales) == ["en", "es", "vi"]
    messages = {m.name: m for m in locales["en"].costs.messages}
    assert "help" in messages and not any(name.startswith("hint_") for name in messages)
    assert VALUES["agency"] in messages["help"].text
    assert "TINY" in messages["unknown"].text  # the keyword the services suggest
    assert all(m.encoding == UCS2 for m in locales["vi"].costs.messages if not m.text.isascii())


def test_a_broken_flow_file_is_an_error_with_its_line(settings: Settings) -> None:
    broken = FLOW.replace("next: why", "next: q9")
    write(settings.flows_dir, "tiny.yaml", broken)
    report = check_flows(settings)
    assert not report.ok and not report.flows
    (error,) = report.errors
    assert error.endswith(f"tiny.yaml:{line_of(broken, 'q9')}: next 'q9' names no node")
    assert f"error: {error}" in format_report(report)


def test_the_text_report_shows_statuses_and_segments(settings: Settings) -> None:
    write(settings.flows_dir, "tiny.vi.yaml", VI)
    text = format_report(check_flows(settings))
    lines = text.splitlines()
    vi_row = next(line for line in lines if line.split()[:3] == ["vi", "ok", "tiny.vi.yaml"])
    vi_report = language(check_flows(settings), "vi")
    assert vi_report.first_text is not None
    assert vi_row.split()[3:] == [
        "UCS-2",
        "2",
        str(vi_report.costs.total_segments),
        f"U{vi_report.first_text.segments}",
    ]
    hello = next(line for line in lines if line.split()[:1] == ["hello"])
    assert hello.split() == ["hello", "G1", "G1", "U2"]
    assert lines[-1] == "OK: 1 flow(s), 3 offered language(s)"


def test_the_json_report_holds_the_same_figures(settings: Settings) -> None:
    write(settings.flows_dir, "tiny.vi.yaml", changed("machine: false", "machine: true"))
    report = check_flows(settings)
    data = json.loads(json.dumps(report.as_json()))
    assert data["ok"] is True and data["errors"] == []
    (flow,) = data["flows"]
    vi = flow["languages"][2]
    assert (vi["language"], vi["status"], vi["source"]) == ("vi", "draft", "tiny.vi.yaml")
    hello = vi["messages"][0]
    assert (hello["name"], hello["encoding"], hello["segments"]) == ("hello", "UCS-2", 2)
    assert vi["total_segments"] == sum(m["segments"] for m in vi["messages"])
    assert {locale["code"] for locale in data["locales"]} == {"en", "es", "vi"}


def test_the_first_text_is_the_opening_and_the_first_question_sent_as_one(
    settings: Settings,
) -> None:
    write(settings.flows_dir, "tiny.vi.yaml", VI)
    report = check_flows(settings)
    for code in ("en", "vi"):
        costs = {m.name: m for m in language(report, code).costs.messages}
        first = language(report, code).first_text
        assert first is not None
        assert first.text == costs["hello"].text + "\n\n" + costs["rate"].text
        assert first.segments == segments(first.text) > costs["hello"].segments
    data = json.loads(json.dumps(report.as_json()))
    vi = data["flows"][0]["languages"][2]
    assert vi["first_text"]["encoding"] == "UCS-2"
    assert vi["first_text"]["segments"] == language(report, "vi").first_text.segments
