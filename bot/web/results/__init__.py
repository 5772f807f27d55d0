"""The results dashboard (/results): supervisors read their own unit, admins every unit.

Officers get 403 on every route here and anonymous visitors are sent to sign in
(`role_required`); a supervisor's unit comes from their account, never from the query string.
"""

from bot.web.results.pages import bp

__all__ = ["bp"]
