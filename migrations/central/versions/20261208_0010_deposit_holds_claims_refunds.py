"""deposit_requests carry holds, saved cards, claims and refunds

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "status IN ('requested', 'open', 'paid', 'expired', 'failed')"
NEW = (
    "status IN ('requested', 'open', 'paid', 'held', 'card_saved', 'expired', 'failed', "
    "'done')"
)


LEDGER_OLD = (
    "kind IN ('payment_in_person', 'waiver', 'stripe_payment', 'hold', 'capture', 'refund')"
)
LEDGER_NEW = (
    "kind IN ('payment_in_person', 'waiver', 'stripe_payment', 'hold', 'capture', 'refund', "
    "'release')"
)
COLUMNS = (
    ('kind', sa.Text(), 'link'),
    ('mode', sa.Text(), 'payment'),
    ('reason', sa.Text(), None),
    ('provider_ref', sa.Text(), None),
    ('customer_ref', sa.Text(), None),
    ('payment_method_ref', sa.Text(), None),
    ('card_last4', sa.Text(), None),
    ('capture_before', sa.DateTime(timezone=True), None),
)


def upgrade() -> None:
    for name, kind, default in COLUMNS:
        op.add_column(
            'deposit_requests',
            sa.Column(name, kind, server_default=default, nullable=default is None),
        )
    op.drop_constraint(op.f('ck_deposit_requests_status'), 'deposit_requests', type_='check')
    op.create_check_constraint(op.f('ck_deposit_requests_status'), 'deposit_requests', NEW)
    op.create_check_constraint(
        op.f('ck_deposit_requests_kind'),
        'deposit_requests',
        "kind IN ('link', 'claim', 'refund', 'release')",
    )
    op.drop_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', type_='check')
    op.create_check_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', LEDGER_NEW)
    op.create_check_constraint(
        op.f('ck_deposit_requests_mode'),
        'deposit_requests',
        "mode IN ('payment', 'hold', 'save_card')",
    )


def downgrade() -> None:
    op.drop_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', type_='check')
    op.create_check_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', LEDGER_OLD)
    for name in ('mode', 'kind', 'status'):
        op.drop_constraint(op.f(f'ck_deposit_requests_{name}'), 'deposit_requests', type_='check')
    op.create_check_constraint(op.f('ck_deposit_requests_status'), 'deposit_requests', OLD)
    for name, _kind, _default in reversed(COLUMNS):
        op.drop_column('deposit_requests', name)
