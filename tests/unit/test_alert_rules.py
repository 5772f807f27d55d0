"""Alert rules: each rule on the default flow, the words in every language, the rules file."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from bot.config.alert_rules import AlertRules, AlertWordsError, load_alert_rules, load_alert_words
from bot.config.send_rules import PolicyFileError
from bot.engine.model import Flow
from bot.flows.files import load_flows
from bot.i18n.alert_words import Boundary, WordList, fold, mentions
from bot.services.alert_findings import Alerting, findings
from storage.models import Answer

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


@cache
def flow() -> Flow:
    """Return the default flow."""
    return load_flows(ROOT / "flows")["post_contact"]


@cache
def words() -> dict[str, WordList]:
    """Return the shipped word lists."""
    return load_alert_words(ROOT / "locales" / "alert_words")


def answer(question: str, value: object, language: str = "en", **extra: object) -> Answer:
    """Return an unsaved answer row."""
    return Answer(
        conversation_id=uuid.uuid4(),
        question_id=question,
        raw_text=str(value),
        value=value,
        language=language,
        answered_at=AT,
        **extra,
    )


def rules_of(
    *answers: Answer, completed: bool = False, rules: AlertRules | None = None
) -> set[str]:
    """Return the rules the answers meet under the default (or given) rules."""
    alerting = Alerting(rules or AlertRules(), words())
    return {f.rule for f in findings(flow(), answers, alerting, completed)}


def test_every_locale_has_a_word_list_in_every_category() -> None:
    locales = {p.stem for p in (ROOT / "locales").glob("*.yaml")}
    assert set(words()) == locales
    for language, found in words().items():
        assert set(found.patterns) == {
            "force",
            "threats",
            "injury",
            "weapons",
            "discrimination",
        }, language


@pytest.mark.parametrize(
    ("value", "rule"),
    [(1, "score:respect"), (2, "score:respect"), (3, None), (5, None)],
)
def test_a_score_at_or_below_the_threshold_raises_an_alert(value: int, rule: str | None) -> None:
    assert rules_of(answer("respect", value)) == ({rule} if rule else set())


def test_a_question_may_have_its_own_threshold() -> None:
    rules = AlertRules(thresholds={"respect": 3})
    assert rules_of(answer("respect", 3), answer("overall", 3), rules=rules) == {"score:respect"}


def test_below_a_lowered_threshold_the_lowest_score_still_alerts() -> None:
    rules = AlertRules(scale_at_or_below=None)
    assert rules_of(answer("respect", 1), answer("trust", 2), rules=rules) == {"lowest:respect"}


def test_no_to_a_yes_no_question_is_its_lowest_category() -> None:
    assert rules_of(answer("listened", False)) == {"lowest:listened"}
    assert rules_of(answer("listened", True)) == set()
    assert rules_of(answer("listened", False), rules=AlertRules(lowest_category=False)) == set()


def test_a_choice_is_lowest_only_when_the_rules_name_it() -> None:
    named = AlertRules(lowest_choices={"what_wrong": frozenset({"disrespect"})})
    assert rules_of(answer("what_wrong", "disrespect")) == set()
    assert rules_of(answer("what_wrong", "disrespect"), rules=named) == {"lowest:what_wrong"}
    assert rules_of(answer("what_wrong", "wait_time"), rules=named) == set()


@pytest.mark.parametrize(
    ("language", "text", "categories"),
    [
        ("en", "The officer PUNCHED me and pulled a gun", {"force", "weapons"}),
        ("en", "He was white and kind, a hit with my kids", {"force"}),
        ("en", "He was white and kind", set()),
        ("es", "El agente me golpeó y me amenazó", {"force", "threats"}),
        ("es", "EL AGENTE ME GOLPEO", {"force"}),
        ("fr", "Il m'a frappé, contrôle au faciès", {"force", "discrimination"}),
        ("ar", "لقد ضَرَبَني الشرطي وهدّدني بالمسدس", {"force", "threats", "weapons"}),
        ("ar", "كان الشرطي لطيفا ومحترما", set()),
        ("zh", "警察打我，还拔枪", {"force", "weapons"}),
        ("zh-Hant", "警察威脅我", {"threats"}),
        ("ko", "경찰이 저를 때렸어요", {"force"}),
        ("ru", "Полицейский меня ударил", {"force"}),
        ("vi", "Cảnh sát đánh tôi", {"force"}),
        ("vi", "Canh sat danh toi", {"force"}),
        ("pt", "Ele me empurrou", {"force"}),
        ("ht", "Polis la te frape m", {"force"}),
        ("tl", "Sinuntok ako ng pulis", {"force"}),
        ("so", "Askariga wuu i garaacay", {"force"}),
    ],
)
def test_alert_words_match_in_each_language(language: str, text: str, categories: set[str]) -> None:
    assert set(mentions(words(), text, [language])) == categories


def test_words_match_whole_words_casefolded_and_without_accents() -> None:
    listed = WordList.build("xx", {"force": ["hit", "golpeó", "push*"]}, Boundary.WORDS)
    assert listed.find("a HIT") == {"force": "hit"}
    assert listed.find("white hitch") == {}
    assert listed.find("Golpeo") == {"force": "golpeo"}
    assert listed.find("pushing") == {"force": "pushing"}
    assert fold("Ｈｉｔ  ME!") == "hit me"


def test_free_text_in_the_original_language_raises_an_alert_per_category() -> None:
    comment = answer("comment", "El policía me golpeó con la porra", "es")
    assert rules_of(comment) == {"words:comment:force", "words:comment:weapons"}


def test_the_detected_language_is_read_too() -> None:
    comment = answer("comment", "he pushed me", "es", detected_language="en")
    assert rules_of(comment) == {"words:comment:force"}


def test_the_translation_is_read_when_the_original_has_no_listed_word() -> None:
    original = "Sarkaalku wuxuu igu qabsaday si xun"  # no Somali word listed
    untranslated = answer("comment", original, "so")
    translated = answer(
        "comment",
        original,
        "so",
        translation="The officer threatened me",
        translation_language="en",
    )
    assert rules_of(untranslated) == set()
    assert rules_of(translated) == {"words:comment:threats"}


def test_word_categories_can_be_narrowed_and_words_switched_off() -> None:
    comment = answer("comment", "he pushed me and drew his gun")
    assert rules_of(comment, rules=AlertRules(word_categories=frozenset({"weapons"}))) == {
        "words:comment:weapons"
    }
    assert rules_of(comment, rules=AlertRules(words=False)) == set()


def top_marks(comment: str, language: str = "en", **extra: object) -> list[Answer]:
    """Return a completed survey's answers with every score at the top."""
    scores = [answer(q, 5) for q in ("respect", "explained", "overall", "trust")]
    return [answer("listened", True), *scores, answer("comment", comment, language, **extra)]


def test_top_scores_with_a_clean_comment_make_a_commendation_once_completed() -> None:
    answers = top_marks("Very kind and patient, thank you")
    assert rules_of(*answers, completed=True) == {"commendation"}
    assert rules_of(*answers, completed=False) == set()


def test_no_commendation_without_a_comment_or_a_top_score_or_with_alert_words() -> None:
    no_comment = top_marks("")
    short = [*top_marks("Kind")[:-2], answer("trust", 4), answer("comment", "Kind")]
    troubled = top_marks("kind but he pushed my brother")
    hidden = top_marks("xyz", "so", translation="he hurt me", translation_language="en")
    assert rules_of(*no_comment, completed=True) == set()
    assert rules_of(*short, completed=True) == set()
    assert rules_of(*troubled, completed=True) == {"words:comment:force"}
    assert rules_of(*hidden, completed=True) == {"words:comment:injury"}
    off = AlertRules(commendations=False)
    assert rules_of(*top_marks("Kind"), completed=True, rules=off) == set()


def test_the_rules_file_sets_alert_rules_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "survey_rules.yaml"
    path.write_text(
        "delay_minutes: 5\n"
        "alerts:\n"
        "  scale_at_or_below: 1\n"
        "  thresholds: {overall: 3}\n"
        "  lowest_choices: {what_wrong: [disrespect]}\n"
        "  word_categories: [weapons, threats]\n"
    )
    rules = load_alert_rules(path)
    assert rules.threshold("respect", nps=False) == 1
    assert rules.threshold("overall", nps=False) == 3
    assert rules.threshold("recommend", nps=True) == 3
    assert rules.lowest_choices == {"what_wrong": frozenset({"disrespect"})}
    assert rules.word_categories == {"weapons", "threats"}
    assert rules.commendations and rules.words and rules.lowest_category
    assert load_alert_rules(None) == AlertRules()


def test_a_bad_alert_rule_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "survey_rules.yaml"
    path.write_text("alerts:\n  scale_at_or_below: 1\n  word_categories: [force, rudeness]\n")
    with pytest.raises(PolicyFileError, match=r"survey_rules\.yaml:3"):
        load_alert_rules(path)


def test_a_bad_word_list_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text("force: [hit]\nthreats: threaten\n")
    with pytest.raises(AlertWordsError, match=r"en\.yaml:2"):
        load_alert_words(tmp_path)


def test_the_example_rules_file_holds_the_defaults() -> None:
    assert load_alert_rules(ROOT / "survey_rules.example.yaml") == AlertRules()


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"SMTP_URL": "smtp://mail.example:587"}, "ALERT_FROM"),
        ({"ALERT_WEBHOOK_URL": "https://hooks.example/parley"}, "ALERT_WEBHOOK_SECRET"),
        ({"SMTP_URL": "parley:hunter2@mail.example", "ALERT_FROM": "a@b.example"}, "SMTP_URL"),
        ({"ALERT_WEBHOOK_URL": "hooks.example", "ALERT_WEBHOOK_SECRET": "k"}, "ALERT_WEBHOOK_URL"),
    ],
)
def test_an_alert_outlet_set_up_halfway_is_refused_at_start(
    environ: dict[str, str], named: str
) -> None:
    from bot.config.settings import Settings
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match=named) as refused:
        Settings.from_env(environ)
    assert "hunter2" not in str(refused.value)  # the password is never echoed


def test_alert_outlets_are_read_from_the_environment() -> None:
    from bot.config.settings import Settings

    settings = Settings.from_env(
        {
            "SMTP_URL": "smtp://parley:pw@mail.example:587",
            "SMTP_STARTTLS": "true",
            "ALERT_FROM": "parley@police.example",
            "ALERT_WEBHOOK_URL": "https://hooks.example/parley",
            "ALERT_WEBHOOK_SECRET": "k" * 32,
        }
    )
    assert settings.smtp_starttls and settings.alert_from == "parley@police.example"
    assert settings.alert_rules == AlertRules()
