"""The read side as the GUI thread sees it: each read done once per change, then shared.

Several panels show the same night; after a broadcast the first panel to ask
reads it and the others reuse that read. The window calls ``invalidate`` with
the broadcast's ``Change`` before any panel refreshes. Only the GUI thread uses
this object; jobs on the workers use the plain ``Queries``.
"""

from __future__ import annotations

from datetime import date, datetime

from app.domain.rules import VenueRules
from app.services.queries import BookingView, Queries, TableView
from app.views.changes import Change

BOOKING_CHANGES = Change.BOOKINGS | Change.OCCUPANCY | Change.WAITLIST | Change.FLOOR_PLAN


class CachedQueries(Queries):
    def __init__(self, queries: Queries) -> None:
        super().__init__(queries.store, queries.clock)
        self._venue: VenueRules | None = None
        self._bookings: dict[date, list[BookingView]] = {}
        self._floor: dict[tuple[date, datetime], dict[str, TableView]] = {}

    def invalidate(self, change: Change) -> None:
        if change & (Change.FLOOR_PLAN | Change.VENUE):
            self._venue = None
        if change & BOOKING_CHANGES:
            self._bookings.clear()
            self._floor.clear()

    def venue(self) -> VenueRules:
        if self._venue is None:
            self._venue = super().venue()
        return self._venue

    def bookings_on(self, day: date, statuses: tuple = ()) -> list[BookingView]:  # type: ignore[type-arg]
        if statuses:
            return super().bookings_on(day, statuses)
        if day not in self._bookings:
            self._bookings[day] = super().bookings_on(day)
        return self._bookings[day]

    def floor_at(self, day: date, at: datetime) -> dict[str, TableView]:
        key = (day, at)
        if key not in self._floor:
            if len(self._floor) > 64:
                self._floor.clear()
            self._floor[key] = super().floor_at(day, at)
        return self._floor[key]
