"""Translation files, flows/<flow>.<language>.yaml: merged into their flow, or refused."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.engine.text import normalise
from bot.flows.files import FlowFileError, flow_version, load_flow_file, load_flows
from bot.flows.sources import read_flow_sources
from bot.flows.translations import merge_translations
from tests.translation_samples import FLOW, VI, changed, line_of, write


@pytest.fixture()
def flows(tmp_path: Path) -> Path:
    """A flows directory holding the tiny flow only."""
    write(tmp_path / "flows", "tiny.yaml", FLOW)
    return tmp_path / "flows"


def test_a_translation_file_adds_its_language_to_the_flow(flows: Path) -> None:
    write(flows, "tiny.vi.yaml", VI)
    flow = load_flows(flows)["tiny"]
    assert flow.languages == ("en", "es", "vi")
    assert flow.nodes["rate"].text["vi"] == "Thế nào?"
    assert (flow.nodes["rate"].min_label["vi"], flow.nodes["rate"].max_label["vi"]) == ("tệ", "tốt")
    assert flow.nodes["bye"].text["vi"] == "Cảm ơn. Khiếu nại: {complaints}"
    slow, other = flow.nodes["why"].options
    assert (slow.label["vi"], other.label["vi"]) == ("Chậm", "Khác")
    # Words are merged per language, normalised like every other word list.
    assert slow.synonyms == {"en": ("late",), "vi": (normalise("trễ"), normalise("lâu quá"))}
    assert flow.nodes["comment"].skip_words == {"vi": (normalise("không có gì"),)}
    assert flow.keywords == {"en": ("tiny",), "es": ("peque",), "vi": ("khaosat",)}


def test_the_inline_languages_are_untouched_by_a_translation(flows: Path) -> None:
    before = load_flows(flows)["tiny"]
    write(flows, "tiny.vi.yaml", VI)
    after = load_flows(flows)["tiny"]
    for node_id, node in before.nodes.items():
        assert {lang: after.nodes[node_id].text[lang] for lang in node.text} == node.text


def test_the_version_covers_the_translation_files(flows: Path) -> None:
    alone = load_flows(flows)["tiny"].version
    assert alone == flow_version(FLOW.encode())
    write(flows, "tiny.vi.yaml", VI)
    translated = load_flows(flows)["tiny"].version
    assert translated == flow_version(FLOW.encode(), VI.encode())
    write(flows, "tiny.vi.yaml", changed('"Thế nào?"', '"Như thế nào?"'))
    assert load_flows(flows)["tiny"].version not in (alone, translated)


def test_loading_one_flow_file_brings_its_translations(flows: Path) -> None:
    write(flows, "tiny.vi.yaml", VI)
    write(flows, "other.ko.yaml", "not even read")
    assert load_flow_file(flows / "tiny.yaml").languages == ("en", "es", "vi")


def test_a_translation_file_cannot_be_loaded_as_a_flow(flows: Path) -> None:
    path = write(flows, "tiny.vi.yaml", VI)
    with pytest.raises(FlowFileError) as caught:
        load_flow_file(path)
    assert caught.value.reason == "this is a translation file: load the flow it translates"


def test_a_machine_draft_is_not_offered(flows: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Incomplete too: a draft awaiting review must not stop Parley from starting.
    draft = changed("machine: false", "machine: true", changed('    text: "Tại sao?"\n', ""))
    path = write(flows, "tiny.vi.yaml", draft)
    with caplog.at_level(logging.WARNING, logger="bot.flows.files"):
        flow = load_flows(flows)["tiny"]
    assert flow.languages == ("en", "es")
    assert "vi" not in flow.keywords
    assert all("vi" not in node.text for node in flow.nodes.values())
    assert flow.version == flow_version(FLOW.encode())
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert str(path) in warnings[0] and "awaiting review" in warnings[0]


# (case, text of tiny.vi.yaml, fragment on the line to report, reason)
BAD_TRANSLATIONS = [
    (
        "unknown node",
        changed("  rate:", "  respct:"),
        "respct:",
        "node 'respct' is not in flow tiny",
    ),
    (
        "missing node text",
        changed('    text: "Tại sao?"\n', ""),
        "  why:",
        "text of node 'why' is not translated",
    ),
    (
        "missing node",
        changed('  comment:\n    text: "Còn gì nữa không?"\n    skip_words: [không có gì]\n', ""),
        "nodes:",
        "node 'comment' is not translated",
    ),
    (
        "missing scale label",
        changed('    max_label: "tốt"\n', ""),
        "  rate:",
        "max_label of node 'rate' is not translated",
    ),
    (
        "missing option label",
        changed('other: {label: "Khác"}', "other: {synonyms: [khac]}"),
        "other: {synonyms",
        "label of option 'other' of node 'why' is not translated",
    ),
    (
        "placeholder changed",
        changed("Khiếu nại: {complaints}", "Khiếu nại: {agency}"),
        "Khiếu nại: {agency}",
        "text of node 'bye' uses {agency} but en uses {complaints}",
    ),
    (
        "placeholder dropped",
        changed('"{agency}: khảo sát', '"Xin chào: khảo sát'),
        "Xin chào: khảo sát",
        "text of node 'hello' uses no placeholders but en uses {agency}",
    ),
    (
        "unknown field",
        changed('    min_label: "tệ"', '    min_lable: "tệ"'),
        "min_lable",
        "unknown field 'min_lable' for a node translation",
    ),
    (
        "field the node does not have",
        changed('    text: "Tại sao?"\n', '    text: "Tại sao?"\n    min_label: "kém"\n'),
        'min_label: "kém"',
        "node 'why' has no min_label to translate",
    ),
    (
        "skip words on a scale",
        changed('    max_label: "tốt"\n', '    max_label: "tốt"\n    skip_words: [bỏ qua]\n'),
        "skip_words: [bỏ qua]",
        "only text questions take skip_words, and node 'rate' is a scale node",
    ),
    (
        "unknown option",
        changed("      slow: {label", "      slw: {label"),
        "slw: {label",
        "option 'slw' is not in node 'why'",
    ),
    (
        "empty text",
        changed('"Thế nào?"', '""'),
        'text: ""',
        "'text' must not be empty",
    ),
    (
        "machine is not a flag",
        changed("machine: false", "machine: maybe"),
        "machine: maybe",
        "'machine' must be true or false",
    ),
    (
        "language differs from the file name",
        changed("language: vi", "language: ko"),
        "language: ko",
        "language 'ko' does not match the file name 'tiny.vi.yaml'",
    ),
    (
        "flow differs from the file name",
        changed("flow: tiny", "flow: tinny"),
        "flow: tinny",
        "flow 'tinny' does not match the file name 'tiny.vi.yaml'",
    ),
    (
        "bad YAML",
        changed('    text: "Thế nào?"', '    text: "Thế nào?'),
        '    min_label: "tệ"',
        "YAML syntax error: expected <block end>, but found '<scalar>'"
        " (while parsing a block mapping on line 10)",
    ),
    (
        "duplicate key",
        changed('    text: "Tại sao?"\n', '    text: "Tại sao?"\n    text: "Vì sao?"\n'),
        'text: "Vì sao?"',
        "duplicate key 'text'",
    ),
]


@pytest.mark.parametrize(
    ("text", "fragment", "reason"),
    [case[1:] for case in BAD_TRANSLATIONS],
    ids=[case[0] for case in BAD_TRANSLATIONS],
)
def test_a_bad_translation_names_its_file_line_and_reason(
    flows: Path, text: str, fragment: str, reason: str
) -> None:
    path = write(flows, "tiny.vi.yaml", text)
    with pytest.raises(FlowFileError) as caught:
        load_flows(flows)
    error = caught.value
    line = line_of(text, fragment)
    assert (error.path, error.line, error.reason) == (path, line, reason)
    assert str(error) == f"{path}:{line}: {reason}"


def test_the_error_names_the_translation_file_relative_to_the_working_directory(
    flows: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(flows, "tiny.vi.yaml", changed("  rate:", "  respct:"))
    monkeypatch.chdir(flows.parent)
    with pytest.raises(FlowFileError) as caught:
        load_flows(Path("flows"))
    line = line_of(VI, "  rate:")
    assert str(caught.value) == f"flows/tiny.vi.yaml:{line}: node 'respct' is not in flow tiny"


def test_a_language_given_inline_cannot_also_have_a_file(flows: Path) -> None:
    text = changed("language: vi", "language: es")
    path = write(flows, "tiny.es.yaml", text)
    with pytest.raises(FlowFileError) as caught:
        load_flows(flows)
    assert (caught.value.path, caught.value.line) == (path, line_of(text, "language: es"))
    assert caught.value.reason == "language 'es' is already given inline in tiny.yaml"


def test_one_language_cannot_have_two_files(flows: Path) -> None:
    write(flows, "tiny.vi.yaml", VI)
    second = write(flows, "tiny.vi.yml", VI)
    with pytest.raises(FlowFileError) as caught:
        load_flows(flows)
    assert (caught.value.path, caught.value.line) == (second, line_of(VI, "language: vi"))
    assert caught.value.reason == "language 'vi' is already translated in tiny.vi.yaml"


def test_a_translation_of_no_flow_is_refused(flows: Path) -> None:
    text = VI.replace("flow: tiny", "flow: ghost")
    path = write(flows, "ghost.vi.yaml", text)
    with pytest.raises(FlowFileError) as caught:
        load_flows(flows)
    assert (caught.value.path, caught.value.line) == (path, line_of(text, "flow: ghost"))
    assert caught.value.reason == "there is no flow 'ghost' to translate"


def test_a_translated_keyword_another_flow_uses_points_at_the_translation(flows: Path) -> None:
    other = FLOW.replace("id: tiny", "id: other").replace("[TINY]", "[KHAOSAT]")
    write(flows, "other.yaml", other.replace("es: [PEQUE]", "es: [OTRO]"))
    path = write(flows, "tiny.vi.yaml", VI)
    with pytest.raises(FlowFileError) as caught:
        load_flows(flows)
    assert (caught.value.path, caught.value.line) == (path, line_of(VI, "keywords:"))
    assert caught.value.reason.startswith("keyword 'KHAOSAT' already starts flow 'other'")


def test_a_problem_in_the_flow_itself_is_blamed_on_the_flow_file(flows: Path) -> None:
    broken = FLOW.replace("    next: comment", "    next: q9")
    write(flows, "tiny.yaml", broken)
    write(flows, "tiny.vi.yaml", changed("  rate:", "  respct:").replace("  why:", "  whyy:"))
    # The unknown nodes in the translation are reported first: they are found on reading.
    with pytest.raises(FlowFileError) as caught:
        load_flows(flows)
    assert caught.value.path.name == "tiny.vi.yaml"
    write(flows, "tiny.vi.yaml", VI)
    with pytest.raises(FlowFileError) as caught:
        load_flows(flows)
    assert (caught.value.path.name, caught.value.line) == ("tiny.yaml", line_of(broken, "q9"))
    assert caught.value.reason == "next 'q9' names no node"


def test_merged_values_remember_the_file_they_came_from(flows: Path) -> None:
    write(flows, "tiny.vi.yaml", VI)
    source = read_flow_sources(flows)["tiny"]
    (translation,) = source.translations
    merged, origins = merge_translations(source.data, [translation.data])
    why = next(i for i, node in enumerate(merged["nodes"]) if node["id"] == "why")
    synonyms = ("nodes", why, "options", 0, "synonyms", "vi")
    assert merged["nodes"][why]["options"][0]["synonyms"]["vi"] == ["trễ", "lâu quá"]
    assert origins[synonyms] == (0, ("nodes", "why", "options", "slow", "synonyms"))
    assert origins[("languages", 2)] == (0, ("language",))
    assert ("nodes", why, "text", "en") not in origins
    assert "vi" not in source.data["nodes"][why]["text"], "the flow's own mapping is untouched"
