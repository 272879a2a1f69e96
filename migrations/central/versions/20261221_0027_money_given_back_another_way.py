"""money_given_back_another_way: the ledger records deposit money a manager gave back
outside Stripe (``given_back``: cash or the card machine at the bar, a bank transfer)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-21 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER_OLD = (
    "kind IN ('payment_in_person', 'waiver', 'stripe_payment', 'hold', 'capture', 'refund', "
    "'release', 'refund_failed')"
)
LEDGER_NEW = (
    "kind IN ('payment_in_person', 'waiver', 'stripe_payment', 'hold', 'capture', 'refund', "
    "'release', 'refund_failed', 'given_back')"
)


def upgrade() -> None:
    op.drop_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', type_='check')
    op.create_check_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', LEDGER_NEW)


def downgrade() -> None:
    op.execute("DELETE FROM deposit_ledger WHERE kind = 'given_back'")
    op.drop_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', type_='check')
    op.create_check_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', LEDGER_OLD)
