"""Excluded call types: every default, its spellings and aliases, agency codes and lists."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.scheduling.calltypes import BUILT_IN_ALIASES, DEFAULT_EXCLUDED, normalise_call_type
from bot.scheduling.rules import RefusalReason, Refuse, Send, SendPolicy, decide_send
from tests.unit.scheduling_fixtures import DEFAULT, NOBODY, NOON, NY

EXCLUDED_SPELLINGS = [
    ("domestic_violence", "domestic_violence"),
    ("Domestic Violence", "domestic_violence"),
    ("DOMESTIC-VIOLENCE", "domestic_violence"),
    ("  domestic   violence ", "domestic_violence"),
    ("DV", "domestic_violence"),
    ("Domestic", "domestic_violence"),
    ("Family Violence", "domestic_violence"),
    ("273.5", "domestic_violence"),
    ("sexual_assault", "sexual_assault"),
    ("Sexual Assault", "sexual_assault"),
    ("RAPE", "sexual_assault"),
    ("child_abuse", "child_abuse"),
    ("Child Abuse", "child_abuse"),
    ("child-neglect", "child_abuse"),
    ("death_notification", "death_notification"),
    ("Death Notification", "death_notification"),
    ("NOK notification", "death_notification"),
    ("mental_health_crisis", "mental_health_crisis"),
    ("Mental Health (Crisis)", "mental_health_crisis"),
    ("EDP", "mental_health_crisis"),
    ("Suicide Attempt", "mental_health_crisis"),
    ("5150", "mental_health_crisis"),
    ("ＤＶ", "domestic_violence"),
]


@pytest.mark.parametrize(("call_type", "canonical"), EXCLUDED_SPELLINGS)
def test_each_excluded_call_type_and_alias_is_never_surveyed(
    call_type: str, canonical: str
) -> None:
    decision = decide_send(NOON, NOON, call_type, NOBODY, DEFAULT, NY)
    assert decision == Refuse(
        RefusalReason.EXCLUDED_CALL_TYPE, f"{canonical.replace('_', ' ')} calls are never surveyed"
    )


@pytest.mark.parametrize(
    ("call_type", "canonical"),
    [
        ("DV follow-up", "domestic_violence"),
        ("Domestic Violence - In Progress", "domestic_violence"),
        ("Domestic Disturbance", "domestic_violence"),
        ("Sexual Assault Report", "sexual_assault"),
        ("PC 273.5", "domestic_violence"),
        ("Welfare check / mental health", "mental_health_crisis"),
    ],
)
def test_a_call_type_containing_an_excluded_one_is_excluded(call_type: str, canonical: str) -> None:
    decision = decide_send(NOON, NOON, call_type, NOBODY, DEFAULT, NY)
    assert isinstance(decision, Refuse)
    assert decision.explanation.startswith(canonical.replace("_", " "))


@pytest.mark.parametrize(
    "call_type",
    [None, "", "Traffic Stop", "Burglary", "DVD theft", "Noise complaint", "SA", "273.55"],
)
def test_other_call_types_are_surveyed(call_type: str | None) -> None:
    contact = NOON - timedelta(hours=2)
    assert decide_send(contact, NOON, call_type, NOBODY, DEFAULT, NY) == Send(NOON)


def test_default_excluded_call_types_are_the_issues_five() -> None:
    assert (
        DEFAULT.excluded_call_types
        == DEFAULT_EXCLUDED
        == {
            "domestic_violence",
            "sexual_assault",
            "child_abuse",
            "death_notification",
            "mental_health_crisis",
        }
    )


def test_built_in_aliases_are_written_normalised_and_name_excluded_types() -> None:
    for code, target in BUILT_IN_ALIASES.items():
        assert normalise_call_type(code) == target
        assert normalise_call_type(code.upper().replace("_", " ")) == target
        assert target in DEFAULT_EXCLUDED


def test_an_agencys_own_codes_are_excluded() -> None:
    policy = SendPolicy(call_type_aliases={"415D": "Domestic Violence", "10-96": "EDP"})
    assert policy.call_type_aliases == {
        "415d": "domestic_violence",
        "10_96": "mental_health_crisis",
    }
    for code in ("415D", "415d", "10-96", "10 96"):
        decision = decide_send(NOON, NOON, code, NOBODY, policy, NY)
        assert isinstance(decision, Refuse), code


def test_an_agency_may_give_a_built_in_code_another_meaning() -> None:
    policy = SendPolicy(call_type_aliases={"DV": "district_visit"})
    contact = NOON - timedelta(hours=2)
    assert decide_send(contact, NOON, "DV", NOBODY, policy, NY) == Send(NOON)
    assert decide_send(contact, NOON, "DV follow-up", NOBODY, policy, NY) == Send(NOON)


def test_an_agencys_list_replaces_the_default_and_is_normalised() -> None:
    policy = SendPolicy(excluded_call_types=frozenset({"Hate Crime", "DV"}))
    assert policy.excluded_call_types == {"hate_crime", "domestic_violence"}
    contact = NOON - timedelta(hours=2)
    assert isinstance(decide_send(contact, NOON, "hate-crime", NOBODY, policy, NY), Refuse)
    assert decide_send(contact, NOON, "death notification", NOBODY, policy, NY) == Send(NOON)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Child Sexual Abuse", "sexual_assault"),
        ("Sexual Abuse", "sexual_assault"),
        ("Molestation", "sexual_assault"),
        ("Child molest", "child_abuse"),  # an abbreviation of the child_molestation alias
        ("sexualassault", "sexual_assault"),
        ("DomesticViolence", "domestic_violence"),
        ("DVRO violation", "domestic_violence"),
        ("Violation of protective order", "domestic_violence"),
        ("Behavioral Health Crisis", "mental_health_crisis"),
        ("Person in crisis", "mental_health_crisis"),
        ("MH crisis", "mental_health_crisis"),
        ("Suicidal subject", "mental_health_crisis"),
        ("Unattended death", "death_notification"),
        ("Child Neglect / Welfare", "child_abuse"),
    ],
)
def test_real_cad_wordings_of_excluded_calls_are_caught(written: str, expected: str) -> None:
    from bot.scheduling.calltypes import DEFAULT_EXCLUDED, excluded_type

    assert excluded_type(written, DEFAULT_EXCLUDED, {}) == expected


@pytest.mark.parametrize(
    "written",
    [
        "Traffic stop",
        "Theft from vehicle",
        "Noise complaint",
        "Suspicious activity",
        "Burglary",
        "Welfare check",
        "Trespass",
        "Shoplifting",
        "Parking complaint",
        "Found property",
    ],
)
def test_ordinary_calls_stay_surveyable(written: str) -> None:
    from bot.scheduling.calltypes import DEFAULT_EXCLUDED, excluded_type

    assert excluded_type(written, DEFAULT_EXCLUDED, {}) is None


def test_an_agency_that_surveys_a_type_turns_its_stems_off_too() -> None:
    from bot.scheduling.calltypes import DEFAULT_EXCLUDED, excluded_type

    kept = DEFAULT_EXCLUDED - {"death_notification"}
    assert excluded_type("Unattended death", kept, {}) is None
