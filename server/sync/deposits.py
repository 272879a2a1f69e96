"""Judging a deposit settled at the bar: paid in person, or waived by a manager.

The same shape as every booking judge (read, decide with the intent's one
meaning, write), and one thing more: the ledger row, written in the same
transaction as the booking, so a deposit is never paid without its entry nor
an entry kept for a deposit the server refused.
"""

from __future__ import annotations

from typing import Any

from app.domain.deposit_ledger import LedgerKind
from app.protocol.deposit_args import RecordDepositPaymentArgs
from app.protocol.intents import RecordDepositPayment, WaiveDeposit
from server.sync import bookings, store
from server.sync.context import APPLIED, MERGED, IntentContext, Rejected, Verdict
from server.sync.ledger_models import DepositLedgerEntry


def settle_deposit(ctx: IntentContext, m: RecordDepositPayment | WaiveDeposit) -> Verdict:
    row = bookings.load(ctx, m.entity_id)
    before = store.booking(row)
    after = bookings.decide(ctx, before, m.args)
    if ctx.session.get(DepositLedgerEntry, m.args.entry_id) is not None:
        raise Rejected(
            f"Deposit ledger entry {m.args.entry_id} is already recorded; "
            "an entry is never recorded twice."
        )
    bookings.place(ctx, row, before, after)
    values = _entry(ctx, m, owed=before.deposit_pence)
    ctx.created.append(store.insert(DepositLedgerEntry.__table__, values, stamped=True))
    return MERGED if m.base_version < before.version else APPLIED


def _entry(ctx: IntentContext, m: RecordDepositPayment | WaiveDeposit, owed: int) -> dict[str, Any]:
    a = m.args
    paid = isinstance(a, RecordDepositPaymentArgs)
    return {
        "id": a.entry_id,
        "venue_id": ctx.venue_id,
        "booking_id": m.entity_id,
        "kind": (LedgerKind.PAYMENT_IN_PERSON if paid else LedgerKind.WAIVER).value,
        "amount_pence": a.amount_pence if paid else owed,
        "currency": a.currency if paid else "GBP",
        "method": a.method.value if paid else None,
        "note": a.note if paid else a.reason,
        "staff_id": m.staff_id,
        "staff_name": ctx.staff.name,
        "device_id": ctx.device.id,
        "recorded_at": ctx.now,
        "updated_at": ctx.now,
    }
