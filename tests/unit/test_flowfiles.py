"""Flow files: every shipped flow loads; each kind of mistake is reported as file:line: reason."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.engine.model import NodeKind
from bot.flows.files import FlowFileError, load_flow_file, load_flows

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"

TINY = """\
id: tiny
name: Tiny
base_language: en
languages: [en, es]
keywords: {en: [TINY]}
nodes:
  - id: q1
    type: yes_no
    text: {en: "Yes?", es: "¿Sí?"}
    next: bye
  - id: bye
    type: end
    text: {en: "Bye", es: "Adiós"}
"""


def line_of(text: str, fragment: str) -> int:
    """Return the 1-based line of the only line of `text` containing `fragment`."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, f"{fragment!r} is on lines {lines}"
    return lines[0]


def changed(old: str, new: str, base: str = TINY) -> str:
    """Return the tiny flow with one fragment replaced (which must be there)."""
    assert old in base
    return base.replace(old, new)


def write(directory: Path, name: str, text: str) -> Path:
    """Write a flow file and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def failure(path: Path) -> FlowFileError:
    """Load a flow file that must fail, and return the error."""
    with pytest.raises(FlowFileError) as caught:
        load_flow_file(path)
    return caught.value


def test_every_shipped_flow_loads() -> None:
    flows = load_flows(FLOWS)
    assert "post_contact" in flows
    for flow in flows.values():
        assert flow.start in flow.nodes
        assert any(node.kind is NodeKind.END for node in flow.nodes.values())


def test_a_valid_flow_loads_with_its_defaults(tmp_path: Path) -> None:
    flow = load_flow_file(write(tmp_path, "tiny.yaml", TINY))
    assert flow.id == "tiny"
    assert flow.start == "q1"
    assert flow.languages == ("en", "es")
    assert flow.nodes["q1"].kind is NodeKind.YES_NO
    assert flow.nodes["q1"].next == "bye"


# (case, text of the file, fragment on the line to report, reason)
BAD_FLOWS = [
    (
        "yaml syntax",
        changed("    type: yes_no", "     type: yes_no"),
        "     type: yes_no",
        "YAML syntax error: mapping values are not allowed here",
    ),
    (
        "duplicate key",
        changed("    next: bye\n", "    next: bye\n    text: {en: a, es: b}\n"),
        "text: {en: a, es: b}",
        "duplicate key 'text'",
    ),
    (
        "unknown field",
        changed("    next: bye", "    nxt: bye"),
        "nxt: bye",
        "unknown field 'nxt'",
    ),
    (
        "field of another node type",
        changed("    next: bye\n", "    next: bye\n    max_length: 20\n"),
        "max_length: 20",
        "unknown field 'max_length' for a yes_no node",
    ),
    (
        "wrong node type",
        changed("type: yes_no", "type: question"),
        "type: question",
        "'type' must be one of message, choice, scale, yes_no, nps, text, end, not 'question'",
    ),
    (
        "missing required field",
        changed('    text: {en: "Yes?", es: "¿Sí?"}\n', ""),
        "- id: q1",
        "missing required field 'text'",
    ),
    (
        "bad language code",
        changed('{en: "Yes?", es', '{EN: "Yes?", es'),
        '{EN: "Yes?"',
        "'EN' must be a language code like en, es or pt-BR",
    ),
    (
        "retries out of range",
        changed("    next: bye\n", "    next: bye\n    retries: 9\n"),
        "retries: 9",
        "'retries' must be at most 5",
    ),
    (
        "missing text language",
        changed('{en: "Yes?", es: "¿Sí?"}', '{en: "Yes?"}'),
        'text: {en: "Yes?"}',
        "text has no 'es'",
    ),
    (
        "next names no node",
        changed("next: bye", "next: q9"),
        "next: q9",
        "next 'q9' names no node",
    ),
    (
        "rule goes nowhere",
        changed(
            "    next: bye",
            "    next:\n      - when: {eq: true}\n        goto: q9\n      - goto: bye",
        ),
        "goto: q9",
        "goto 'q9' names no node",
    ),
    (
        "two operators in one rule",
        changed(
            "    next: bye", "    next:\n      - when: {eq: true, ne: false}\n        goto: bye"
        ),
        "when: {eq: true",
        "'when' must hold only one of eq, ne, lt, lte, gt, gte, in, answered, no_answer",
    ),
    (
        "empty file",
        "",
        None,
        "the file must be a mapping",
    ),
]


@pytest.mark.parametrize(
    ("text", "fragment", "reason"),
    [case[1:] for case in BAD_FLOWS],
    ids=[case[0] for case in BAD_FLOWS],
)
def test_a_bad_flow_names_its_file_line_and_reason(
    tmp_path: Path, text: str, fragment: str | None, reason: str
) -> None:
    path = write(tmp_path, "bad.yaml", text)
    error = failure(path)
    line = line_of(text, fragment) if fragment is not None else 1
    assert (error.path, error.line, error.reason) == (path, line, reason)
    assert str(error) == f"{path}:{line}: {reason}"


def test_the_path_is_shown_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = TINY.replace("next: bye", "next: q9")
    write(tmp_path / "flows", "post_contact.yaml", text)
    monkeypatch.chdir(tmp_path)
    error = failure(Path("flows/post_contact.yaml"))
    assert str(error) == "flows/post_contact.yaml:10: next 'q9' names no node"


def test_a_file_that_is_not_utf8_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(TINY.encode("latin-1"))
    error = failure(path)
    assert (error.line, error.reason) == (9, "the file is not UTF-8 text")


def test_yes_and_no_stay_words_not_booleans(tmp_path: Path) -> None:
    # YAML 1.1 would read `no` as false; flow authors (and their editors) mean the word.
    text = changed("keywords: {en: [TINY]}", "keywords: {en: [TINY, no, yes, on]}")
    flow = load_flow_file(write(tmp_path, "tiny.yaml", text))
    assert flow.keywords["en"] == ("tiny", "no", "yes", "on")


def test_two_flows_with_one_id_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", TINY)
    second = write(tmp_path, "b.yaml", TINY.replace("[TINY]", "[OTHER]"))
    with pytest.raises(FlowFileError) as caught:
        load_flows(tmp_path)
    assert (caught.value.path, caught.value.line) == (second, 1)
    assert caught.value.reason == f"flow id 'tiny' is already used by {tmp_path / 'a.yaml'}"


def test_two_flows_with_one_keyword_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", TINY)
    text = TINY.replace("id: tiny", "id: other").replace("[TINY]", "[START_ME, tiny]")
    second = write(tmp_path, "b.yaml", text)
    with pytest.raises(FlowFileError) as caught:
        load_flows(tmp_path)
    assert (caught.value.path, caught.value.line) == (second, line_of(text, "keywords:"))
    assert caught.value.reason.startswith("keyword 'tiny' already starts flow 'tiny'")


def test_flows_load_by_id_from_every_yaml_file(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", TINY)
    write(tmp_path, "b.yml", TINY.replace("id: tiny", "id: other").replace("[TINY]", "[OTHER]"))
    write(tmp_path, "notes.txt", "not a flow")
    assert sorted(load_flows(tmp_path)) == ["other", "tiny"]


def test_a_missing_flows_directory_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        load_flows(tmp_path / "nowhere")


def test_the_version_is_the_start_of_the_files_sha256(tmp_path: Path) -> None:
    path = write(tmp_path, "tiny.yaml", TINY)
    first = load_flow_file(path).version
    assert first == hashlib.sha256(TINY.encode()).hexdigest()[:12]
    assert load_flow_file(path).version == first
    write(tmp_path, "tiny.yaml", TINY.replace('"Bye"', '"Goodbye"'))
    second = load_flow_file(path).version
    assert second != first
    assert len(second) == 12
    assert all(char in "0123456789abcdef" for char in second)
