"""One figure of the results dashboard: a captioned table, and how to chart its columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Cell = str | int | float | None
NOT_RECORDED = "(not recorded)"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def slug(*parts: str) -> str:
    """Return an id safe in HTML and in a URL path, made of `parts`."""
    return "-".join(_UNSAFE.sub("_", part) for part in parts)


def percent(part: int, whole: int) -> float | None:
    """Return part/whole as a percentage to one decimal (None when whole is 0)."""
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Table:
    """A figure's cells: the first column names each row, the others hold its values.

    `chart` is how the page draws it ("bar", "line", "stacked" or "" for none) and `series`
    the columns drawn, each a dataset named by its column.
    """

    id: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: str = "bar"
    series: tuple[int, ...] = (1,)

    def chart_data(self) -> dict[str, Any]:
        """Return what the page's script hands Chart.js: labels, datasets, stacking."""
        return {
            "type": "line" if self.chart == "line" else "bar",
            "stacked": self.chart == "stacked",
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {"label": self.columns[i], "data": [row[i] for row in self.rows]}
                for i in self.series
            ],
        }
