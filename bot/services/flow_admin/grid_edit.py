"""Change a draft's translations from the grid: save a language, machine-draft it, approve it,
add or remove it. Each change rewrites only the files it touches and is audited.

Machine-drafted texts go into the language's translation file marked `machine: true`, which
keeps the whole language from residents until a person approves it (`machine: false`): the
file format marks languages, not single texts (docs/flows.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.flows.draft import machine_text
from bot.flows.emit import FLOW_HEADER, TRANSLATION_HEADER, dump_yaml, translation_file_name
from bot.flows.texts import base_file_name
from bot.ports import TranslationError
from bot.services.audit import Action, record
from bot.services.flow_admin.drafts import DraftView, open_draft
from bot.services.flow_admin.errors import FlowAdminError
from bot.services.flow_admin.grid import (
    DraftData,
    Path,
    build_grid,
    dig,
    localised,
    path_key,
    read_draft,
    translation_path,
    value_in,
)
from bot.services.runtime import Runtime


def load(rt: Runtime, flow_id: str, by: str | None = None) -> tuple[DraftView, DraftData]:
    """Open the flow's draft (copying the live version if needed) and read it as data."""
    view = open_draft(rt, flow_id, by)
    return view, read_draft(flow_id, view.files)


def save_language(
    rt: Runtime, flow_id: str, language: str, values: Mapping[str, str], by: str
) -> int:
    """Keep one language's texts as typed (blank removes); return how many changed."""
    _, draft = load(rt, flow_id, by)
    _offered(draft, language)
    changed = 0
    for path in localised(draft):
        typed = values.get(path_key(path))
        if typed is None:
            continue
        words = isinstance(value_in(draft, path, draft.inline[0]), list)
        new: Any = [w.strip() for w in typed.split(",") if w.strip()] if words else typed.strip()
        old = value_in(draft, path, language)
        if (new or None) != (old or None):
            _put(draft, path, language, new)
            changed += 1
    if changed:
        detail = f"translations: {language}, texts edited: {changed}"
        _store(rt, draft, language, by, detail, base=language in draft.inline)
    return changed


def machine_draft(rt: Runtime, flow_id: str, language: str, by: str) -> int:
    """Fill a language's missing texts with the translator and mark it a machine draft."""
    if rt.translator is None:
        raise FlowAdminError({"translator": "no machine translator is configured (TRANSLATOR)"})
    _, draft = load(rt, flow_id, by)
    _offered(draft, language)
    if language in draft.inline:
        raise FlowAdminError({"language": f"{language} is written in the flow file itself"})
    base = build_grid(draft).base
    filled = 0
    try:
        for path in localised(draft):
            source = value_in(draft, path, base)
            if isinstance(source, str) and not value_in(draft, path, language):
                text = machine_text(rt.translator, base, language, source)
                if text:
                    _put(draft, path, language, text)
                    filled += 1
    except TranslationError as exc:
        raise FlowAdminError({"translator": f"the translator failed ({exc})"}) from None
    if filled:
        draft.translations[language]["machine"] = True
        _store(rt, draft, language, by, f"translations: {language}, machine-drafted: {filled}")
    return filled


def approve(rt: Runtime, flow_id: str, language: str, by: str) -> None:
    """Mark a machine-drafted language reviewed by a person (`machine: false`)."""
    _, draft = load(rt, flow_id, by)
    doc = draft.translations.get(language)
    if doc is None or not doc.get("machine"):
        raise FlowAdminError({"language": f"{language} is not a machine draft"})
    doc["machine"] = False
    _store(rt, draft, language, by, f"translations: {language} approved")


def add_language(rt: Runtime, flow_id: str, language: str, by: str) -> None:
    """Add an empty translation file for one of the app's languages."""
    _, draft = load(rt, flow_id, by)
    if language not in rt.locales:
        raise FlowAdminError({"language": f"Parley has no locale {language!r}"})
    if language in draft.languages:
        raise FlowAdminError({"language": f"the flow already offers {language}"})
    draft.translations[language] = {
        "flow": flow_id,
        "language": language,
        "machine": False,
        "nodes": {},
    }
    _store(rt, draft, language, by, f"translations: {language} added")


def remove_language(rt: Runtime, flow_id: str, language: str, by: str) -> None:
    """Take a language out of the draft: its file, or its texts in the flow file."""
    _, draft = load(rt, flow_id, by)
    _offered(draft, language)
    if language == build_grid(draft).base:
        raise FlowAdminError({"language": "the base language cannot be removed"})
    inline = language in draft.inline
    if inline:
        for path in list(localised(draft)):
            dig(draft.base, path).pop(language, None)
        draft.base["languages"] = [lang for lang in draft.inline if lang != language]
    else:
        del draft.translations[language]
    _store(rt, draft, language, by, f"translations: {language} removed", base=inline)


def _offered(draft: DraftData, language: str) -> None:
    """Refuse a language the draft does not offer."""
    if language not in draft.languages:
        raise FlowAdminError({"language": f"the flow does not offer {language!r}"})


def _put(draft: DraftData, path: Path, language: str, value: Any) -> None:
    """Set (or, for a blank value, remove) one field's value in one language."""
    if language in draft.inline:
        field = dig(draft.base, path)
        if value:
            field[language] = value
        else:
            field.pop(language, None)
        return
    keys = translation_path(draft.base, path)
    _put_nested(draft.translations[language], [str(key) for key in keys], value)


def _put_nested(doc: dict[str, Any], keys: list[str], value: Any) -> None:
    """Set a nested value, making mappings on the way; remove it (and emptied parents) if blank."""
    if len(keys) == 1:
        if value:
            doc[keys[0]] = value
        else:
            doc.pop(keys[0], None)
        return
    inner = doc.setdefault(keys[0], {})
    _put_nested(inner, keys[1:], value)
    if not inner and keys[0] != "nodes":
        doc.pop(keys[0])


def _store(
    rt: Runtime, draft: DraftData, language: str, by: str, detail: str, base: bool = False
) -> None:
    """Write back one language's file (and the flow file if `base`), audited, in one commit."""
    with rt.uow() as uow:
        saved = uow.flows.draft(draft.flow_id)
        if saved is None:
            raise FlowAdminError({"flow": "the draft was discarded meanwhile"})
        files = dict(saved.files)
        if base:
            files[base_file_name(draft.flow_id)] = dump_yaml(draft.base, FLOW_HEADER)
        name = translation_file_name(draft.flow_id, language)
        doc = draft.translations.get(language)
        if doc is not None:
            files[name] = dump_yaml(doc, TRANSLATION_HEADER)
        elif not base:
            files.pop(name, None)
        now = rt.clock()
        uow.flows.save_draft(draft.flow_id, files, saved.based_on, by, now)
        record(uow, by, Action.FLOW_DRAFT_SAVED, draft.flow_id, detail, now)
        uow.commit()
