"""Judging a deposit settled at the bar: paid in person, waived by a manager, or given back
by a manager outside Stripe.

The same shape as every booking judge (read, decide with the intent's one
meaning, write), and one thing more: the ledger row, written in the same
transaction as the booking, so a deposit is never paid without its entry nor
an entry kept for a deposit the server refused.
"""

from __future__ import annotations

from typing import Any

from app.domain.deposit_ledger import LedgerKind
from app.protocol.deposit_args import GiveBackDepositArgs, RecordDepositPaymentArgs
from app.protocol.intents import GiveBackDeposit, RecordDepositPayment, WaiveDeposit
from server.sync import bookings, store
from server.sync.context import APPLIED, MERGED, IntentContext, Rejected, Verdict
from server.sync.ledger_models import DepositLedgerEntry

Settling = RecordDepositPayment | WaiveDeposit | GiveBackDeposit


def settle_deposit(ctx: IntentContext, m: Settling) -> Verdict:
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


def _entry(ctx: IntentContext, m: Settling, owed: int) -> dict[str, Any]:
    a = m.args
    match a:
        case RecordDepositPaymentArgs():
            kind, pence, currency, method, note = (
                LedgerKind.PAYMENT_IN_PERSON,
                a.amount_pence,
                a.currency,
                a.method.value,
                a.note,
            )
        case GiveBackDepositArgs():
            kind, pence, currency, method, note = (
                LedgerKind.GIVEN_BACK,
                a.amount_pence,
                a.currency,
                a.method.value,
                a.reason,
            )
        case _:
            kind, pence, currency, method, note = LedgerKind.WAIVER, owed, "GBP", None, a.reason
    return {
        "id": a.entry_id,
        "venue_id": ctx.venue_id,
        "booking_id": m.entity_id,
        "kind": kind.value,
        "amount_pence": pence,
        "currency": currency,
        "method": method,
        "note": note,
        "staff_id": m.staff_id,
        "staff_name": ctx.staff.name,
        "device_id": ctx.device.id,
        "recorded_at": ctx.now,
        "updated_at": ctx.now,
    }
