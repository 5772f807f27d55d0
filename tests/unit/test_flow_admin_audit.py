"""The flow admin services record who changed a flow in the audit log, in the change's commit."""

from __future__ import annotations

import pytest

from bot.services.audit import SYSTEM
from bot.services.flow_admin import (
    FlowAdminError,
    PublishRefusedError,
    discard_draft,
    open_draft,
    publish,
    rollback,
    save_draft,
)
from bot.services.flow_routes import remove_route, set_route
from bot.services.runtime import Runtime
from storage.models import AuditEntry
from tests.fakes import FakeDatabase
from tests.unit.test_flow_admin import BASE, _edited, _first_version, _shipped

ADMIN = "admin@example.org"


def _entries(database: FakeDatabase) -> list[tuple[str, str, str, str]]:
    """Return every stored audit entry as (actor, action, subject, detail), oldest first."""
    entries = database.all(AuditEntry)
    return [(e.actor, e.action, e.subject, e.detail) for e in entries]


def test_drafts_publishing_and_rollback_are_audited(rt: Runtime, database: FakeDatabase) -> None:
    _first_version(rt)
    open_draft(rt, "post_contact", by=ADMIN)
    open_draft(rt, "post_contact", by=ADMIN)  # already open: nothing new to record
    save_draft(rt, "post_contact", _edited(BASE, "next: listened", "next: nowhere"), by=ADMIN)
    with pytest.raises(PublishRefusedError):
        publish(rt, "post_contact", by=ADMIN)
    save_draft(rt, "post_contact", _shipped(), by=ADMIN)
    publish(rt, "post_contact", by=ADMIN)
    rollback(rt, "post_contact", 1, by=ADMIN)
    open_draft(rt, "post_contact")
    assert discard_draft(rt, "post_contact", by=ADMIN)
    assert not discard_draft(rt, "post_contact", by=ADMIN)
    assert _entries(database) == [
        (ADMIN, "flow_draft_saved", "post_contact", "no problems"),
        (SYSTEM, "flow_published", "post_contact", "version 1"),
        (ADMIN, "flow_draft_saved", "post_contact", "opened a draft from version 1"),
        (ADMIN, "flow_draft_saved", "post_contact", "10 problem(s)"),
        (ADMIN, "flow_draft_saved", "post_contact", "no problems"),
        (ADMIN, "flow_published", "post_contact", "version 2"),
        (ADMIN, "flow_rolled_back", "post_contact", "version 1 published again as version 3"),
        (SYSTEM, "flow_draft_saved", "post_contact", "opened a draft from version 3"),
        (ADMIN, "flow_draft_discarded", "post_contact", ""),
    ]


def test_route_changes_are_audited_and_refusals_are_not(
    rt: Runtime, database: FakeDatabase
) -> None:
    set_route(rt, "Traffic Stop", "post_contact", by=ADMIN)
    with pytest.raises(FlowAdminError):
        set_route(rt, "Theft", "no_such_flow", by=ADMIN)
    assert remove_route(rt, "traffic stop", by=ADMIN)
    assert not remove_route(rt, "traffic stop", by=ADMIN)
    assert _entries(database) == [
        (ADMIN, "route_changed", "traffic_stop", "to flow post_contact"),
        (ADMIN, "route_changed", "traffic_stop", "route removed"),
    ]
