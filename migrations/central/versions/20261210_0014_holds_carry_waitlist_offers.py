"""A hold may be a waitlist offer: until when the guest may answer

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A hold with offer_until is a desk's waitlist offer of its tables to its booking's
    # guest: the server texts the guest, and a "1" before then seats them there.
    op.add_column('holds', sa.Column('offer_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('holds', 'offer_until')
