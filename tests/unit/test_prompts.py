"""What a step says, as data: prompts with their kind, options and hint, and the events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from bot.bootstrap import build_renderers
from bot.engine.conversation import Context, begin, question, step, switch_language
from bot.engine.locale import locale_from_dict
from bot.engine.model import (
    ConversationState,
    LanguageChanged,
    NodeKind,
    Prompt,
    PromptOption,
    Reprompted,
    Status,
)
from bot.engine.render import text_of, texts_of
from bot.services.runtime import Runtime
from tests.unit.engine_fixtures import NOW, VALUES, make_flow
from tests.unit.sms_texts import shipped_context

FLOW = make_flow()
# The shipped locales: their yes/no labels are the ones residents would see on buttons.
CTX = Context(locales=shipped_context().locales, values=VALUES)
THIRTEEN_YES_NO = {
    "ar": ("نعم", "لا"), "en": ("Yes", "No"), "es": ("Sí", "No"), "fr": ("Oui", "Non"),
    "ht": ("Wi", "Non"), "ko": ("네", "아니요"), "pt": ("Sim", "Não"), "ru": ("Да", "Нет"),
    "so": ("Haa", "Maya"), "tl": ("Oo", "Hindi"), "vi": ("Có", "Không"), "zh": ("是", "不"),
    "zh-Hant": ("是", "不"),
}  # fmt: skip


def asked(node_id: str, language: str) -> Prompt:
    """Return the prompt of a question of the test survey, asked in `language`."""
    found = question(FLOW, ConversationState(node_id, language), CTX)
    assert found is not None
    return found


def test_a_choice_offers_its_stable_values_labelled_in_the_conversations_language() -> None:
    prompt = asked("reason", "es")
    assert (prompt.kind, prompt.question_id, prompt.text) == (
        NodeKind.CHOICE, "reason", "¿De qué se trató el contacto?")  # fmt: skip
    assert prompt.options == (
        PromptOption("traffic", "Tráfico"),
        PromptOption("noise", "Queja por ruido"),
        PromptOption("crime", "Denunciar delito"),
        PromptOption("other", "Otro"),
    )
    # The numbered list is the SMS way of offering them: it is drawn by the text renderer.
    assert prompt.hint == ""
    assert text_of(prompt).endswith("\n1 Tráfico\n2 Queja por ruido\n3 Denunciar delito\n4 Otro")


def test_a_scale_offers_each_number_and_keeps_its_hint_apart() -> None:
    prompt = asked("respect", "es")
    assert prompt.kind is NodeKind.SCALE
    assert [option.value for option in prompt.options] == [1, 2, 3, 4, 5]
    assert [option.label for option in prompt.options] == ["1", "2", "3", "4", "5"]
    assert prompt.text == "¿El agente le trató con respeto?"
    assert prompt.hint == "Responda del 1 (nada) al 5 (totalmente)."


def test_nps_offers_zero_to_ten() -> None:
    prompt = asked("recommend", "en")
    assert prompt.kind is NodeKind.NPS
    assert [option.value for option in prompt.options] == list(range(11))
    assert prompt.hint == "Reply with a number from 0 (not likely) to 10 (very likely)."


@pytest.mark.parametrize("language", sorted(THIRTEEN_YES_NO))
def test_yes_and_no_are_labelled_in_every_language(language: str) -> None:
    prompt = asked("again", language)
    yes, no = THIRTEEN_YES_NO[language]
    assert prompt.kind is NodeKind.YES_NO
    assert prompt.options == (PromptOption(True, yes), PromptOption(False, no))
    assert prompt.hint == CTX.locales[language].messages["hint_yes_no"]


def test_a_text_question_offers_nothing_but_says_how_to_skip() -> None:
    prompt = asked("comment", "en")
    assert (prompt.kind, prompt.options) == (NodeKind.TEXT, ())
    assert prompt.hint == CTX.locales["en"].messages["hint_skip"]


def test_the_label_is_the_first_word_of_the_list_as_written() -> None:
    # PyYAML reads a bare yes/no as True/False: the label is still a word.
    locale = locale_from_dict({"code": "xx", "yes": [True, "yep"], "no": ["nope", "no"]})
    assert (locale.yes_label, locale.no_label) == ("Yes", "Nope")
    assert locale_from_dict({"code": "xx"}).yes_label == ""


def test_messages_then_the_question_are_the_opening_prompts() -> None:
    result = begin(FLOW, "en", CTX)
    intro, respect = result.prompts
    assert (intro.kind, intro.question_id, intro.options, intro.hint) == (
        NodeKind.MESSAGE, None, (), "")  # fmt: skip
    assert intro.text.startswith("Springfield PD")
    assert (respect.kind, respect.question_id) == (NodeKind.SCALE, "respect")
    assert result.events == ()


def test_the_end_is_a_prompt_of_its_own_kind() -> None:
    result = step(FLOW, ConversationState("comment", "en"), "skip", NOW, CTX)
    assert result.prompts == (Prompt("Thank you!", NodeKind.END),)
    assert result.state.status is Status.COMPLETED


def test_a_reprompt_apologises_offers_the_same_answers_and_says_so() -> None:
    state = ConversationState("again", "es")
    first = step(FLOW, state, "quizás", NOW, CTX)
    (prompt,) = first.prompts
    assert prompt.text == CTX.locales["es"].messages["reprompt"]
    assert (prompt.kind, prompt.question_id) == (NodeKind.YES_NO, "again")
    assert prompt.options == asked("again", "es").options
    assert first.events == (Reprompted("again", 1),)


def test_switching_language_asks_afresh_and_says_the_language_changed() -> None:
    state = ConversationState("reason", "en", Status.ACTIVE, retries=1)
    result = switch_language(FLOW, state, "es", CTX)
    assert result.state == ConversationState("reason", "es", Status.ACTIVE, 0)
    assert result.events == (LanguageChanged("en", "es"),)
    assert result.prompts == (asked("reason", "es"),)
    assert result.answers == ()


def test_choosing_the_same_language_changes_nothing_but_the_retries() -> None:
    state = ConversationState("again", "en", Status.ACTIVE, retries=1)
    result = switch_language(FLOW, state, "en", CTX)
    assert (result.state.retries, result.events) == (0, ())
    assert result.prompts == (asked("again", "en"),)


def test_switching_with_no_question_waiting_sends_nothing() -> None:
    state = ConversationState(None, "en", Status.COMPLETED)
    result = switch_language(FLOW, state, "fr", CTX)
    assert (result.prompts, result.events) == ((), (LanguageChanged("en", "fr"),))


def test_the_text_renderer_drops_blank_prompts() -> None:
    blank = Prompt("", NodeKind.TEXT, "q")
    said = Prompt("Hi", NodeKind.MESSAGE)
    assert texts_of([blank, said, Prompt(" ", NodeKind.END)]) == ("Hi",)


def test_a_step_result_holds_prompts_not_rendered_texts() -> None:
    result = begin(FLOW, "es", CTX)
    assert not hasattr(result, "replies")  # each channel renders; texts_of is the SMS one
    assert texts_of(result.prompts) and all(isinstance(p, Prompt) for p in result.prompts)


def _runtime(**renderers: object) -> Runtime:
    """Build a runtime with nothing but renderers (no other collaborator is used)."""
    fixed = datetime(2025, 1, 1, tzinfo=UTC)
    return Runtime(
        uow=None,  # type: ignore[arg-type]
        flow_store=None,  # type: ignore[arg-type]
        surveys=None,  # type: ignore[arg-type]
        admin=None,  # type: ignore[arg-type]
        responses=None,  # type: ignore[arg-type]
        results=None,  # type: ignore[arg-type]
        locales={},
        values={},
        senders={},
        clock=lambda: fixed,
        renderers=renderers,  # type: ignore[arg-type]
    )


def _labels(prompts: Sequence[Prompt]) -> tuple[str, ...]:
    """Render prompts as a button channel might: only the options' labels."""
    return tuple(option.label for prompt in prompts for option in prompt.options)


def test_each_channel_renders_with_its_own_renderer() -> None:
    prompts = (asked("again", "en"),)
    rt = _runtime(sms=texts_of, buttons=_labels)
    assert rt.render("sms", prompts) == [
        "Would you contact Springfield PD again?\nReply YES or NO."
    ]
    assert rt.render("buttons", prompts) == ["Yes", "No"]
    with pytest.raises(LookupError, match="carrier-pigeon"):
        rt.render("carrier-pigeon", prompts)


def test_sms_and_the_console_show_the_plain_texts() -> None:
    renderers = build_renderers()
    prompts = begin(FLOW, "es", CTX).prompts
    assert renderers["sms"](prompts) == renderers["console"](prompts) == texts_of(prompts)
    assert renderers["sms"](prompts)[1].endswith("\nResponda del 1 (nada) al 5 (totalmente).")
