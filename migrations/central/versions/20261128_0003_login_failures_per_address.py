"""Failed sign-ins are counted per name and address, per address, and per name.

A row's ``client`` is the address the attempts came from, or '' for a count
over every address; its ``username`` is '' for a count over every name.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "login_failures", sa.Column("client", sa.Text(), server_default="", nullable=False)
    )
    op.drop_constraint("pk_login_failures", "login_failures", type_="primary")
    op.create_primary_key("pk_login_failures", "login_failures", ["venue_id", "username", "client"])


def downgrade() -> None:
    op.execute("DELETE FROM login_failures WHERE client <> '' OR username = ''")
    op.drop_constraint("pk_login_failures", "login_failures", type_="primary")
    op.drop_column("login_failures", "client")
    op.create_primary_key("pk_login_failures", "login_failures", ["venue_id", "username"])
