"""The translation reviewer's findings, kept: each row is a wording the reviewer asked for.

Rows are (language, where, words the text must hold): `where` is a node of the default survey,
`label:<node>` its scale's top label, or `locale:<key>` a system message.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.engine.model import Flow, Locale
from bot.engine.text import render
from bot.flows.files import load_flows
from bot.flows.locales import load_locales

ROOT = Path(__file__).resolve().parents[2]
VALUES = Settings().placeholder_values


@cache
def shipped() -> tuple[Flow, dict[str, Locale]]:
    """Load the shipped default survey and locales once."""
    return load_flows(ROOT / "flows")["post_contact"], load_locales(ROOT / "locales")


def text_at(language: str, where: str) -> str:
    """Return the text a resident receives at `where` in `language`."""
    flow, locales = shipped()
    kind, _, name = where.rpartition(":")
    if kind == "locale":
        return render(locales[language].messages[name], VALUES)
    if kind == "label":
        return flow.nodes[name].max_label[language]
    return render(flow.nodes[where].text[language], VALUES)


REVIEWED = [
    ("es", "intro", ("queremos mejorar", "uno de nuestros agentes")),
    ("es", "what_wrong", ("Lo sentimos. ¿Qué fue lo que más falló?",)),
    ("zh", "intro", ("诚邀您参加一项简短的自愿问卷调查", "您的回答不会透露给该警员")),
    ("zh", "respect", ("警员是否以尊重的态度对待您，维护了您的尊严？",)),
    ("zh", "what_wrong", ("听到这样的情况，我们很遗憾。",)),
    ("zh", "comment", ("请勿提及任何人的姓名或个人信息。",)),
    ("vi", "intro", ("tự nguyện", "không bao giờ", "để hủy")),
    ("tl", "intro", ("isa sa aming mga pulis", "Hindi ibibigay sa pulis na iyon", "kailanman")),
    ("tl", "explained", ("Gaano po kalinaw na ipinaliwanag",)),
    ("tl", "locale:hint_skip", ("po",)),
    ("ko", "respect", ("귀하의 인격을 존중하며 정중하게 대했습니까?",)),
    ("ko", "overall", ("이번 경찰관의 응대에",)),
    ("ko", "what_wrong", ("그러셨다니 유감입니다.",)),
    ("ko", "locale:nosurvey_confirm", ("보내 드리지 않겠습니다.",)),
    ("ru", "intro", ("с нашим сотрудником", "никогда", "Отписаться: СТОП")),
    ("ru", "label:trust", ("очень сильно",)),
    ("ru", "locale:nosurvey_confirm", ("мы больше не будем присылать Вам опросы",)),
    ("ht", "explained", ("Nan ki pwen",)),
    ("ht", "overall", ("nan ki pwen",)),
    ("fr", "respect", ("L'agent a-t-il respecté votre dignité et s'est-il montré respectueux",)),
    ("ar", "intro", ("لتحسين خدماتنا",)),
]


@pytest.mark.parametrize(("language", "where", "words"), REVIEWED)
def test_the_reviewers_wording_is_kept(language: str, where: str, words: tuple[str, ...]) -> None:
    text = text_at(language, where)
    for word in words:
        assert word in text, f"{language} {where}: {text!r} lacks {word!r}"


def test_tagalog_starts_with_the_keyword_on_the_posters_too() -> None:
    flow, _ = shipped()
    assert flow.keywords["tl"] == ("survey", "sarbey", "surbey")


def test_somali_writes_time_one_way() -> None:
    flow, locales = shipped()
    nodes = (node.text.get("so", "") for node in flow.nodes.values())
    somali = [*locales["so"].messages.values(), *nodes]
    assert not any("wakhti" in text for text in somali)
    assert any("waqti" in text for text in somali)


# An apology says the agency did wrong, which a survey must not presume; sympathy does not.
APOLOGIES = {
    "en": ("apologi", "we're sorry for"),
    "es": ("disculp", "perdón"),
    "fr": ("excus", "pardon"),
    "pt": ("desculp",),
    "zh": ("抱歉", "对不起", "道歉"),
    "ko": ("죄송", "사과"),
    "vi": ("xin lỗi",),
    "ru": ("извин", "простите"),
    "ar": ("نعتذر", "اعتذار", "آسف"),
    "tl": ("paumanhin", "patawad"),
    "ht": ("eskiz",),
    "so": ("raali",),
}


@pytest.mark.parametrize("language", sorted(APOLOGIES))
def test_what_went_wrong_offers_sympathy_not_an_apology(language: str) -> None:
    text = text_at(language, "what_wrong").casefold()
    assert not any(word in text for word in APOLOGIES[language]), text
