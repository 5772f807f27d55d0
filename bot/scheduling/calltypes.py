"""Name call types one way: "Domestic Violence", "domestic-violence" and "DV" are one type.

A call type is normalised by case-folding it and turning every run of characters other than
letters, digits and dots into one underscore: "Mental Health (Crisis)" -> mental_health_crisis,
"10-96" -> 10_96, "273.5" stays 273.5. The result is then looked up in the agency's own aliases
(survey_rules.yaml `call_type_aliases`) and in BUILT_IN_ALIASES below.

BUILT_IN_ALIASES holds only codes that mean the same thing in most US CAD systems, plus a few
California Penal Code sections CAD systems there use as call types. Two-letter codes other than
DV are left out on purpose: "SA" is sexual assault in one agency and suspicious activity in the
next, and excluding every suspicious-activity call would silently end most surveys. Agencies
map their own codes (10-codes, signal codes, "415D") with `call_type_aliases`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

DOMESTIC_VIOLENCE = "domestic_violence"
SEXUAL_ASSAULT = "sexual_assault"
CHILD_ABUSE = "child_abuse"
DEATH_NOTIFICATION = "death_notification"
MENTAL_HEALTH_CRISIS = "mental_health_crisis"

# Calls after which a text could endanger someone or cause harm: never surveyed by default.
DEFAULT_EXCLUDED = frozenset(
    {DOMESTIC_VIOLENCE, SEXUAL_ASSAULT, CHILD_ABUSE, DEATH_NOTIFICATION, MENTAL_HEALTH_CRISIS}
)

_ALIASES_OF: Mapping[str, tuple[str, ...]] = {
    DOMESTIC_VIOLENCE: (
        "dv",
        "domestic",
        "domestic_assault",
        "domestic_battery",
        "family_violence",
        "intimate_partner_violence",
        "ipv",
        "273.5",  # California PC 273.5: corporal injury on a spouse or cohabitant
    ),
    SEXUAL_ASSAULT: ("rape", "sex_assault", "sexual_battery", "sex_offense", "261"),
    CHILD_ABUSE: ("child_neglect", "child_endangerment", "child_molestation", "273a", "288"),
    DEATH_NOTIFICATION: ("death_notify", "next_of_kin_notification", "nok_notification"),
    MENTAL_HEALTH_CRISIS: (
        "mental_health",
        "mental_crisis",
        "crisis_intervention",
        "psychiatric_emergency",
        "emotionally_disturbed_person",
        "edp",
        "suicide",
        "suicidal",
        "suicide_attempt",
        "suicide_threat",
        "5150",  # California WIC 5150: involuntary psychiatric hold
    ),
}
# Word stems that mark a call as one of the excluded types wherever they appear, separators
# ignored ("Child Sexual Abuse", "sexualassault", "DVRO violation", "Person in crisis"). Broad
# on purpose: a wrongly excluded call costs one survey; a wrongly included one may cost a life.
DANGER_STEMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        DOMESTIC_VIOLENCE: (
            "domestic",
            "dvro",
            "protectiveorder",
            "protectionorder",
            "restrainingorder",
            "familyviolence",
            "partnerviolence",
            "datingviolence",
            "stalk",
        ),
        SEXUAL_ASSAULT: ("sexual", "sexassault", "sexoffen", "rape", "molest", "indecent"),
        CHILD_ABUSE: ("childabuse", "childneglect", "childendanger", "childsex", "childwelfare"),
        DEATH_NOTIFICATION: ("death", "nextofkin"),
        MENTAL_HEALTH_CRISIS: (
            "crisis",
            "mentalhealth",
            "mentalillness",
            "behavioralhealth",
            "behaviouralhealth",
            "psych",
            "suicid",
        ),
    }
)

BUILT_IN_ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: name for name, aliases in _ALIASES_OF.items() for alias in aliases}
)

_SEPARATORS = re.compile(r"(?:[^\w.]|_)+")


def normalise_call_type(raw: str, aliases: Mapping[str, str] | None = None) -> str:
    """Return the canonical name of a call type, resolving agency and built-in aliases."""
    key = _spelling(raw)
    # The agency's table first: an agency may give a built-in code its own meaning.
    return (aliases or {}).get(key) or BUILT_IN_ALIASES.get(key) or key


def normalise_aliases(aliases: Mapping[str, str]) -> Mapping[str, str]:
    """Return an agency alias table with both sides normalised, targets through built-ins."""
    return MappingProxyType(
        {_spelling(code): normalise_call_type(target) for code, target in aliases.items()}
    )


def readable(call_type: str) -> str:
    """Return a canonical call type as words for explanations: "domestic violence"."""
    return call_type.replace("_", " ")


def _spelling(raw: str) -> str:
    """Fold case, width and separators so spellings of one code compare equal."""
    folded = unicodedata.normalize("NFKC", raw).casefold()
    return _SEPARATORS.sub("_", folded).strip("_.")


def excluded_type(raw: str, excluded: frozenset[str], aliases: Mapping[str, str]) -> str | None:
    """Return the excluded call type `raw` names or contains as whole words, else None.

    Containment is on purpose: "Domestic Violence - Follow Up" and "DV in progress" must be
    excluded too, since texting after them is as dangerous. A wrongly excluded call costs one
    survey; a wrongly included one may put someone at risk.
    """
    spelled = _spelling(raw)
    named = normalise_call_type(raw, aliases)
    if named in excluded:
        return named
    # The agency's aliases override built-in ones with the same code, as in normalise_call_type.
    table = {**BUILT_IN_ALIASES, **aliases, **{name: name for name in excluded}}
    padded = f"_{spelled}_"
    for code, target in table.items():
        if target in excluded and f"_{code}_" in padded:
            return target
    return _stem_match(spelled, excluded)


def _stem_match(spelled: str, excluded: frozenset[str]) -> str | None:
    """Return the excluded type whose danger stem appears anywhere in the call type."""
    squashed = re.sub(r"[^0-9a-z]", "", spelled)
    for target, stems in DANGER_STEMS.items():
        if target in excluded and any(stem in squashed for stem in stems):
            return target
    return None
