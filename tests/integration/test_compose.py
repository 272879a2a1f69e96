"""The composition root opens a desk file with its services, and sync only when connected."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.services.compose import NotSetUp, open_desk, open_first


def test_a_new_desk_asked_for_the_demo_opens_on_its_demo_night_and_syncs_nothing(tmp_path, clock):
    desk = open_desk(tmp_path / "desk.sqlite3", clock, demo=True)

    tonight = desk.queries.bookings_on(desk.queries.tonight())

    assert desk.sync is None
    assert desk.auth.sign_in("sam", "1111").name
    assert tonight and desk.conflicts.open() == []
    desk.store.close()


def test_a_desk_whose_night_is_empty_is_never_filled_with_the_demo_again(tmp_path, clock):
    path = tmp_path / "desk.sqlite3"
    first = open_desk(path, clock, demo=True)
    with first.store.unit_of_work() as uow:  # a rebuild, or a venue's first real night
        uow.session.execute(text("DELETE FROM booking_table"))
        uow.session.execute(text("DELETE FROM outbox"))
        uow.session.execute(text("DELETE FROM booking"))
        uow.commit()
    first.store.close()

    again = open_desk(path, clock, create=False, demo=True)

    assert again.queries.bookings_on(again.queries.tonight()) == []
    again.store.close()


def test_a_new_desk_not_asked_for_the_demo_is_refused_until_it_is_set_up(tmp_path, clock):
    path = tmp_path / "desk.sqlite3"

    with pytest.raises(NotSetUp, match="backroom init --demo"):
        open_desk(path, clock)
    first = open_first(path, clock, create=False)

    assert first.needed()
    first.store.close()
