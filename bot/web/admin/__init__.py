"""The admin site (/admin): flows, staff accounts, alerts and the audit log.

Admins may do everything here; supervisors may read the flows and the accounts, and read and
acknowledge their own unit's alerts; officers may open nothing. Every route names who may use
it (`role_required`).
"""

from bot.web.admin import (
    accounts,
    alerts,
    audit,
    flow_editor,
    flow_grid,
    flow_versions,
    flow_yaml,
    flows,
    routes_page,
)
from bot.web.admin.blueprint import READERS, WRITERS, bp

__all__ = [
    "READERS",
    "WRITERS",
    "accounts",
    "alerts",
    "audit",
    "bp",
    "flow_editor",
    "flow_grid",
    "flow_versions",
    "flow_yaml",
    "flows",
    "routes_page",
]
