"""Name call types one way, and recognise an excluded one however a CAD system writes it.

A call type is normalised by folding it (bot.scheduling.callwords.fold: NFKC, no invisible
format characters, case and accents folded) and turning every run of characters other than
letters, digits and dots into one underscore: "Mental Health (Crisis)" -> mental_health_crisis,
"10-96" -> 10_96, "273.5" stays 273.5. The result is then looked up in the agency's own aliases
(survey_rules.yaml `call_type_aliases`) and in BUILT_IN_ALIASES below.

`excluded_type` decides whether a call is one after which no text may go out. It refuses when
unsure, because a missed survey costs nothing and a text after a domestic-violence call can
cost a life. A call type is excluded when, read as words (callwords.words), it holds:
1. an excluded type's name or one of its aliases, word for word, where each written word may be
   the term's word, that word numbered ("DV1"), an abbreviation of three letters or more
   ("Dom. Viol."), or for long words one typo away ("Domestc Violence"); initialisms are
   read whole whatever their punctuation ("D.V.", "D/V", "D\u200bV" -> "dv");
2. or a danger stem (DANGER_STEMS) anywhere, separators ignored ("DVRO violation").

BUILT_IN_ALIASES holds codes that mean the same thing in most US CAD systems, a few California
Penal Code sections CAD systems there use as call types, the wordings dispatchers use for the
same calls ("Family Disturbance", "DOA"), and the usual Spanish, French and Portuguese terms
(accents are folded, so "Violencia doméstica" and "Violencia Domestica" are one term). Two-letter
codes other than DV are left out on purpose: "SA" is sexual assault in one agency and suspicious
activity in the next, and excluding every suspicious-activity call would silently end most
surveys. tests/unit/test_cad_spellings.py keeps a table of real spellings that must be refused
and of everyday calls that must stay surveyable. Agencies map their own codes (10-codes, signal
codes, "415D") with `call_type_aliases`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from bot.scheduling.callwords import contains, fold, words

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
        # What dispatchers call the same calls: a family fight is a DV call until shown not.
        "family_disturbance",
        "family_dispute",
        "family_fight",
        "spousal_abuse",
        "violencia_domestica",
        "violencia_familiar",
        "violencia_intrafamiliar",
        "violencia_de_genero",
        "violence_conjugale",
        "violence_familiale",
        "violence_domestique",
    ),
    SEXUAL_ASSAULT: (
        "rape",
        "sex_assault",
        "sex_aslt",
        "sexual_battery",
        "sex_offense",
        "261",
        "agresion_sexual",
        "abuso_sexual",
        "violacion_sexual",
        "agression_sexuelle",
    ),
    CHILD_ABUSE: (
        "child_neglect",
        "child_endangerment",
        "child_molestation",
        "273a",
        "288",
        "abuso_infantil",
        "maltrato_infantil",
        "abuso_de_menores",
        "maltraitance_enfant",
    ),
    DEATH_NOTIFICATION: (
        "death_notify",
        "next_of_kin_notification",
        "nok_notification",
        "doa",  # dead on arrival: the family is told of a death
        "dead_on_arrival",
        "dead_body",
        "notificacion_de_muerte",
    ),
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
        "suicidio",
        "intento_de_suicidio",
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
            "domviol",
            "dvro",
            "protectiveorder",
            "protectionorder",
            "restrainingorder",
            "familyviolence",
            "partnerviolence",
            "datingviolence",
            "stalk",
        ),
        SEXUAL_ASSAULT: (
            "sexual",
            "sexuel",
            "sexassault",
            "sexoffen",
            "rape",
            "molest",
            "indecent",
        ),
        CHILD_ABUSE: ("childabuse", "childneglect", "childendanger", "childsex", "childwelfare"),
        DEATH_NOTIFICATION: ("death", "deceas", "nextofkin", "muerte", "fallecid"),
        MENTAL_HEALTH_CRISIS: (
            "crisis",
            "mentalhealth",
            "mentalillness",
            "behavioralhealth",
            "behaviouralhealth",
            "psych",
            "suicid",
            "saludmental",
        ),
    }
)

BUILT_IN_ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: name for name, aliases in _ALIASES_OF.items() for alias in aliases}
)

_SEPARATORS = re.compile(r"(?:[^\w.]|_)+")
# Each built-in code as the words it is matched by ("273.5" -> ("273", "5")).
_TERMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {code: words(code) for code in BUILT_IN_ALIASES}
)


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
    """Fold width, format characters, case, accents and separators so spellings compare equal."""
    return _SEPARATORS.sub("_", fold(raw)).strip("_.")


def excluded_type(raw: str, excluded: frozenset[str], aliases: Mapping[str, str]) -> str | None:
    """Return the excluded call type `raw` names, abbreviates or contains, else None.

    Containment is on purpose: "Domestic Violence - Follow Up" and "DV in progress" must be
    excluded too, since texting after them is as dangerous. A wrongly excluded call costs one
    survey; a wrongly included one may put someone at risk.
    """
    named = normalise_call_type(raw, aliases)
    if named in excluded:
        return named
    written = words(fold(raw))
    # The agency's aliases override built-in ones with the same code, as in normalise_call_type.
    table = {**BUILT_IN_ALIASES, **aliases, **{name: name for name in excluded}}
    for code, target in table.items():
        if target in excluded and contains(written, _TERMS.get(code) or words(code)):
            return target
    return _stem_match("".join(written), excluded)


def _stem_match(squashed: str, excluded: frozenset[str]) -> str | None:
    """Return the excluded type whose danger stem appears anywhere in the call type."""
    for target, stems in DANGER_STEMS.items():
        if target in excluded and any(stem in squashed for stem in stems):
            return target
    return None
