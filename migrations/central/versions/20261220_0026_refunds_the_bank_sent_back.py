"""refunds_the_bank_sent_back: the ledger records a refund the guest's bank sent back
(``refund_failed``, server.payments.failed_refunds)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-20 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER_OLD = (
    "kind IN ('payment_in_person', 'waiver', 'stripe_payment', 'hold', 'capture', 'refund', "
    "'release')"
)
LEDGER_NEW = (
    "kind IN ('payment_in_person', 'waiver', 'stripe_payment', 'hold', 'capture', 'refund', "
    "'release', 'refund_failed')"
)


def upgrade() -> None:
    op.drop_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', type_='check')
    op.create_check_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', LEDGER_NEW)


def downgrade() -> None:
    op.execute("DELETE FROM deposit_ledger WHERE kind = 'refund_failed'")
    op.drop_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', type_='check')
    op.create_check_constraint(op.f('ck_deposit_ledger_kind'), 'deposit_ledger', LEDGER_OLD)
