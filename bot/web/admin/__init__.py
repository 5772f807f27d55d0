"""The admin site (/admin): flows, staff accounts and the audit log.

Admins may do everything here; supervisors may read the flows and the accounts and change
nothing; officers may open nothing. Every route names who may use it (`role_required`).
"""

from bot.web.admin import accounts, audit, flows
from bot.web.admin.blueprint import READERS, WRITERS, bp

__all__ = ["READERS", "WRITERS", "accounts", "audit", "bp", "flows"]
