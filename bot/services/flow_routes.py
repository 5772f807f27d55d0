"""Which flow a survey uses when none is named: by its call type, else the default flow.

The table is set by admins (the admin site, `python -m bot flows route`); the API, the CSV
import and the officer page follow it. Call types are stored as the send rules read them
(`Traffic Stop`, `TRAFFIC-STOP` and an agency's alias for it are one route). Until an admin
sets a default route, the default is the DEFAULT_FLOW setting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.ports import UnitOfWork
from bot.scheduling.calltypes import normalise_call_type
from bot.services.audit import SYSTEM, Action, record
from bot.services.flow_admin.errors import FlowAdminError
from bot.services.runtime import Runtime
from storage.models import DEFAULT_ROUTE

log = logging.getLogger(__name__)

_MAX_CALL_TYPE = 64


@dataclass(frozen=True)
class Routes:
    """The routing table: the default flow and each call type's own flow."""

    default: str
    by_call_type: dict[str, str]
    # The default comes from the DEFAULT_FLOW setting, as no admin has set one.
    default_from_settings: bool


def route_key(rt: Runtime, call_type: str) -> str:
    """Return the key a call type is routed under ("" and "*": the default route)."""
    if call_type.strip() in ("", DEFAULT_ROUTE):
        return DEFAULT_ROUTE
    key = normalise_call_type(call_type, rt.policy.call_type_aliases)
    if not key or len(key) > _MAX_CALL_TYPE:
        raise FlowAdminError({"call_type": f"must be a call type of 1 to {_MAX_CALL_TYPE} letters"})
    return key


def set_route(rt: Runtime, call_type: str, flow_id: str, by: str | None = None) -> str:
    """Route surveys of a call type ("*": the default) to a live flow; return the route's key."""
    key = route_key(rt, call_type)
    if flow_id not in rt.flows:
        offered = ", ".join(sorted(rt.flows))
        raise FlowAdminError({"flow": f"no live flow {flow_id!r} (flows: {offered})"})
    with rt.uow() as uow:
        uow.flows.set_route(key, flow_id, by, rt.clock())
        record(uow, by or SYSTEM, Action.ROUTE_CHANGED, key, f"to flow {flow_id}", rt.clock())
        uow.commit()
    log.info("call type %s now routed to flow %s", key, flow_id)
    return key


def remove_route(rt: Runtime, call_type: str, by: str | None = None) -> bool:
    """Stop routing a call type to a flow of its own; say whether it had one."""
    key = route_key(rt, call_type)
    with rt.uow() as uow:
        removed = uow.flows.remove_route(key)
        if removed:
            record(uow, by or SYSTEM, Action.ROUTE_CHANGED, key, "route removed", rt.clock())
        uow.commit()
    return removed


def read_routes(rt: Runtime) -> Routes:
    """Return the routing table, the default flow included."""
    with rt.uow() as uow:
        table = uow.flows.routes()
    default = table.pop(DEFAULT_ROUTE, None)
    return Routes(default or rt.default_flow, table, default is None)


def routed_flow(rt: Runtime, uow: UnitOfWork, call_type: str | None) -> str:
    """Return the flow a survey of this call type starts: its route, else the default."""
    if call_type and call_type.strip() not in ("", DEFAULT_ROUTE):
        key = normalise_call_type(call_type, rt.policy.call_type_aliases)
        flow_id = uow.flows.route(key)
        if flow_id is not None:
            return flow_id
    return uow.flows.route(DEFAULT_ROUTE) or rt.default_flow


def flow_for(rt: Runtime, call_type: str | None) -> str:
    """Return the flow a survey of this call type starts, read in a block of its own."""
    with rt.uow() as uow:
        return routed_flow(rt, uow, call_type)


class FlowRoutes:
    """The flow each call type starts, the table read once per call type (an import's rows)."""

    def __init__(self, rt: Runtime, named: str | None = None) -> None:
        self._rt, self._named = rt, named
        self._read: dict[str, str] = {}

    def __call__(self, call_type: str | None) -> str:
        """Return the named flow, else the flow the call type is routed to."""
        if self._named:
            return self._named
        key = call_type or ""
        if key not in self._read:
            self._read[key] = flow_for(self._rt, call_type)
        return self._read[key]
