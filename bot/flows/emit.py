"""Write a flow's data as flow files again: for drafts edited in forms, and old versions.

Published versions keep their files' texts and are exported byte for byte; only data edited
in the browser (or a version recorded before files were kept) is written out here, in a plain
block style that bot.flows.yamlpos reads back to the same data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.flows.sources import FlowFileError
from bot.flows.texts import base_file_name
from bot.flows.yamlpos import parse_document

FLOW_HEADER = "# yaml-language-server: $schema=schema.json\n"
TRANSLATION_HEADER = "# yaml-language-server: $schema=translation.schema.json\n"


def dump_yaml(data: Mapping[str, Any], header: str) -> str:
    """Write one file's data as block-style YAML, keys in their given order."""
    body = yaml.safe_dump(
        dict(data), allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )
    return header + body


def translation_file_name(flow_id: str, language: str) -> str:
    """Return the name of a flow's translation file into `language`."""
    return f"{flow_id}.{language}.yaml"


def files_of_data(
    base: Mapping[str, Any], translations: Sequence[Mapping[str, Any]] = ()
) -> dict[str, str]:
    """Write a flow file's data and its translations' data as the files of flows/."""
    flow_id = str(base["id"])
    files = {base_file_name(flow_id): dump_yaml(base, FLOW_HEADER)}
    for translation in translations:
        name = translation_file_name(flow_id, str(translation["language"]))
        files[name] = dump_yaml(translation, TRANSLATION_HEADER)
    return files


def data_of_files(files: Mapping[str, str]) -> dict[str, Any]:
    """Read each file's data back, by file name, as start-up reads it; FlowFileError if broken."""
    return {
        name: parse_document(text.encode("utf-8"), Path(name), FlowFileError).data
        for name, text in files.items()
    }
