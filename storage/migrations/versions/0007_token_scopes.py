"""API token scopes: what each token may do.

Existing tokens get `surveys:write` only. They were made to start surveys; reading residents'
answers is now a separate grant (`results:read`), given by creating a new token for it. A system
that read answers with an old token gets 403 naming the missing scope, never a silent gap.

Revision ID: 0007_token_scopes
Revises: 0006_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_token_scopes"
down_revision: str | None = "0006_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add api_tokens.scopes, `surveys:write` for every token that exists."""
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(
            sa.Column(
                "scopes", sa.String(length=200), server_default="surveys:write", nullable=False
            )
        )


def downgrade() -> None:
    """Drop api_tokens.scopes."""
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("scopes")
