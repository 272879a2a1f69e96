"""The composition root opens a desk file with its services, and sync only when connected."""

from __future__ import annotations

from app.services.compose import open_desk


def test_a_new_desk_with_no_server_opens_on_its_demo_night_and_syncs_nothing(tmp_path, clock):
    desk = open_desk(tmp_path / "desk.sqlite3", clock)

    tonight = desk.queries.bookings_on(desk.queries.tonight())

    assert desk.sync is None
    assert desk.auth.sign_in("sam", "1111").name
    assert tonight and desk.conflicts.open() == []
    desk.store.close()
