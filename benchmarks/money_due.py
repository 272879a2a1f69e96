"""The money badge's read: the deposits of the last 60 days a manager has to see to.

    PYTHONPATH=. .venv/bin/python benchmarks/money_due.py [--bookings 300 1500]

A desk file with The Backroom and N bookings with deposits spread over the 60 nights the
badge looks back on, each paid through its link as the desk pulls it (a ledger row and a
payment request), one in ten of them refunded and sent back by the bank, one in ten a
no-show whose card is held. Times ``MoneyToSee.lines`` (what the badge runs on the GUI
thread on each pull, each change this desk makes and each minute's tick): median and
slowest of 20 reads after one to warm up. Figures in docs/benchmarks.md ("Desk").
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.customer import Customer
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import LedgerKind
from app.domain.deposit_links import RequestStatus
from app.domain.deposit_modes import DepositMode
from app.domain.permissions import Role
from app.models.ledger_repository import write_pulled
from app.models.link_repository import write_pulled_links
from app.models.uow import Store
from app.protocol.rows import DepositRequestRow, LedgerRow
from app.services.demo import ensure_venue
from app.services.money_due import MoneyToSee

NOW = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)


def seeded(path: Path, n: int) -> Store:
    store = Store(path)
    ensure_venue(store, lambda: NOW)
    with store.unit_of_work() as uow:
        rules = uow.venue.get()
        venue_id = uuid.UUID(rules.venue.id)
        guest = Customer(id=str(uuid.uuid4()), name="Ada Lovelace", phone="+441134960000")
        uow.customers.save(guest, str(venue_id), NOW)
        requests, entries = [], []
        for i in range(n):
            start = NOW - timedelta(days=i % 60, hours=-10)
            sent_back, no_show = i % 10 == 1, i % 10 == 2
            b = Booking(
                id=str(uuid.uuid4()),
                venue_id=str(venue_id),
                reference=f"{i:011d}",
                customer_id=guest.id,
                party_size=8,
                start=start,
                duration_minutes=120,
                status=BookingStatus.NO_SHOW if no_show else BookingStatus.COMPLETED,
                created_at=start - timedelta(days=3),
                updated_at=start,
                deposit_pence=8000,
                deposit_state=DepositState.REFUND_FAILED
                if sent_back
                else DepositState.HELD
                if no_show
                else DepositState.PAID,
                version=1,
            )
            uow.bookings.save(replace(b), rules.venue.service_day(start))
            row = {"venue_id": venue_id, "updated_at": start, "booking_id": uuid.UUID(b.id)}
            requests.append(
                DepositRequestRow(
                    id=uuid.uuid4(),
                    version=1,
                    amount_pence=8000,
                    currency="GBP",
                    status=RequestStatus.HELD if no_show else RequestStatus.PAID,
                    mode=DepositMode.HOLD if no_show else DepositMode.PAYMENT,
                    card_last4="4242",
                    requested_at=start - timedelta(days=3),
                    capture_before=start + timedelta(days=6) if no_show else None,
                    **row,
                )
            )
            kinds = [LedgerKind.HOLD if no_show else LedgerKind.STRIPE_PAYMENT]
            if sent_back:
                kinds += [LedgerKind.REFUND, LedgerKind.REFUND_FAILED]
                requests.append(
                    DepositRequestRow(
                        id=uuid.uuid4(),
                        version=1,
                        amount_pence=8000,
                        currency="GBP",
                        status=RequestStatus.FAILED,
                        kind=ActionKind.REFUND,
                        requested_at=start,
                        problem="The guest's bank sent the £80.00 refund back.",
                        **row,
                    )
                )
            entries += [
                LedgerRow(
                    id=uuid.uuid4(),
                    version=1,
                    kind=kind,
                    amount_pence=8000,
                    currency="GBP",
                    staff_id=uuid.uuid4(),
                    staff_name="Stripe",
                    recorded_at=start + timedelta(minutes=k),
                    provider_ref=f"x_{i}_{k}",
                    **row,
                )
                for k, kind in enumerate(kinds)
            ]
        write_pulled_links(uow.session, requests)
        write_pulled(uow.session, entries)
        uow.commit()
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bookings", type=int, nargs="+", default=[300, 1500])
    args = parser.parse_args()
    for n in args.bookings:
        with tempfile.TemporaryDirectory() as tmp:
            store = seeded(Path(tmp) / "desk.db", n)
            with store.read() as r:
                manager = next(s for s in r.staff.all() if s.role is Role.MANAGER)
            money = MoneyToSee(store, lambda: NOW)
            lines = money.lines(manager)
            times = []
            for _ in range(20):
                t0 = time.perf_counter()
                money.lines(manager)
                times.append((time.perf_counter() - t0) * 1000)
            store.close()
        print(
            f"{n} bookings with deposits over 60 nights: {len(lines)} lines; "
            f"lines() median {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms"
        )


if __name__ == "__main__":
    main()
