"""Small English and Spanish locales and a survey flow, built in code for the engine tests."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from bot.engine.conversation import Context, begin, step
from bot.engine.flowdef import flow_from_dict, flow_problems
from bot.engine.locale import locale_from_dict
from bot.engine.model import AnswerRecord, Flow, Locale, StepResult

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
VALUES = {"agency": "Springfield PD", "complaints": "555-0100", "help": "555-0199"}

EN_LOCALE: dict[str, Any] = {
    "code": "en",
    "name": "English",
    "direction": "ltr",
    "messages": {
        "hint_yes_no": "Reply YES or NO.",
        "hint_scale": "Reply {min} ({min_label}) to {max} ({max_label}).",
        "hint_skip": "Reply SKIP to skip.",
        "reprompt": "Sorry, I didn't get that.",
        "reprompt_text": "Sorry, I got an empty message.",
        "stop_confirm": "You will get no more messages from {agency}. Reply START to resume.",
        "nosurvey_confirm": "{agency} will send you no more surveys.",
        "start_confirm": "Welcome back to the {agency} survey.",
        "help": "{agency} survey. Questions: {help}. Reply STOP to stop.",
        "unknown": "'{keyword}' is not a word I know.",
        "completed": "This survey is complete. Thank you!",
        "reminder": "A reminder: we'd love your answer.",
        "expired": "This survey has closed.",
        "recently_surveyed": "Thank you, you took this survey recently.",
        "language_menu": "Reply with a language:",
        "language_buttons": "Choose your language:",
        "language_switched": "OK, English from now on.",
        "emergency": "{agency}: not monitored. In an emergency, call {emergency}.",
        "media_only": "Please answer in text.",
        "language_set": "OK, we'll write in English.",
        "card_invalid": "{agency}: we couldn't find that card code.",
        "card_used": "{agency}: this card's survey has already been started.",
        "card_expired": "{agency}: this card is no longer valid.",
        "card_wait": "{agency}: too many card codes were tried. Try again in an hour.",
        "card_line": "Scan or text the code to tell {agency} how we did.",
        "group_chat": "{agency}: surveys are answered in a private chat with this bot.",
        "button_stale": "This question has already been answered.",
        "erase_confirm": "{agency}: reply YES to delete your answers, or NO to keep them.",
        "erase_done": "{agency}: your answers have been deleted. Reply START to come back.",
        "erase_kept": "{agency}: nothing was deleted.",
    },
    "numbers": {
        "zero": 0,
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
    },
    "yes": ["yes", "y", "yeah", "yep", "sure", "correct"],
    "no": ["no", "n", "nope", "nah"],
    "skip": ["skip", "pass"],
    "keywords": {"stop": ["stop"], "start": ["start"], "help": ["help"], "language": ["language"]},
}

ES_LOCALE: dict[str, Any] = {
    "code": "es",
    "name": "Español",
    "direction": "ltr",
    "messages": {
        "hint_yes_no": "Responda SÍ o NO.",
        "hint_scale": "Responda de {min} ({min_label}) a {max} ({max_label}).",
        "hint_skip": "Responda OMITIR para saltar.",
        "reprompt": "Perdone, no le entendí.",
        "reprompt_text": "Perdone, recibí un mensaje vacío.",
        "stop_confirm": "No recibirá más mensajes de {agency}. Responda ALTA para volver.",
        "nosurvey_confirm": "{agency} no le enviará más encuestas.",
        "start_confirm": "Bienvenido de nuevo a la encuesta de {agency}.",
        "help": "Encuesta de {agency}. Preguntas: {help}. Responda ALTO para parar.",
        "unknown": "'{keyword}' no es una palabra que conozca.",
        "completed": "La encuesta ha terminado. ¡Gracias!",
        "reminder": "Un recordatorio: nos encantaría su respuesta.",
        "expired": "Esta encuesta se cerró.",
        "recently_surveyed": "Gracias, respondió esta encuesta hace poco.",
        "language_menu": "Responda con un idioma:",
        "language_buttons": "Elija su idioma:",
        "language_switched": "De acuerdo, en español a partir de ahora.",
        "emergency": "{agency}: nadie lee este canal. En una emergencia, llame al {emergency}.",
        "media_only": "Responda con texto, por favor.",
        "language_set": "De acuerdo, le escribiremos en español.",
        "card_invalid": "{agency}: no encontramos ese código de tarjeta.",
        "card_used": "{agency}: la encuesta de esta tarjeta ya se inició.",
        "card_expired": "{agency}: esta tarjeta ya no es válida.",
        "card_wait": "{agency}: demasiados códigos. Vuelva a intentarlo en una hora.",
        "card_line": "Escanee o envíe el código para decirle a {agency} cómo lo atendimos.",
        "group_chat": "{agency}: las encuestas se responden en un chat privado con este bot.",
        "button_stale": "Esta pregunta ya tiene respuesta.",
        "erase_confirm": "{agency}: responda SI para borrar sus respuestas, o NO para guardarlas.",
        "erase_done": "{agency}: hemos borrado sus respuestas. Responda START para volver.",
        "erase_kept": "{agency}: no se ha borrado nada.",
    },
    "numbers": {
        "cero": 0,
        "uno": 1,
        "una": 1,
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
        "diez": 10,
    },
    "yes": ["si", "sí", "s", "claro", "correcto"],
    "no": ["no", "n", "nop"],
    "skip": ["omitir", "saltar"],
    "keywords": {
        "stop": ["alto", "parar", "no más mensajes", "baja", "cancelar"],
        "stop_alone": ["no más"],
        "nosurvey": ["no encuesta", "no más encuestas"],
        "start": ["inicio", "alta"],
        "help": ["ayuda"],
        "language": ["idioma"],
    },
    # Spanish filler, units and "out of" words live in the locale (English ones are built in).
    "filler": ["por favor", "ya", "gracias", "mensajes"],
    "units": ["estrella", "estrellas"],
    "out_of": ["de", "sobre"],
}

SURVEY: dict[str, Any] = {
    "id": "post_contact",
    "name": "Post-contact survey",
    "base_language": "en",
    "languages": ["en", "es"],
    "keywords": {"en": ["SURVEY"], "es": ["ENCUESTA"]},
    "start": "intro",
    "nodes": [
        {
            "id": "intro",
            "type": "message",
            "text": {
                "en": "{agency}: thank you for your time.",
                "es": "{agency}: gracias por su tiempo.",
            },
            "next": "respect",
        },
        {
            "id": "respect",
            "type": "scale",
            "min": 1,
            "max": 5,
            "min_label": {"en": "not at all", "es": "nada"},
            "max_label": {"en": "completely", "es": "totalmente"},
            "text": {
                "en": "Did the officer treat you with respect?",
                "es": "¿El agente le trató con respeto?",
            },
            "next": [{"when": {"lte": 2}, "goto": "why_low"}, {"goto": "reason"}],
        },
        {
            "id": "why_low",
            "type": "text",
            "skip_words": {"en": ["nothing"], "es": ["nada"]},
            "max_length": 40,
            "text": {"en": "What went wrong?", "es": "¿Qué salió mal?"},
            "next": "reason",
        },
        {
            "id": "reason",
            "type": "choice",
            "options": [
                {
                    "value": "traffic",
                    "label": {"en": "Traffic", "es": "Tráfico"},
                    "synonyms": {"en": ["car", "driving"], "es": ["coche", "carro"]},
                },
                {"value": "noise", "label": {"en": "Noise complaint", "es": "Queja por ruido"}},
                {"value": "crime", "label": {"en": "Reporting a crime", "es": "Denunciar delito"}},
                {"value": "other", "label": {"en": "Other", "es": "Otro"}},
            ],
            "text": {"en": "What was the contact about?", "es": "¿De qué se trató el contacto?"},
            "next": "again",
        },
        {
            "id": "again",
            "type": "yes_no",
            "retries": 1,
            "text": {
                "en": "Would you contact {agency} again?",
                "es": "¿Volvería a contactar a {agency}?",
            },
            "next": [{"when": {"eq": False}, "goto": "concern"}, {"goto": "recommend"}],
        },
        {
            "id": "concern",
            "type": "message",
            "text": {
                "en": "To raise a concern, call {complaints}.",
                "es": "Para presentar una queja, llame al {complaints}.",
            },
            "next": "recommend",
        },
        {
            "id": "recommend",
            "type": "nps",
            "min_label": {"en": "not likely", "es": "nada probable"},
            "max_label": {"en": "very likely", "es": "muy probable"},
            "text": {
                "en": "How likely are you to recommend {agency}?",
                "es": "¿Qué probabilidad hay de que recomiende a {agency}?",
            },
            "next": "comment",
        },
        {
            "id": "comment",
            "type": "text",
            "text": {"en": "Anything else?", "es": "¿Algo más?"},
            "next": "bye",
        },
        {
            "id": "bye",
            "type": "end",
            "text": {"en": "Thank you!", "es": "¡Gracias!"},
        },
    ],
}


def survey_dict() -> dict[str, Any]:
    """Return a fresh deep copy of the survey flow mapping, safe to modify in a test."""
    return copy.deepcopy(SURVEY)


def make_flow(data: dict[str, Any] | None = None) -> Flow:
    """Build a Flow from a mapping (the survey by default), failing on any flow problem."""
    data = survey_dict() if data is None else data
    problems = flow_problems(data)
    assert problems == [], problems
    return flow_from_dict(data, version="test")


def locales() -> dict[str, Locale]:
    """Return the English and Spanish test locales by code."""
    return {"en": locale_from_dict(EN_LOCALE), "es": locale_from_dict(ES_LOCALE)}


def context() -> Context:
    """Return a conversation Context with both locales and the placeholder values."""
    return Context(locales=locales(), values=VALUES)


def run(
    flow: Flow, language: str, says: list[str], ctx: Context | None = None
) -> tuple[list[StepResult], list[AnswerRecord]]:
    """Begin a conversation and feed it the resident's replies; return every result."""
    ctx = context() if ctx is None else ctx
    results = [begin(flow, language, ctx)]
    for text in says:
        results.append(step(flow, results[-1].state, text, NOW, ctx))
    return results, [answer for result in results for answer in result.answers]


def flow_of(*nodes: dict[str, Any], languages: tuple[str, ...] = ("en", "es")) -> Flow:
    """Build a small flow from node mappings (English and Spanish texts made up)."""
    for raw in nodes:
        raw.setdefault("text", {code: f"{raw['id']} ({code})" for code in languages})
    return make_flow({"id": "t", "base_language": "en", "languages": list(languages),
                      "nodes": list(nodes)})  # fmt: skip
