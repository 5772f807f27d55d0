"""Flow admin services on the fake database: drafts, field problems, publish, rollback, diff."""

from __future__ import annotations

from functools import cache

import pytest

from bot.flows.emit import data_of_files, files_of_data
from bot.flows.files import load_flow_definitions
from bot.flows.store import stored_definition
from bot.services.flow_admin import (
    FlowAdminError,
    PublishRefusedError,
    diff_versions,
    discard_draft,
    export_files,
    get_draft,
    list_versions,
    open_draft,
    publish,
    rollback,
    save_draft,
    save_draft_data,
)
from bot.services.runtime import Runtime
from storage.models import FlowVersion
from tests.fakes import FakeDatabase
from tests.translation_samples import ROOT

BASE, FRENCH = "post_contact.yaml", "post_contact.fr.yaml"
OLD_Q1 = "Did the officer listen to what you had to say?"
NEW_Q1 = "Did the officer hear you out?"
OLD_Q1_ES = "¿El agente le ha escuchado cuando usted le hablaba?"
FR_Q1 = "L'agent a-t-il écouté ce que vous aviez à dire ?"
FR_RESPECT = "L'agent a-t-il respecté votre dignité et s'est-il montré respectueux envers vous ?"


@cache
def _shipped() -> dict[str, str]:
    """Return the shipped post_contact files, name -> text."""
    return dict(load_flow_definitions(ROOT / "flows")["post_contact"].files)


def _edited(name: str, old: str, new: str) -> dict[str, str]:
    """Return the shipped files with one text of one file replaced."""
    files = dict(_shipped())
    assert old in files[name]
    files[name] = files[name].replace(old, new, 1)
    return files


def _first_version(rt: Runtime) -> None:
    """Publish the shipped files as version 1 of post_contact."""
    save_draft(rt, "post_contact", _shipped(), by="admin@example.org")
    assert publish(rt, "post_contact").number == 1


def test_a_new_flow_is_drafted_then_published_as_version_1(
    rt: Runtime, database: FakeDatabase
) -> None:
    draft = save_draft(rt, "post_contact", _shipped(), by="admin@example.org")
    assert draft.valid and draft.based_on is None and draft.updated_by == "admin@example.org"
    published = publish(rt, "post_contact", by="admin@example.org")
    assert (published.number, published.held_back) == (1, ())
    assert get_draft(rt, "post_contact") is None
    (only,) = list_versions(rt, "post_contact")
    assert only.live and only.origin == "published in the browser" and not only.from_file
    assert "fr" in only.languages and export_files(rt, "post_contact") == _shipped()


def test_an_opened_draft_copies_the_live_version_once(rt: Runtime) -> None:
    _first_version(rt)
    draft = open_draft(rt, "post_contact")
    assert draft.files == _shipped() and draft.based_on == 1 and draft.valid
    save_draft(rt, "post_contact", _edited(BASE, OLD_Q1, NEW_Q1))
    # Opening again finds the draft being edited, not a fresh copy.
    assert NEW_Q1 in open_draft(rt, "post_contact").files[BASE]
    assert discard_draft(rt, "post_contact") and not discard_draft(rt, "post_contact")
    assert open_draft(rt, "post_contact").files == _shipped()


def test_a_flow_never_published_has_no_draft_to_open(rt: Runtime) -> None:
    with pytest.raises(FlowAdminError, match="no flow 'traffic'"):
        open_draft(rt, "traffic")
    with pytest.raises(FlowAdminError, match="must be an id"):
        save_draft(rt, "Traffic Stop", _shipped())


@pytest.mark.parametrize(
    ("name", "old", "new", "field", "message"),
    [
        (BASE, "next: listened", "next: nowhere", "nodes[0].next", "names no node"),
        (BASE, f'es: "{OLD_Q1_ES}"', "", "nodes[1].text", "es"),
        (FRENCH, f'text: "{FR_Q1}"', "min_label: x", "nodes[1].min_label.fr", "no min_label"),
        (FRENCH, f'"{FR_Q1}"', '"{agency} ?"', "nodes[1].text.fr", "placeholders"),
        (
            FRENCH,
            "    text: >-\n      {agency} : aidez",
            "    texte: >-\n      {agency} : aidez",
            "nodes[0].texte.fr",
            "unknown field",
        ),
    ],
)
def test_a_saved_draft_shows_each_problem_beside_its_field(
    rt: Runtime, name: str, old: str, new: str, field: str, message: str
) -> None:
    draft = save_draft(rt, "post_contact", _edited(name, old, new))
    assert not draft.valid
    found = {problem.field: problem for problem in draft.problems}
    assert field in found and message in found[field].message
    assert found[field].file == name and found[field].line > 1


def test_publish_is_refused_for_an_invalid_flow(rt: Runtime) -> None:
    _first_version(rt)
    save_draft(rt, "post_contact", _edited(BASE, "next: listened", "next: nowhere"))
    with pytest.raises(PublishRefusedError) as refused:
        publish(rt, "post_contact")
    assert "nodes[0].next" in {problem.field for problem in refused.value.problems}
    assert [v.number for v in list_versions(rt, "post_contact")] == [1]
    assert get_draft(rt, "post_contact") is not None  # kept, to be fixed


def test_publish_is_refused_for_an_incomplete_language(rt: Runtime) -> None:
    _first_version(rt)
    save_draft(rt, "post_contact", _edited(FRENCH, f'    text: "{FR_RESPECT}"\n', ""))
    with pytest.raises(PublishRefusedError) as refused:
        publish(rt, "post_contact")
    (problem,) = refused.value.problems
    assert problem.field == "nodes[2].text.fr" and problem.file == FRENCH
    assert "text of node 'respect' is not translated" in problem.message


def test_publish_is_refused_for_a_language_with_no_system_messages(rt: Runtime) -> None:
    files = dict(_shipped())
    files["post_contact.de.yaml"] = files.pop(FRENCH).replace("language: fr", "language: de")
    save_draft(rt, "post_contact", files)
    with pytest.raises(PublishRefusedError, match="'de' has no locale file"):
        publish(rt, "post_contact")


def test_an_unreviewed_machine_translation_is_published_but_not_offered(rt: Runtime) -> None:
    save_draft(rt, "post_contact", _edited(FRENCH, "machine: false", "machine: true"))
    published = publish(rt, "post_contact")
    assert published.held_back == ("fr",)
    (only,) = list_versions(rt, "post_contact")
    assert "fr" not in only.languages and "es" in only.languages
    # The draft translation is kept with the version, to be exported and reviewed.
    assert "machine: true" in export_files(rt, "post_contact")[FRENCH]


def test_publish_is_refused_when_another_version_went_live_since_the_draft(rt: Runtime) -> None:
    _first_version(rt)
    open_draft(rt, "post_contact")
    save_draft(rt, "traffic_other", _shipped())  # another flow's draft is no concern
    rollback(rt, "post_contact", 1)  # version 2 goes live meanwhile
    with pytest.raises(PublishRefusedError, match=r"version 2 .* went live after this draft"):
        publish(rt, "post_contact")
    assert publish(rt, "post_contact", force=True).number == 3


def test_a_rollback_publishes_an_old_version_again_under_a_new_number(rt: Runtime) -> None:
    _first_version(rt)
    save_draft(rt, "post_contact", _edited(BASE, OLD_Q1, NEW_Q1))
    second = publish(rt, "post_contact")
    third = rollback(rt, "post_contact", 1, by="admin@example.org")
    versions = list_versions(rt, "post_contact")
    assert [(v.number, v.live) for v in versions] == [(1, False), (2, False), (3, True)]
    assert versions[2].origin == "rollback to version 1"
    # Each number its own digest: a conversation's recorded version names one number.
    assert len({v.digest for v in versions}) == 3 and second.digest == versions[1].digest
    assert export_files(rt, "post_contact", third.number) == _shipped()
    with pytest.raises(FlowAdminError, match="no version 9"):
        rollback(rt, "post_contact", 9)


def test_a_diff_shows_each_question_and_language_that_changed(rt: Runtime) -> None:
    _first_version(rt)
    files = _edited(BASE, OLD_Q1, NEW_Q1)
    files[FRENCH] = files[FRENCH].replace(FR_Q1, "L'agent vous a-t-il écouté ?")
    save_draft(rt, "post_contact", files)
    publish(rt, "post_contact")
    diff = diff_versions(rt, "post_contact", 1, 2)
    (question,) = diff.questions
    assert (question.id, question.status, question.settings) == ("listened", "changed", ())
    changes = question.by_language()
    assert sorted(changes) == ["en", "fr"]
    assert (changes["en"][0].field, changes["en"][0].old, changes["en"][0].new) == (
        "text",
        OLD_Q1,
        NEW_Q1,
    )
    assert diff_versions(rt, "post_contact", 2, 2).same


def test_a_diff_shows_added_removed_and_rerouted_questions(rt: Runtime) -> None:
    _first_version(rt)
    data = data_of_files(_shipped())
    base = data[BASE]
    nodes = base["nodes"]
    explained = next(node for node in nodes if node["id"] == "explained")
    nodes.remove(explained)
    next(node for node in nodes if node["id"] == "respect")["next"] = "overall"
    translations = [
        {**value, "nodes": {k: v for k, v in value["nodes"].items() if k != "explained"}}
        for name, value in data.items()
        if name != BASE
    ]
    assert save_draft_data(rt, "post_contact", base, translations).valid
    publish(rt, "post_contact")
    diff = diff_versions(rt, "post_contact", 1, 2)
    by_id = {question.id: question for question in diff.questions}
    assert by_id["respect"].settings[0].field == "next"
    assert (by_id["respect"].settings[0].old, by_id["respect"].settings[0].new) == (
        "explained",
        "overall",
    )
    assert by_id["explained"].status == "removed"
    assert {change.language for change in by_id["explained"].texts} >= {"en", "es", "fr"}


def test_files_written_from_data_read_back_to_the_same_data_and_text() -> None:
    data = data_of_files(_shipped())
    base = data.pop(BASE)
    written = files_of_data(base, list(data.values()))
    assert sorted(written) == sorted(_shipped())
    again = data_of_files(written)
    assert again[BASE] == base and again[FRENCH] == data[FRENCH]
    rewritten = files_of_data(again.pop(BASE), list(again.values()))
    assert rewritten == written  # byte-stable: writing what was read changes nothing


def test_export_names_a_missing_flow(rt: Runtime) -> None:
    with pytest.raises(FlowAdminError, match="no flow 'post_contact'"):
        export_files(rt, "post_contact")


def test_publish_is_refused_for_a_keyword_another_live_flow_answers_to(rt: Runtime) -> None:
    files = {
        "traffic.yaml": _shipped()[BASE]
        .replace("id: post_contact", "id: traffic", 1)
        .replace("[ENCUESTA]", "[TRAFICO]")
    }
    assert save_draft(rt, "traffic", files).valid
    with pytest.raises(PublishRefusedError) as refused:
        publish(rt, "traffic")
    (problem,) = refused.value.problems
    assert (
        problem.field == "keywords.en[0]"
        and "already starts flow 'post_contact'" in problem.message
    )


def test_a_version_recorded_before_files_were_kept_exports_as_one_flow_file(
    rt: Runtime, database: FakeDatabase
) -> None:
    loaded = load_flow_definitions(ROOT / "flows")["post_contact"]
    old = FlowVersion(
        flow_id="post_contact",
        number=1,
        digest=loaded.flow.version,
        definition=stored_definition(loaded),
        created_at=rt.clock(),
        origin="from files",
    )
    database.rows.append(old)
    (exported,) = export_files(rt, "post_contact").items()
    assert exported[0] == BASE and "  - SONDAGE" in exported[1]
    draft = open_draft(rt, "post_contact")  # the admin site edits it like any other
    assert draft.valid and draft.based_on == 1
    assert list_versions(rt, "post_contact")[0].from_file
