"""The shape of the seeded results data: shares, names and the residents' comments.

bench/seed_results.py draws every row from these with deterministic hashes in SQL. The shares
follow what post-contact SMS surveys report: most texts go unanswered, about a quarter of
residents finish, a few per cent are refused by a rule or opt out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# A weighted choice: (value, share); the shares of one list add up to 1.
Weights = Sequence[tuple[str, float]]

# English and Spanish dominate; the eleven others share the rest (13 languages in all).
LANGUAGES: Weights = (
    ("en", 0.60),
    ("es", 0.20),
    ("zh", 0.03),
    ("vi", 0.025),
    ("ar", 0.02),
    ("ht", 0.02),
    ("ru", 0.02),
    ("ko", 0.02),
    ("fr", 0.015),
    ("pt", 0.015),
    ("tl", 0.015),
    ("so", 0.01),
    ("zh-Hant", 0.01),
)

CHANNELS: Weights = (("sms", 0.75), ("whatsapp", 0.15), ("telegram", 0.10))

CALL_TYPES: Weights = (
    ("traffic stop", 0.22),
    ("disturbance", 0.09),
    ("suspicious person", 0.08),
    ("theft report", 0.08),
    ("welfare check", 0.07),
    ("noise complaint", 0.06),
    ("alarm", 0.05),
    ("burglary", 0.05),
    ("collision", 0.05),
    ("parking", 0.04),
    ("vandalism", 0.03),
    ("assault", 0.03),
    ("missing person", 0.02),
    ("fraud", 0.02),
    ("trespass", 0.02),
    ("animal complaint", 0.02),
    ("mental health", 0.02),
    ("domestic violence", 0.02),
    ("sexual assault", 0.01),
    ("juvenile", 0.02),
)

# How each survey ended; "live" ones (scheduled, active) are the recent part of the three
# unfinished outcomes, decided by age in SQL.
OUTCOMES: Weights = (
    ("refused", 0.05),
    ("opted_out", 0.025),
    ("complete", 0.28),
    ("undeliverable", 0.06),
    ("partial", 0.035),
    ("breakoff", 0.06),
    ("no_response", 0.49),
)

# Other refusals; a call type the rules exclude is always refused as excluded_call_type.
REFUSAL_REASONS: Weights = (
    ("stale_contact", 0.32),
    ("frequency_cap", 0.32),
    ("opted_out", 0.14),
    ("do_not_survey", 0.14),
    ("cancelled", 0.07),
    ("no_allowed_hour", 0.01),
)
EXCLUDED_CALL_TYPES = ("domestic violence", "sexual assault")

# post_contact's options for "what went wrong most" (flows/post_contact.yaml), in its order.
WHAT_WRONG: Weights = (
    ("not_listened", 0.22),
    ("disrespect", 0.20),
    ("no_explanation", 0.18),
    ("outcome", 0.22),
    ("wait_time", 0.12),
    ("other", 0.06),
)

# post_contact's questions in the order asked; what_wrong only follows an overall score <= 2.
QUESTIONS: Sequence[tuple[str, str]] = (
    ("listened", "yes_no"),
    ("respect", "scale"),
    ("explained", "scale"),
    ("overall", "scale"),
    ("what_wrong", "choice"),
    ("trust", "scale"),
    ("comment", "text"),
)

OFFICERS = 300
UNITS = 12
# Share of the residents who reach the comment question that write one (the rest reply "no").
COMMENT_SHARE = 0.45

# Comments by language and tone, each with its English translation (None for English).
Comment = tuple[str, str | None]
_EN_POSITIVE = (
    "The officer was patient and explained everything clearly. Thank you.",
    "Very professional and kind, even though it was late at night.",
    "He took the time to listen to my side of the story.",
    "Quick response and the officer followed up the next day.",
)
_EN_NEGATIVE = (
    "Nobody told me why I was stopped and I waited almost an hour.",
    "The officer was rude and did not let me finish what I was saying.",
    "I called twice and no one came until the next morning.",
    "I felt I was treated like a suspect when I was the one who called for help.",
)
COMMENTS: Mapping[str, Mapping[str, Sequence[Comment]]] = {
    "en": {
        "positive": tuple((text, None) for text in _EN_POSITIVE),
        "negative": tuple((text, None) for text in _EN_NEGATIVE),
    },
    "es": {
        "positive": (
            ("El agente fue paciente y me explicó todo con claridad. Gracias.", _EN_POSITIVE[0]),
            (
                "Me escuchó con atención y fue muy amable.",
                "He listened carefully and was very kind.",
            ),
        ),
        "negative": (
            ("Nadie me dijo por qué me pararon y esperé casi una hora.", _EN_NEGATIVE[0]),
            (
                "El agente fue grosero y no me dejó terminar.",
                "The officer was rude and did not let me finish.",
            ),
        ),
    },
    "zh": {
        "positive": (("警官很耐心，把一切都解释清楚了。谢谢。", _EN_POSITIVE[0]),),
        "negative": (("没有人告诉我为什么被拦下，我等了将近一个小时。", _EN_NEGATIVE[0]),),
    },
    "zh-Hant": {
        "positive": (("警官很有耐心，把一切都解釋清楚了。謝謝。", _EN_POSITIVE[0]),),
        "negative": (("沒有人告訴我為什麼被攔下，我等了將近一個小時。", _EN_NEGATIVE[0]),),
    },
    "vi": {
        "positive": (
            ("Cảnh sát rất kiên nhẫn và giải thích mọi thứ rõ ràng. Cảm ơn.", _EN_POSITIVE[0]),
        ),
        "negative": (
            (
                "Không ai nói cho tôi biết tại sao tôi bị chặn lại.",
                "Nobody told me why I was stopped.",
            ),
        ),
    },
    "ar": {
        "positive": (("كان الضابط صبورا وشرح كل شيء بوضوح. شكرا.", _EN_POSITIVE[0]),),
        "negative": (("كان الضابط وقحا ولم يتركني أكمل كلامي.", _EN_NEGATIVE[1]),),
    },
    "ht": {
        "positive": (
            ("Polis la te pasyan e li te eksplike tout bagay klè. Mèsi.", _EN_POSITIVE[0]),
        ),
        "negative": (
            ("Pèsonn pa t di m poukisa yo te kanpe m.", "Nobody told me why I was stopped."),
        ),
    },
    "ru": {
        "positive": (("Офицер был терпелив и всё ясно объяснил. Спасибо.", _EN_POSITIVE[0]),),
        "negative": (("Офицер был груб и не дал мне договорить.", _EN_NEGATIVE[1]),),
    },
    "ko": {
        "positive": (
            (
                "경찰관이 인내심을 갖고 모든 것을 명확하게 설명해 주었습니다. 감사합니다.",
                _EN_POSITIVE[0],
            ),
        ),
        "negative": (
            ("아무도 왜 저를 세웠는지 말해 주지 않았습니다.", "Nobody told me why I was stopped."),
        ),
    },
    "fr": {
        "positive": (
            ("L'agent a été patient et m'a tout expliqué clairement. Merci.", _EN_POSITIVE[0]),
        ),
        "negative": (
            (
                "L'agent a été impoli et ne m'a pas laissé finir.",
                "The officer was rude and did not let me finish.",
            ),
        ),
    },
    "pt": {
        "positive": (
            ("O policial foi paciente e explicou tudo com clareza. Obrigado.", _EN_POSITIVE[0]),
        ),
        "negative": (
            ("Ninguém me disse por que fui parado e esperei quase uma hora.", _EN_NEGATIVE[0]),
        ),
    },
    "tl": {
        "positive": (
            (
                "Matiyaga ang pulis at malinaw niyang ipinaliwanag ang lahat. Salamat.",
                _EN_POSITIVE[0],
            ),
        ),
        "negative": (
            (
                "Walang nagsabi sa akin kung bakit ako pinahinto.",
                "Nobody told me why I was stopped.",
            ),
        ),
    },
    "so": {
        "positive": (
            (
                "Sarkaalku wuu dulqaatay oo si cad ayuu wax walba iigu sharxay. Mahadsanid.",
                _EN_POSITIVE[0],
            ),
        ),
        "negative": (
            ("Qofna iima sheegin sababta la ii joojiyay.", "Nobody told me why I was stopped."),
        ),
    },
}


def bounds(weights: Weights) -> tuple[list[str], list[float]]:
    """Return the values and the lower bound of each one's share, for SQL's width_bucket."""
    values, lows, total = [], [], 0.0
    for value, share in weights:
        values.append(value)
        lows.append(total)
        total += share
    if abs(total - 1.0) > 1e-9:
        raise ValueError(f"shares add up to {total}, not 1: {values}")
    return values, lows
