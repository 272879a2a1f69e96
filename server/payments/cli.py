"""``backroom-server payments reconcile``: ask Stripe about every deposit link not final.

The server runs the same pass on a timer of its own (server/payments/timer.py,
``BACKROOM_PAYMENTS_RECONCILE_SECONDS``); this runs one now, or from cron where the
timer is off.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_payments_command(commands: Any) -> None:
    pay = commands.add_parser("payments", help="deposit payment links (Stripe)")
    sub = pay.add_subparsers(dest="payments_command", required=True)
    rec = sub.add_parser(
        "reconcile",
        help="ask Stripe about every deposit link not yet paid or expired, and apply its answer",
    )
    rec.set_defaults(run=reconcile_command)


def reconcile_command(args: argparse.Namespace) -> None:
    import server.models  # noqa: F401  (every table, for the ledger's foreign keys)
    from server.clock import SystemClock
    from server.db import make_engine, make_sessionmaker
    from server.payments.forget import refused
    from server.payments.links import payments_from
    from server.payments.timer import reconcile_once
    from server.settings import Settings

    settings = Settings()  # type: ignore[call-arg]
    payments = payments_from(settings, SystemClock())
    if payments is None:
        sys.exit(
            "backroom-server: payments are not set up on this server "
            "(set BACKROOM_STRIPE_API_KEY); nothing to reconcile."
        )
    engine = make_engine(settings.database_url, 2)
    try:
        sessions = make_sessionmaker(engine)
        done = reconcile_once(engine, sessions, payments)
        not_deleted = refused(sessions)
    finally:
        engine.dispose()
    if done is None:
        print("A reconciliation is running already (a server's timer); nothing else was done.")
        return
    print(
        f"Asked Stripe about {done.asked} link(s): {done.changed} changed, "
        f"{done.links_made} made, {done.closed} closed (the deposit was settled otherwise); "
        f"{done.released} booking(s) cancelled, their link expired unpaid; "
        f"{done.customers_deleted} erased guest(s)' saved-card customer(s) deleted."
    )
    if done.found or done.taken_back:
        print(
            f"After the restore: {done.found} link(s) the database had lost found at Stripe, "
            f"{done.taken_back} taken back onto their bookings."
        )
    for words in not_deleted:
        print(words, file=sys.stderr)
    for trouble in done.unreachable:
        print(f"Not reached: {trouble}", file=sys.stderr)
    if done.unreachable:
        sys.exit(1)
