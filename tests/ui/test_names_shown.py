"""A name stored with controls (by an older desk, or from elsewhere) is shown neutralised."""

from __future__ import annotations

from app.views.models import BookingsModel
from tests.ui.conftest import book


def test_a_name_stored_with_a_bidi_override_is_listed_without_it(desk, manager):
    booked = book(desk, manager, "Ada Lovelace", 2, 18)
    with desk.store.unit_of_work() as uow:  # as an older desk stored it
        uow.session.connection().exec_driver_sql(
            "UPDATE customer SET name = ? WHERE id = ?", ("Eve\u202eecilA\x07", booked.customer_id)
        )
        uow.commit()
    model = BookingsModel(desk.queries.venue().venue)

    model.set_rows(desk.queries.bookings_on(desk.queries.tonight()))

    assert model.index(0, 1).data() == "EveecilA␇"
