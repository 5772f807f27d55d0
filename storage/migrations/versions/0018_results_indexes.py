"""Contacts indexed by unit and by officer, for the results dashboard's filters.

A supervisor's dashboard always filters by their unit, and anyone may filter by an officer:
without these indexes each figure would read every contact in the date range to find them.

Revision ID: 0018_results_indexes
Revises: 0017_flow_drafts
"""

from __future__ import annotations

from alembic import op

revision: str = "0018_results_indexes"
down_revision: str | None = "0017_flow_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index contacts by unit and by officer id."""
    op.create_index("ix_contacts_unit", "contacts", ["unit"])
    op.create_index("ix_contacts_officer_id", "contacts", ["officer_id"])


def downgrade() -> None:
    """Drop the contacts' unit and officer indexes."""
    op.drop_index("ix_contacts_officer_id", table_name="contacts")
    op.drop_index("ix_contacts_unit", table_name="contacts")
