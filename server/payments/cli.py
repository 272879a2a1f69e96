"""``backroom-server payments reconcile``: ask Stripe about every deposit link not final;
``backroom-server payments found``: the payments a restore lost, found at Stripe, whose
booking nobody has entered again.

The server runs the same pass on a timer of its own (server/payments/timer.py,
``BACKROOM_PAYMENTS_RECONCILE_SECONDS``); this runs one now, or from cron where the
timer is off.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the commands import the server lazily: --help stays quick
    from sqlalchemy import Engine

    from server.payments.links import Payments


def add_payments_command(commands: Any) -> None:
    pay = commands.add_parser("payments", help="deposit payment links (Stripe)")
    sub = pay.add_subparsers(dest="payments_command", required=True)
    rec = sub.add_parser(
        "reconcile",
        help="ask Stripe about every deposit link not yet paid or expired, and apply its answer",
    )
    rec.set_defaults(run=reconcile_command)
    found = sub.add_parser(
        "found",
        help="list payments found at Stripe after a restore whose booking is not on the server",
    )
    found.set_defaults(run=found_command)


def _payments_and_engine() -> tuple[Payments, Engine]:
    import server.models  # noqa: F401  (every table, for the ledger's foreign keys)
    from server.clock import SystemClock
    from server.db import make_engine
    from server.payments.links import payments_from
    from server.settings import Settings

    settings = Settings()  # type: ignore[call-arg]
    payments = payments_from(settings, SystemClock())
    if payments is None:
        sys.exit(
            "backroom-server: payments are not set up on this server "
            "(set BACKROOM_STRIPE_API_KEY); nothing to ask Stripe."
        )
    return payments, make_engine(settings.database_url, 2)


def found_command(args: argparse.Namespace) -> None:
    from server.db import make_sessionmaker
    from server.payments.found_waiting import moves_waiting, still_waiting

    payments, engine = _payments_and_engine()
    try:
        sessions = make_sessionmaker(engine)
        waiting = still_waiting(sessions, payments)
        with sessions() as session:
            moves = moves_waiting(session)
    finally:
        engine.dispose()
    if not waiting and not moves:
        print("No payment found at Stripe after a restore waits for its booking.")
        return
    for w in waiting:
        print(w.words)
    for words in moves:
        print(words)
    if any(w.checkout is None for w in waiting):
        sys.exit(1)


def reconcile_command(args: argparse.Namespace) -> None:
    from server.db import make_sessionmaker
    from server.payments import found_waiting
    from server.payments.forget import refused
    from server.payments.timer import reconcile_once

    payments, engine = _payments_and_engine()
    try:
        sessions = make_sessionmaker(engine)
        done = reconcile_once(engine, sessions, payments)
        not_deleted = refused(sessions)
        with sessions() as session:
            waiting = found_waiting.count(session)
    finally:
        engine.dispose()
    if done is None:
        print("A reconciliation is running already (a server's timer); nothing else was done.")
        return
    print(
        f"Asked Stripe about {done.asked} link(s): {done.changed} changed, "
        f"{done.links_made} made, {done.closed} closed (the deposit was settled otherwise); "
        f"{done.released} booking(s) cancelled, their link expired unpaid; "
        f"{done.customers_deleted} erased guest(s)' saved-card customer(s) deleted; "
        f"{done.lapsed} card hold(s) lapsed at the bank, recorded as released."
    )
    if done.refunds_failed:
        print(
            f"{done.refunds_failed} refund(s) the guest's bank sent back: each booking reads "
            '"refund failed" and the money is back in the Stripe balance; refund it again '
            "(Refund deposit…) or give it back another way (Money given back…)."
        )
    if done.outside:
        print(
            f"{done.outside} refund(s), claim(s) or release(s) made at Stripe outside Backroom "
            "(its Dashboard) recorded on their bookings."
        )
    if done.found or done.taken_back:
        print(
            f"After the restore: {done.found} link(s) the database had lost found at Stripe, "
            f"{done.taken_back} taken back onto their bookings."
        )
    if done.moves_found or done.moves_taken_back:
        print(
            f"After the restore: {done.moves_found} claim(s), refund(s) or release(s) the "
            f"database had lost found at Stripe, {done.moves_taken_back} taken back onto "
            "their bookings."
        )
    if waiting:
        print(
            f"{waiting} payment(s), claim(s) or refund(s) found at Stripe wait for their "
            "booking; `backroom-server payments found` lists them."
        )
    for words in not_deleted:
        print(words, file=sys.stderr)
    for trouble in done.unreachable:
        print(f"Not reached: {trouble}", file=sys.stderr)
    if done.unreachable:
        sys.exit(1)
