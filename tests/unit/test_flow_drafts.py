"""flows draft-translation: a machine draft of a missing language, written for review."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.flows.check import DRAFT, check_flows
from bot.flows.draft import NOT_TRANSLATED, PLACEHOLDER_LOST, DraftError, draft_translation
from bot.flows.files import load_flows
from bot.flows.sources import read_flow_sources
from bot.ports import TranslationError
from tests.translation_samples import FLOW, VI, BracketTranslator, shipped_locales, write


@pytest.fixture()
def flows(tmp_path: Path) -> Path:
    """A flows directory holding the tiny flow only."""
    write(tmp_path / "flows", "tiny.yaml", FLOW)
    return tmp_path / "flows"


def test_a_drafted_translation_loads_as_a_draft(flows: Path, tmp_path: Path) -> None:
    translator = BracketTranslator()
    draft = draft_translation(flows, "tiny", "vi", translator)
    assert draft.path == flows / "tiny.vi.yaml" and draft.kept == []
    # Every text of the flow: hello, rate (3), why (1 + 2 labels), comment, bye.
    assert draft.texts == 9
    text = draft.path.read_text(encoding="utf-8")
    assert "machine: true" in text and "synonyms: []" in text and "skip_words: []" in text
    assert 'keywords: ["VI TINY"]' in text
    # Placeholders never reach the translator as words, and come back in place.
    assert not any("{" in sent for sent in translator.sent)
    assert '    text: "«vi {agency}: a short survey about your visit.' in text
    assert any(sent.startswith("[0]: a short survey") for sent in translator.sent)
    assert 'text: "«vi Thanks. Complaints: {complaints}»"' in text
    # Loaded, the draft is not offered; checked, it is a complete draft awaiting review.
    assert load_flows(flows)["tiny"].languages == ("en", "es")
    settings = Settings(flows_dir=flows, locales_dir=shipped_locales(tmp_path / "locales"))
    report = check_flows(settings)
    vi = report.flows[0].languages[2]
    assert (vi.language, vi.status, vi.missing, vi.mismatches) == ("vi", DRAFT, (), ())
    assert report.ok
    # Reviewed (machine: false), it is offered with the drafted texts.
    draft.path.write_text(text.replace("machine: true", "machine: false"), encoding="utf-8")
    flow = load_flows(flows)["tiny"]
    assert flow.languages == ("en", "es", "vi")
    assert flow.nodes["why"].options[1].label["vi"] == "«vi Other»"
    assert flow.keywords["vi"] == ("vi tiny",)


def test_a_text_whose_placeholder_was_lost_keeps_its_base_wording(flows: Path) -> None:
    draft = draft_translation(flows, "tiny", "ko", BracketTranslator(lose=True))
    assert draft.kept == ["hello.text", "bye.text"]
    lines = draft.path.read_text(encoding="utf-8").splitlines()
    bye = lines.index('    text: "Thanks. Complaints: {complaints}"')
    assert lines[bye - 1] == f"    # {PLACEHOLDER_LOST}"
    assert '    text: "«ko Why?»"' in lines, "texts without placeholders are translated"
    source = read_flow_sources(flows)["tiny"]
    (translation,) = source.translations
    assert translation.machine
    assert translation.data["nodes"]["bye"]["text"] == "Thanks. Complaints: {complaints}"


def test_a_draft_refuses_to_replace_a_file_unless_forced(flows: Path) -> None:
    path = write(flows, "tiny.ko.yaml", "# someone's work in progress\n")
    with pytest.raises(DraftError, match="exists; pass --force"):
        draft_translation(flows, "tiny", "ko", BracketTranslator())
    assert path.read_text(encoding="utf-8") == "# someone's work in progress\n"
    draft_translation(flows, "tiny", "ko", BracketTranslator(), force=True)
    assert "machine: true" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("flow_id", "language", "message"),
    [
        ("tiny", "es", "flow 'tiny' is already offered in 'es'"),
        ("tiny", "vi", "flow 'tiny' is already offered in 'vi'"),
        ("ghost", "vi", "there is no flow 'ghost'"),
        ("tiny", "Vietnamese", "'Vietnamese' is not a language code"),
    ],
)
def test_a_draft_of_an_offered_language_or_unknown_flow_is_refused(
    flows: Path, flow_id: str, language: str, message: str
) -> None:
    write(flows, "tiny.vi.yaml", VI)
    with pytest.raises(DraftError, match=message):
        draft_translation(flows, flow_id, language, BracketTranslator(), force=True)
    assert (flows / "tiny.vi.yaml").read_text(encoding="utf-8") == VI


def test_a_translator_failure_writes_nothing(flows: Path) -> None:
    class Failing(BracketTranslator):
        def translate(self, text: str, source: str | None, target: str) -> str:
            raise TranslationError("brackets: Timeout")

    with pytest.raises(TranslationError):
        draft_translation(flows, "tiny", "ko", Failing())
    assert not (flows / "tiny.ko.yaml").exists()


def test_a_draft_can_be_written_elsewhere(flows: Path, tmp_path: Path) -> None:
    out = tmp_path / "review" / "tiny.ko.yaml"
    out.parent.mkdir()
    draft = draft_translation(flows, "tiny", "ko", BracketTranslator(), out=out)
    assert draft.path == out and out.exists()
    assert not (flows / "tiny.ko.yaml").exists()


def test_an_empty_translation_keeps_the_base_wording(flows: Path) -> None:
    class Silent(BracketTranslator):
        def translate(self, text: str, source: str | None, target: str) -> str:
            return "" if text == "Why?" else super().translate(text, source, target)

    draft = draft_translation(flows, "tiny", "ko", Silent())
    assert draft.kept == ["why.text"]
    lines = draft.path.read_text(encoding="utf-8").splitlines()
    assert lines[lines.index('    text: "Why?"') - 1] == f"    # {NOT_TRANSLATED}"


def test_tokens_come_back_in_the_order_the_translator_put_them(flows: Path) -> None:
    class Reordering(BracketTranslator):
        def translate(self, text: str, source: str | None, target: str) -> str:
            # A language that names the complaints office first, with spaced brackets.
            return text.replace("Thanks. Complaints: [0]", "[ 0 ] : khiếu nại. Cảm ơn")

    draft_translation(flows, "tiny", "vi", Reordering())
    bye = read_flow_sources(flows)["tiny"].translations[0].data["nodes"]["bye"]["text"]
    assert bye == "{complaints} : khiếu nại. Cảm ơn"
