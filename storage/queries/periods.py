"""UTC periods as SQL: the day, week or month holding a timestamp, grouped in the database.

One expression for every read side that counts per period (the results dashboard, the
transparency page, officer feedback), compiled differently for PostgreSQL and SQLite.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

UNITS = ("day", "week", "month")


class period(FunctionElement[str]):  # noqa: N801  # an SQL function, named as SQL names them
    """The first day (YYYY-MM-DD, UTC) of the day, week (from Monday) or month of a timestamp."""

    type = String()
    inherit_cache = True

    def __init__(self, unit: str, moment: Any) -> None:
        if unit not in UNITS:
            raise ValueError(f"a period is a day, a week or a month, not {unit!r}")
        self.unit = unit
        super().__init__(moment)


@compiles(period, "postgresql")
def _period_postgresql(element: period, compiler: SQLCompiler, **kw: Any) -> str:
    """date_trunc on the UTC wall time (weeks start on Monday, as ISO weeks do)."""
    moment = compiler.process(next(iter(element.clauses)), **kw)
    return f"to_char(date_trunc('{element.unit}', ({moment}) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"


@compiles(period, "sqlite")
def _period_sqlite(element: period, compiler: SQLCompiler, **kw: Any) -> str:
    """strftime on the stored UTC wall time: the day, back to Monday, or to the 1st."""
    moment = compiler.process(next(iter(element.clauses)), **kw)
    if element.unit == "day":
        return f"strftime('%Y-%m-%d', {moment})"
    if element.unit == "month":
        return f"strftime('%Y-%m-01', {moment})"
    # %w counts from Sunday (0): Monday is (w + 6) % 7 days back.
    back = f"(CAST(strftime('%w', {moment}) AS INTEGER) + 6) % 7"
    return f"date({moment}, '-' || ({back}) || ' days')"
