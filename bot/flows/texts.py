"""A flow's files held as texts (file name -> YAML), as the database keeps each version.

The same names and contents as in flows/: `<flow>.yaml` and one `<flow>.<language>.yaml` per
translation, parsed and checked exactly as bot.flows.sources reads them from disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.flows.sources import (
    FLOW_SUFFIXES,
    FlowFileError,
    FlowSource,
    attach_translations,
    is_translation_file,
    parse_flow_file,
    parse_translation_file,
)


def base_file_name(flow_id: str) -> str:
    """Return the name of a flow's own file."""
    return f"{flow_id}.yaml"


def source_of_texts(flow_id: str, files: Mapping[str, str]) -> FlowSource:
    """Parse a flow's files held as texts; raise FlowFileError naming a file and a line."""
    bases = [name for name in files if not is_translation_file(Path(name))]
    for name in files:
        if Path(name).suffix not in FLOW_SUFFIXES or Path(name).name != name:
            raise FlowFileError(Path(name), 1, "a flow file's name ends in .yaml")
    if bases != [base_file_name(flow_id)]:
        reason = f"flow {flow_id!r} needs exactly one flow file, {base_file_name(flow_id)}"
        raise FlowFileError(Path(bases[0] if bases else base_file_name(flow_id)), 1, reason)
    name = bases[0]
    base = parse_flow_file(files[name].encode("utf-8"), Path(name))
    if base.id != flow_id:
        line = base.doc.line_of(("id",))
        raise FlowFileError(Path(name), line, f"id {base.id!r} should be {flow_id!r}")
    translations = (
        parse_translation_file(files[other].encode("utf-8"), Path(other))
        for other in sorted(files)
        if other != name
    )
    return attach_translations({flow_id: base}, translations)[flow_id]
