"""Repositories: the store's vocabulary in domain types, hiding the session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from app.domain.audit import GENESIS
from app.domain.booking import ACTIVE, Booking, BookingStatus, DepositState
from app.domain.customer import Customer
from app.domain.floorplan import Area, Combination, FloorPlan, Table
from app.domain.plan_data import venue_from_dict
from app.domain.rules import VenueRules
from app.models import convert
from app.models.policy_repository import (
    PolicyOrigin,
    policy_history,
    policy_in_force,
    policy_origin,
    pulled_policy,
)
from app.models.tables import (
    AreaRow,
    BookingRow,
    CombinationRow,
    CustomerRow,
    DeviceRow,
    OutboxRow,
    TableRow,
    VenueRow,
)
from app.protocol import AnyMutation, IntentName, ResolveConflictArgs, meaning


@dataclass(frozen=True, slots=True)
class Stored:
    """A floor row's own fields as this desk holds them, with its synced version."""

    fields: dict[str, Any]
    version: int


class VenueRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def exists(self) -> bool:
        return self.session.scalar(select(func.count()).select_from(VenueRow)) > 0

    def get(self, *, areas_of_retired_tables: bool = False) -> VenueRules:
        """The venue, its plan and deposit policy.

        ``areas_of_retired_tables`` also takes a removed area a retired table still
        stands in, so that the plan holds every table whole (a plan file written for
        the server, ``backroom plan export``: old bookings name retired tables too).
        """
        row = self.session.scalars(select(VenueRow)).one()
        venue = venue_from_dict({"id": row.id, "name": row.name, **row.config})
        # Removed areas and retired combinations are kept as rows but are not the plan.
        areas = select(AreaRow).where(AreaRow.active)
        if areas_of_retired_tables:
            areas = select(AreaRow).where(
                or_(AreaRow.active, AreaRow.id.in_(select(TableRow.area_id)))
            )
        combinations = select(CombinationRow).where(CombinationRow.active)
        plan = FloorPlan(
            areas=tuple(convert.area(a) for a in self.session.scalars(areas)),
            tables=tuple(
                convert.table(t)
                for t in self.session.scalars(select(TableRow).order_by(TableRow.number))
            ),
            combinations=tuple(convert.combination(c) for c in self.session.scalars(combinations)),
        )
        return VenueRules(venue, plan, policy_in_force(self.session, pulled_policy(row)))

    def policy_origin(self, policy_version: int) -> PolicyOrigin:
        """Where that version of the deposits and packages came from."""
        return policy_origin(self.session, policy_version)

    def policy_history(self) -> list[tuple[int, PolicyOrigin]]:
        """Every version of the deposits and packages this desk knows, oldest first."""
        return policy_history(self.session)

    def add_from_dict(self, data: dict[str, Any], at: datetime) -> None:
        """Load a venue file (resources/backroom.json format) as already-synced rows."""
        v = data["venue"]
        config = {k: val for k, val in v.items() if k not in ("id", "name")}
        self.session.add(VenueRow(id=v["id"], name=v["name"], config=config, updated_at=at))
        self.session.flush()
        for a in data["areas"]:
            self.session.add(AreaRow(venue_id=v["id"], updated_at=at, **a))
        self.session.flush()
        for t in data["tables"]:
            self.session.add(TableRow(venue_id=v["id"], updated_at=at, **t))
        self.session.flush()
        for c in data.get("combinations", []):
            self.session.add(CombinationRow(venue_id=v["id"], updated_at=at, **c))
        self.session.flush()

    def table_row(self, table_id: str) -> TableRow | None:
        return self.session.get(TableRow, table_id)

    def save_table(self, venue_id: str, table: Table, at: datetime) -> None:
        row = self.session.get(TableRow, table.id)
        if row is None:
            row = TableRow(id=table.id, venue_id=venue_id)
            self.session.add(row)
        convert.fill_table(row, table)
        row.updated_at = at
        self.session.flush()

    def stored_area(self, area_id: str) -> Stored | None:
        row = self.session.get(AreaRow, area_id)
        if row is None:
            return None
        return Stored({"name": row.name, "vip": row.vip, "active": row.active}, row.version)

    def save_area(self, venue_id: str, area: Area, active: bool, at: datetime) -> None:
        row = self.session.get(AreaRow, area.id)
        if row is None:
            row = AreaRow(id=area.id, venue_id=venue_id)
            self.session.add(row)
        row.name, row.vip, row.active, row.updated_at = area.name, area.vip, active, at
        self.session.flush()

    def stored_combination(self, combination_id: str) -> Stored | None:
        row = self.session.get(CombinationRow, combination_id)
        if row is None:
            return None
        fields = {
            "name": row.name,
            "table_ids": sorted(row.table_ids),
            "min_party": row.min_party,
            "max_party": row.max_party,
            "strategy": row.strategy,
            "active": row.active,
        }
        return Stored(fields, row.version)

    def save_combination(
        self, venue_id: str, combo: Combination, active: bool, at: datetime
    ) -> None:
        row = self.session.get(CombinationRow, combo.id)
        if row is None:
            row = CombinationRow(id=combo.id, venue_id=venue_id)
            self.session.add(row)
        row.name, row.table_ids = combo.name, sorted(combo.table_ids)
        row.min_party, row.max_party = combo.min_party, combo.max_party
        row.strategy, row.active, row.updated_at = combo.strategy, active, at
        self.session.flush()


class BookingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, booking_id: str) -> Booking | None:
        row = self.session.get(BookingRow, booking_id)
        return None if row is None else convert.booking(row)

    def by_reference(self, reference: str) -> Booking | None:
        row = self.session.scalars(
            select(BookingRow).where(BookingRow.reference == reference)
        ).one_or_none()
        return None if row is None else convert.booking(row)

    def on_day(self, day: date, statuses: Sequence[BookingStatus] | None = None) -> list[Booking]:
        query = select(BookingRow).where(BookingRow.service_day == day)
        if statuses:
            query = query.where(BookingRow.status.in_([s.value for s in statuses]))
        rows = self.session.scalars(query.order_by(BookingRow.start, BookingRow.reference))
        return [convert.booking(r) for r in rows]

    def around(self, days: Sequence[date]) -> list[Booking]:
        """Bookings of the given service days (a night's neighbours can overlap it)."""
        rows = self.session.scalars(select(BookingRow).where(BookingRow.service_day.in_(days)))
        return [convert.booking(r) for r in rows]

    def holding_tables_from(self, day: date) -> list[Booking]:
        """Bookings of ``day`` and later that hold tables (or are about to)."""
        rows = self.session.scalars(
            select(BookingRow).where(
                BookingRow.service_day >= day,
                BookingRow.status.in_([s.value for s in ACTIVE]),
            )
        )
        return [convert.booking(r) for r in rows]

    def from_day(self, day: date, statuses: Sequence[BookingStatus]) -> list[Booking]:
        """Bookings of ``day`` and later in one of ``statuses``, in time order."""
        rows = self.session.scalars(
            select(BookingRow)
            .where(
                BookingRow.service_day >= day,
                BookingRow.status.in_([s.value for s in statuses]),
            )
            .order_by(BookingRow.start, BookingRow.reference)
        )
        return [convert.booking(r) for r in rows]

    def with_deposits_from(self, day: date) -> list[Booking]:
        """Bookings of ``day`` and later that owed a deposit (paid, waived or not)."""
        rows = self.session.scalars(
            select(BookingRow).where(
                BookingRow.service_day >= day,
                BookingRow.deposit_state != DepositState.NOT_REQUIRED.value,
            )
        )
        return [convert.booking(r) for r in rows]

    def save(self, booking: Booking, service_day: date) -> None:
        row = self.session.get(BookingRow, booking.id)
        if row is None:
            row = BookingRow()
            convert.fill_booking(row, booking, service_day)
            self.session.add(row)
        else:
            convert.fill_booking(row, booking, service_day)
        self.session.flush()

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(BookingRow)) or 0


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _history(self, customer_ids: Sequence[str]) -> dict[str, dict[str, int]]:
        if not customer_ids:
            return {}
        s = BookingRow.status

        def counted(status: BookingStatus) -> Any:
            return func.sum(case((s == status.value, 1), else_=0))

        rows = self.session.execute(
            select(
                BookingRow.customer_id,
                func.count(),
                counted(BookingStatus.COMPLETED),
                counted(BookingStatus.NO_SHOW),
                counted(BookingStatus.CANCELLED),
            )
            .where(BookingRow.customer_id.in_(customer_ids))
            .group_by(BookingRow.customer_id)
        )
        return {
            cid: {
                "bookings": n,
                "completed": done or 0,
                "no_shows": ns or 0,
                "cancellations": cx or 0,
            }
            for cid, n, done, ns, cx in rows
        }

    def get(self, customer_id: str) -> Customer | None:
        row = self.session.get(CustomerRow, customer_id)
        if row is None:
            return None
        return convert.customer(row, self._history([row.id]).get(row.id))

    def many(self, customer_ids: Sequence[str]) -> dict[str, Customer]:
        """Several guests with their history in two queries, keyed by id."""
        ids = list(set(customer_ids))
        if not ids:
            return {}
        rows = self.session.scalars(select(CustomerRow).where(CustomerRow.id.in_(ids)))
        history = self._history(ids)
        return {r.id: convert.customer(r, history.get(r.id)) for r in rows}

    def by_phone(self, phone: str) -> list[Customer]:
        """Every guest who gave this number (two people may share one), oldest first."""
        rows = list(
            self.session.scalars(
                select(CustomerRow)
                .where(CustomerRow.phone == phone)
                .order_by(CustomerRow.updated_at, CustomerRow.id)
            )
        )
        history = self._history([r.id for r in rows])
        return [convert.customer(r, history.get(r.id)) for r in rows]

    def search(self, text: str, limit: int = 10) -> list[Customer]:
        """Returning guests by a piece of their name or phone number."""
        needle = text.strip()
        if not needle:
            return []
        digits = "".join(ch for ch in needle if ch.isdigit())
        conditions = [CustomerRow.name.ilike(f"%{needle}%")]
        if len(digits) >= 3:
            conditions.append(CustomerRow.phone.like(f"%{digits.lstrip('0')}%"))
        rows = list(
            self.session.scalars(
                select(CustomerRow).where(or_(*conditions)).order_by(CustomerRow.name).limit(limit)
            )
        )
        history = self._history([r.id for r in rows])
        return [convert.customer(r, history.get(r.id)) for r in rows]

    def erased_at(self, customer_id: str) -> datetime | None:
        """When the guest was forgotten at their request (None: they were not)."""
        row = self.session.get(CustomerRow, customer_id)
        return None if row is None else row.erased_at

    def version(self, customer_id: str) -> int:
        """The guest's version as this desk last heard it from the server (0: never sent)."""
        row = self.session.get(CustomerRow, customer_id)
        return 0 if row is None else row.version

    def save(self, customer: Customer, venue_id: str, at: datetime) -> None:
        row = self.session.get(CustomerRow, customer.id)
        if row is None:
            row = CustomerRow()
            self.session.add(row)
        convert.fill_customer(row, customer, venue_id)
        row.updated_at = at
        self.session.flush()


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(OutboxRow)) or 0

    def pending(self, name: IntentName | None = None) -> list[AnyMutation]:
        """Intents still waiting for their outcome, in ``device_seq`` order."""
        query = select(OutboxRow.body).order_by(OutboxRow.device_seq)
        if name is not None:
            query = query.where(OutboxRow.name == name.value)
        return [meaning.parse(body) for body in self.session.scalars(query)]

    def resolving(self) -> set[str]:
        """Conflicts this desk has resolved, the resolution not yet answered by the server."""
        return {
            str(m.args.conflict_id)
            for m in self.pending(IntentName.RESOLVE_CONFLICT)
            if isinstance(m.args, ResolveConflictArgs)
        }


@dataclass(frozen=True, slots=True)
class ThisDesk:
    id: str
    name: str
    venue_id: str
    server_url: str | None


class DeviceRepository:
    """This desk's own identity (one row per file)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self) -> ThisDesk:
        row = self.session.scalars(select(DeviceRow)).one()
        return ThisDesk(row.id, row.name, row.venue_id, row.server_url)

    def has_pulled(self) -> bool:
        """Whether this desk holds the server's night (it has pulled since it was
        connected, rebuilt or told to take the server's night again)."""
        return bool(self.session.scalars(select(DeviceRow.pull_cursor)).one())

    def add(self, device_id: str, name: str, venue_id: str) -> None:
        self.session.add(
            DeviceRow(id=device_id, name=name, venue_id=venue_id, last_audit_hash=GENESIS)
        )
