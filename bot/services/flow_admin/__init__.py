"""Flows as admins edit them: drafts, published versions, rollback, diff, export.

The admin site calls these; so does `python -m bot flows export`. See README, Survey versions.
"""

from bot.services.flow_admin.diff import FlowDiff, QuestionDiff, TextChange, diff_versions
from bot.services.flow_admin.drafts import (
    DraftView,
    discard_draft,
    draft_flow,
    get_draft,
    open_draft,
    save_draft,
    save_draft_data,
)
from bot.services.flow_admin.errors import FlowAdminError, PublishRefusedError
from bot.services.flow_admin.versions import (
    Published,
    VersionInfo,
    export_files,
    list_versions,
    publish,
    rollback,
)

__all__ = [
    "DraftView",
    "FlowAdminError",
    "FlowDiff",
    "PublishRefusedError",
    "Published",
    "QuestionDiff",
    "TextChange",
    "VersionInfo",
    "diff_versions",
    "discard_draft",
    "draft_flow",
    "export_files",
    "get_draft",
    "list_versions",
    "open_draft",
    "publish",
    "rollback",
    "save_draft",
    "save_draft_data",
]
