"""A sample dispatch export dated relative to today, for the README and for trying an import.

Fixed dates in documentation go stale: a week later every row would be refused as too old. The
sample's calls cleared yesterday (one ten days ago, to show that rule), in the agency's time
zone, written in the mixed date forms real CAD exports use.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

HEADER = ("Incident Number", "Call Type", "Caller Phone", "Officer", "Language", "Cleared At")
# (incident, call type, phone, officer, language, days ago, local time, time format, narrative)
ROWS = (
    ("26-004211", "Traffic Stop", "(217) 555-0142", "A123", "", 1, "14:05", "%m/%d/%Y %H:%M",
     "Speeding on Main St, warning given"),
    ("26-004215", "Theft Report", "217-555-0107", "B456", "Spanish", 1, "14:40",
     "%m/%d/%Y %I:%M %p", ""),
    ("26-004219", "DV", "217.555.0163", "A123", "", 1, "15:10", "%Y-%m-%d %H:%M", ""),
    ("26-004220", "Noise Complaint", "", "C789", "", 1, "15:30", "iso", "Caller left no number"),
    ("26-004223", "Welfare Check", "+1 217 555 0188", "B456", "vi", 1, "16:45", "%m/%d/%Y %H:%M",
     ""),
    ("26-003907", "Found Property", "(217) 555-0119", "C789", "", 10, "11:20", "%m/%d/%Y %H:%M",
     "Wallet returned to owner"),
)  # fmt: skip


def example_export(now: datetime, zone: ZoneInfo) -> str:
    """Return the sample export as CSV text, its calls dated relative to `now` in `zone`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*HEADER, "Narrative"))
    today = now.astimezone(zone).date()
    for incident, call_type, phone, officer, language, days, clock, form, narrative in ROWS:
        local = datetime.combine(today - timedelta(days=days), time.fromisoformat(clock), zone)
        cleared = local.isoformat() if form == "iso" else local.strftime(form)
        writer.writerow((incident, call_type, phone, officer, language, cleared, narrative))
    return out.getvalue()
