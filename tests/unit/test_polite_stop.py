"""Polite opt-outs in all twelve shipped locales, from their `filler:` words, and the ordinary
answers that must stay answers."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from bot.engine.keywords import KeywordHit, match_keyword
from bot.engine.model import Locale
from bot.flows.locales import load_locales

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
LANGUAGES = ("en", "es", "zh", "vi", "tl", "ar", "ko", "ru", "ht", "so", "fr", "pt")


@cache
def shipped() -> dict[str, Locale]:
    """Load the shipped locales once, checked against locales/schema.json as at start-up."""
    return load_locales(LOCALES_DIR)


def every() -> tuple[Locale, ...]:
    """Return every shipped locale, as the services pass them."""
    return tuple(shipped().values())


# (language, message): a stop keyword of that language among its filler words.
POLITE_OPT_OUTS = [
    ("en", "stop please"),
    ("en", "Please STOP now, thanks"),
    ("en", "cancel the survey"),
    ("es", "parar por favor"),
    ("es", "No más mensajes, gracias"),
    ("es", "alto ya porfa"),
    ("zh", "请停止"),
    ("zh", "请停止发短信，谢谢"),
    ("zh", "退订 谢谢"),
    ("zh", "马上停止！"),
    ("vi", "ngừng nhé, cảm ơn"),
    ("vi", "xin hủy đăng ký"),
    ("vi", "vui long ngung nhan tin"),
    ("tl", "tigil na po, salamat"),
    ("tl", "hinto na po"),
    ("tl", "itigil po muna"),
    ("ar", "توقف من فضلك"),
    ("ar", "الرجاء إلغاء الاشتراك"),
    ("ar", "كفى، شكرا"),
    ("ko", "중지해주세요"),
    ("ko", "중지해 주세요"),
    ("ko", "문자 그만 보내주세요"),
    ("ko", "수신거부 부탁드립니다"),
    ("ko", "제발 그만"),
    ("ru", "стоп пожалуйста"),
    ("ru", "Хватит уже, спасибо"),
    ("ru", "отписаться пжл"),
    ("ht", "kanpe tanpri"),
    ("ht", "Sispann voye mesaj yo, mèsi"),
    ("ht", "anile tout souple"),
    ("so", "jooji fadlan"),
    ("so", "Fadlan fariimaha jooji, mahadsanid"),
    ("so", "iska jooji hadda"),
    ("fr", "arrêtez svp"),
    ("fr", "Arrêtez les messages s'il vous plaît"),
    ("fr", "désinscrire merci"),
    ("pt", "pare por favor"),
    ("pt", "Pare de me mandar mensagens"),
    ("pt", "já chega, obrigado"),
]


@pytest.mark.parametrize(("language", "text"), POLITE_OPT_OUTS)
def test_polite_opt_out_with_every_locale(language: str, text: str) -> None:
    assert match_keyword(text, every()) == KeywordHit(kind="stop", language=language)


@pytest.mark.parametrize(("language", "text"), POLITE_OPT_OUTS)
def test_polite_opt_out_needs_only_its_own_locale(language: str, text: str) -> None:
    assert match_keyword(text, (shipped()[language],)) == KeywordHit("stop", language)


# English filler is built in (it works whatever the locales), so only the others are checked.
@pytest.mark.parametrize(("language", "text"), [c for c in POLITE_OPT_OUTS if c[0] != "en"])
def test_without_its_filler_words_a_polite_opt_out_is_not_one(language: str, text: str) -> None:
    bare = replace(shipped()[language], filler=frozenset())
    assert match_keyword(text, (bare,)) is None


# STOP is the word every message gives: residents add their own language's "please" to it.
@pytest.mark.parametrize(
    "text",
    ["STOP por favor", "stop пожалуйста", "Stop svp", "stop tanpri", "STOP fadlan", "stop po",
     "stop 谢谢", "请stop", "stop 해주세요", "STOP من فضلك", "stop vui lòng", "stop obrigado"],
)  # fmt: skip
def test_the_carriers_stop_takes_any_languages_filler(text: str) -> None:
    hit = match_keyword(text, every())
    assert hit is not None and hit.kind == "stop"


# (language, reply): ordinary answers with a stop keyword, or only filler, in them.
ORDINARY_ANSWERS = [
    ("en", "the traffic stop was fair"),
    ("en", "Stop was handled well"),
    ("en", "the stop was fine"),
    ("en", "a stop"),
    ("en", "he made me stop the car"),
    ("en", "ok thanks"),
    ("es", "la parada fue justa"),
    ("es", "calidad muy baja"),
    ("es", "un agente muy alto"),
    ("es", "me pidió parar el coche"),
    ("es", "gracias por favor"),
    ("zh", "我停了"),
    ("zh", "他让我停车"),
    ("zh", "停车检查很快"),
    ("zh", "取消了罚单"),
    ("zh", "暂停"),
    ("zh", "谢谢"),
    ("vi", "tôi dừng lại"),
    ("vi", "cảnh sát bảo tôi dừng xe"),
    ("vi", "cảm ơn nhé"),
    ("tl", "huminto ako"),
    ("tl", "pinahinto ako ng pulis"),
    ("tl", "salamat po"),
    ("ar", "توقفت السيارة"),
    ("ar", "أوقفني الشرطي"),
    ("ar", "شكرا"),
    ("ko", "정차는 괜찮았어요"),
    ("ko", "그만큼 좋았어요"),
    ("ko", "중단 없이 잘 끝났어요"),
    ("ko", "감사합니다"),
    ("ru", "остановка была нормальной"),
    ("ru", "он попросил меня остановиться"),
    ("ru", "спасибо, всё хорошо"),
    ("ht", "yo kanpe m"),
    ("ht", "m te kanpe"),
    ("ht", "li te kanpe la"),
    ("ht", "mèsi anpil"),
    ("so", "booliisku wuu i joojiyay"),
    ("so", "mahadsanid"),
    ("fr", "l'arrêt était correct"),
    ("fr", "arrêt de bus"),
    ("fr", "il m'a arrêté"),
    ("fr", "merci"),
    ("pt", "a parada foi justa"),
    ("pt", "ele pediu para eu parar o carro"),
    ("pt", "obrigado"),
]


@pytest.mark.parametrize(("language", "text"), ORDINARY_ANSWERS)
def test_ordinary_answers_stay_answers(language: str, text: str) -> None:
    assert language in LANGUAGES
    assert match_keyword(text, every()) is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_filler_alone_never_opts_out(language: str) -> None:
    filler = sorted(shipped()[language].filler)
    assert filler, f"{language} has no filler words"
    messages = [*filler, *(" ".join(filler[i : i + 3]) for i in range(0, len(filler), 3))]
    for message in messages:
        hit = match_keyword(message, every())
        # Vietnamese "giúp" is also a help keyword: what matters is that nobody is opted out.
        assert hit is None or hit.kind != "stop", message


@pytest.mark.parametrize("language", LANGUAGES)
def test_filler_words_do_not_answer_questions(language: str) -> None:
    # A filler word that is also a yes/no/skip answer or a number of its own language would mix
    # an answer into an opt-out.
    locale = shipped()[language]
    answers = locale.yes | locale.no | locale.skip | set(locale.numbers)
    assert locale.filler.isdisjoint(answers)
    assert not any(word.isdigit() for word in locale.filler)


def test_a_long_message_is_never_a_polite_opt_out() -> None:
    assert match_keyword("stop " + "please " * 6, every()) is None
    assert match_keyword("请" * 60 + "停止", every()) is None
    assert match_keyword("请" * 3 + "停止", every()) == KeywordHit("stop", "zh")
