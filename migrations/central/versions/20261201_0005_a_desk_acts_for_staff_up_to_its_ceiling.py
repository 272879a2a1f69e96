"""devices: the highest role a desk may act for (its intents naming anyone above are refused).

Desks registered before keep acting for managers and below; an admin raises a
desk to "admin" explicitly (POST /v1/devices/{id}/ceiling).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "devices",
        sa.Column("role_ceiling", sa.Text(), server_default="manager", nullable=False),
    )
    op.create_check_constraint(
        "role_ceiling", "devices", "role_ceiling IN ('reception', 'manager', 'admin')"
    )


def downgrade() -> None:
    op.drop_constraint("role_ceiling", "devices", type_="check")
    op.drop_column("devices", "role_ceiling")
