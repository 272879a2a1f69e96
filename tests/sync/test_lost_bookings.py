"""Bookings a restored server lost, entered again from the copy a repair kept: the
same id and reference the guest was given, judged as any new booking. The backup and
the restore are PostgreSQL's own (tests/sync/server_restores.py)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from app.domain.errors import DomainError
from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from app.services.lost_bookings import NotYet
from app.sync.status import SyncState
from tests.sync.test_rebuild import book
from tests.sync.world import EVENING, NOW, PASSWORD, TABLE, SyncDesk, server_sql


def taken_again(bar) -> None:
    """The bar takes the server's night again, then syncs up to date."""
    bar.desk.repair.take_servers_night(bar.staff(Role.MANAGER))
    assert bar.engine.sync_once().state is SyncState.UP_TO_DATE


def in_copy(copy, booking_id: str) -> tuple[str, str]:
    with closing(sqlite3.connect(copy)) as kept:
        return kept.execute(
            "SELECT reference, status FROM booking WHERE id = ?", (booking_id,)
        ).fetchone()


def test_the_booking_the_server_lost_is_listed_and_entered_again_with_its_reference(
    refused_bar, sync_db
):
    bar, door, _, bo = refused_bar
    manager = bar.staff(Role.MANAGER)
    taken_again(bar)

    [copy] = bar.path.parent.glob("*.before-retake-*")
    kept = copy.read_bytes()
    night = bar.desk.lost.lost()

    assert night.copy == copy
    [lost] = night.bookings
    assert lost.booking_id == bo.id and lost.name == "Bo Diddley" and lost.party_size == 2
    assert lost.reference.replace("-", "").replace(" ", "") == in_copy(night.copy, bo.id)[0]
    assert lost.seating == "table 8" and lost.caution == ""
    said = bar.desk.lost.enter_again(manager, bo.id)
    assert said.startswith("Entered again: booking") and "table 8" in said
    assert bar.engine.sync_once().state is SyncState.UP_TO_DATE
    door.engine.sync_once()
    on_server = server_sql(sync_db, "SELECT reference, status FROM bookings WHERE id = %s", bo.id)
    assert on_server == [(in_copy(night.copy, bo.id)[0], "confirmed")]
    assert bo.id in door.bookings() and bo.id in bar.bookings()
    assert bar.desk.lost.lost().bookings == ()
    with pytest.raises(DomainError, match="on this desk already"):
        bar.desk.lost.enter_again(manager, bo.id)
    # The kept copy is evidence: read, never written (no journal files beside it either).
    assert copy.read_bytes() == kept
    assert sorted(p.name for p in copy.parent.glob(f"{copy.name}*")) == [copy.name]


def test_nothing_is_listed_until_the_desk_has_taken_the_servers_night(refused_bar):
    bar, *_ = refused_bar
    bar.desk.repair.take_servers_night(bar.staff(Role.MANAGER))

    with pytest.raises(NotYet, match="not taken the server's night yet"):
        bar.desk.lost.lost()


def test_a_desk_with_no_kept_copy_has_nothing_lost(desks):
    reception = desks()
    book(reception, 7, name="Ada Lovelace")
    reception.engine.sync_once()

    night = reception.desk.lost.lost()

    assert night.copy is None and night.bookings == ()


def test_a_lost_booking_whose_table_was_taken_since_is_refused_and_nothing_changes(
    refused_bar,
):
    bar, door, _, bo = refused_bar
    taken_again(bar)
    # Table 8 at the same time, booked at the door after the restore and synced.
    book(door, 8, name="Cy Twombly")
    door.engine.sync_once()
    bar.engine.sync_once()
    pending = bar.pending()

    with pytest.raises(DomainError, match="Table 8 is taken"):
        bar.desk.lost.enter_again(bar.staff(Role.MANAGER), bo.id)

    assert bar.pending() == pending and bo.id not in bar.bookings()
    assert [b.booking_id for b in bar.desk.lost.lost().bookings] == [bo.id]


def lost_dialog(qtbot, desk, role: Role = Role.MANAGER):
    from app.views.main_window import MainWindow

    window = MainWindow(desk.desk, desk.staff(role))
    qtbot.addWidget(window)
    window.show()
    action = next(a for a in window.actions() if a.text() == "Bookings the server lost…")
    assert action.isVisible()
    action.trigger()
    dialog = window.lost_dialog
    qtbot.waitUntil(lambda: dialog.said.text() != "Reading the kept copy…", timeout=10_000)
    return window, dialog


def test_the_window_lists_the_lost_booking_and_enters_it_again_on_a_click(qtbot, refused_bar):
    bar, door, _, bo = refused_bar
    taken_again(bar)
    window, dialog = lost_dialog(qtbot, bar, Role.RECEPTION)
    # Opened up to date after the repair, the window said so by itself, and keeps saying.
    qtbot.waitUntil(
        lambda: "1 booking(s) of tonight and later are only in the copy" in window.notice.text()
    )
    table = dialog.table
    assert table.rowCount() == 1
    assert table.item(0, 1).text() == "Bo Diddley" and table.item(0, 4).text() == "table 8"
    assert "only in the copy kept at" in dialog.said.text()

    table.selectRow(0)
    dialog.enter.click()
    qtbot.waitUntil(lambda: table.rowCount() == 0, timeout=10_000)

    assert dialog.said.text().startswith("Entered again: booking")
    assert "is on this desk" in dialog.said.text()
    assert bar.engine.sync_once().state is SyncState.UP_TO_DATE
    door.engine.sync_once()
    assert bo.id in door.bookings()
    window.ops.stop()


def test_a_booking_that_cannot_be_entered_again_says_why_on_its_row(qtbot, refused_bar):
    bar, door, _, bo = refused_bar
    taken_again(bar)
    book(door, 8, name="Cy Twombly")
    door.engine.sync_once()
    bar.engine.sync_once()
    window, dialog = lost_dialog(qtbot, bar)
    note = dialog.table.columnCount() - 1

    dialog.enter_all.click()
    qtbot.waitUntil(lambda: "Not entered" in dialog.table.item(0, note).text(), timeout=10_000)

    assert "Table 8 is taken" in dialog.table.item(0, note).text()
    assert bo.id not in bar.bookings()
    window.ops.stop()


def test_the_window_says_so_while_the_desk_has_not_taken_the_servers_night(qtbot, refused_bar):
    bar, *_ = refused_bar
    bar.desk.repair.take_servers_night(bar.staff(Role.MANAGER))

    window, dialog = lost_dialog(qtbot, bar)
    qtbot.waitUntil(lambda: "not taken the server's night yet" in dialog.said.text())

    assert dialog.table.rowCount() == 0 and not dialog.enter_all.isEnabled()
    window.ops.stop()


def test_a_rebuilt_desk_lists_what_the_server_lost_and_what_it_never_sent(restored_server):
    reception, bar, ada, bo = restored_server
    cy = book(reception, 3, name="Cy Twombly")  # never sent: the desk was stopped
    manager = reception.staff(Role.MANAGER)
    assert reception.engine.sync_once().cure is not None
    reception.desk.repair.rebuild(manager, "alex", PASSWORD)
    rebuilt = SyncDesk.attach(reception.path, reception.store, reception.engine.api.http, bar.clock)
    assert rebuilt.engine.sync_once().state is SyncState.UP_TO_DATE

    night = rebuilt.desk.lost.lost()
    for lost in night.bookings:
        rebuilt.desk.lost.enter_again(manager, lost.booking_id)
    status = rebuilt.engine.sync_once()

    assert ".before-rebuild-" in night.copy.name
    assert {b.booking_id for b in night.bookings} == {bo.id, cy.booking.id}
    assert status.state is SyncState.UP_TO_DATE and status.pending == 0
    assert set(rebuilt.bookings()) == {ada.id, bo.id, cy.booking.id}


def test_the_command_line_lists_the_lost_booking_and_enters_it_again(refused_bar, capsys):
    from app.cli import main

    bar, door, _, bo = refused_bar
    taken_again(bar)

    def backroom(*args: str) -> tuple[int, str]:
        code = main(["--db", str(bar.path), *args], clock=lambda: NOW)
        out = capsys.readouterr()
        return code, out.out + out.err

    listed = backroom("lost")
    reference = listed[1].splitlines()[1].split()[0]
    neither = backroom("lost", "enter")
    unknown = backroom("lost", "enter", "ABCD-EFGH-JKM")
    entered = backroom("lost", "enter", reference.lower())

    assert listed[0] == 0 and "Of tonight and later, only in" in listed[1]
    assert "1 booking(s)" in listed[1]
    assert "Bo Diddley (2), table 8, confirmed" in listed[1]
    assert neither[0] != 0 and "references as listed, or --all" in neither[1]
    assert unknown[0] != 0 and "Not among the bookings listed: ABCDEFGHJKM" in unknown[1]
    assert entered[0] == 0, entered[1]
    assert "Entered again: booking" in entered[1] and "`backroom sync` sends" in entered[1]
    assert bar.engine.sync_once().state is SyncState.UP_TO_DATE
    door.engine.sync_once()
    assert bo.id in door.bookings()
    assert "0 booking(s)" in backroom("lost")[1]


@pytest.fixture
def changed_after_backup(desks, pg_server, sync_db, tmp_path):
    """Ada booked and synced everywhere, a backup; then ``change`` at reception, synced and
    pulled by the bar; the server restored to the backup and marked; the bar takes the
    server's night. Returns a function of the change giving the bar and Ada."""
    from tests.sync.server_restores import backup, marked_restored, restore

    def run(change):
        reception, bar = desks(), desks("Bar")
        ada = book(reception, 7, name="Ada Lovelace").booking
        reception.engine.sync_once()
        bar.engine.sync_once()
        kept = tmp_path / "server.dump"
        backup(pg_server, sync_db, kept)
        change(reception, ada.id)
        reception.engine.sync_once()
        bar.engine.sync_once()
        restore(pg_server, sync_db, kept)
        marked_restored(sync_db)
        assert bar.engine.sync_once().cure is not None
        taken_again(bar)
        return bar, ada

    return run


def cancelled(desk, booking_id: str) -> None:
    desk.desk.lifecycle.cancel(desk.staff(Role.RECEPTION), booking_id, "guest cancelled")


def test_a_booking_cancelled_after_the_backup_is_listed_and_cancelled_again_on_a_click(
    qtbot, capsys, changed_after_backup, sync_db
):
    from app.cli import main

    bar, ada = changed_after_backup(cancelled)

    night = bar.desk.lost.lost()
    assert night.bookings == ()
    [changed] = night.changed
    assert changed.name == "Ada Lovelace" and changed.booking_id == ada.id
    assert changed.differences == ("cancelled in the copy, confirmed here",)
    assert main(["--db", str(bar.path), "lost"], clock=lambda: NOW) == 0
    said = capsys.readouterr().out
    assert "Different in the copy (1)" in said
    assert "Ada Lovelace: cancelled in the copy, confirmed here" in said
    window, dialog = lost_dialog(qtbot, bar)
    assert dialog.changed.isVisible() and dialog.changed.rowCount() == 1
    assert dialog.changed.item(0, 3).text() == "cancelled in the copy, confirmed here"

    dialog.changed.selectRow(0)
    dialog.make_as_kept.click()
    qtbot.waitUntil(lambda: dialog.changed.rowCount() == 0, timeout=10_000)

    assert dialog.said.text().startswith("Cancelled Ada Lovelace's booking (as in the copy")
    assert not dialog.changed.isVisible()
    assert bar.engine.sync_once().state is SyncState.UP_TO_DATE
    on_server = server_sql(sync_db, "SELECT status FROM bookings WHERE id = %s", ada.id)
    assert on_server == [("cancelled",)]
    window.ops.stop()


def test_a_booking_moved_and_grown_after_the_backup_is_made_as_the_copy_has_it(
    changed_after_backup, capsys, sync_db
):
    from app.cli import main

    def moved_and_grown(desk, booking_id):
        staff = desk.staff(Role.RECEPTION)
        desk.desk.edits.edit_details(staff, booking_id, party_size=4, occasion="birthday")
        desk.desk.edits.move(staff, booking_id, (str(TABLE[9]),))

    bar, ada = changed_after_backup(moved_and_grown)
    [changed] = bar.desk.lost.lost().changed
    reference = changed.reference

    made = main(["--db", str(bar.path), "lost", "as-copy", reference], clock=lambda: NOW)
    again = main(["--db", str(bar.path), "lost", "as-copy", reference], clock=lambda: NOW)
    said = capsys.readouterr()

    assert changed.differences == (
        "table 9 in the copy, table 7 here",
        "party of 4 in the copy, party of 2 here",
        "its occasion, requests, notes or package differ",
    )
    assert made == 0 and "Moved Ada Lovelace to table 9" in said.out
    assert again != 0 and "Not among the bookings that differ from the copy" in said.err
    assert bar.engine.sync_once().state is SyncState.UP_TO_DATE
    on_server = server_sql(
        sync_db, "SELECT party_size, occasion FROM bookings WHERE id = %s", ada.id
    )
    assert on_server == [(4, "birthday")]
    assert bar.desk.lost.lost().changed == ()


def test_a_lost_booking_on_a_table_the_server_never_had_is_listed_and_not_entered_again(
    restored_server,
):
    import dataclasses
    import uuid

    reception, bar, *_ = restored_server
    manager = reception.staff(Role.MANAGER)
    assert reception.engine.sync_once().cure is not None  # its pushes stop here
    # Drawn and booked while the desk's pushes were stopped: only its file has them.
    seven = reception.desk.queries.venue().plan.table(str(TABLE[7]))
    new = dataclasses.replace(seven, id=str(uuid.uuid4()), number=17, x=seven.x + 300)
    reception.desk.floor.save_table(manager, new)
    ed = reception.desk.create.create_booking(
        manager,
        NewBooking(
            name="Ed Ruscha",
            phone="0113 496 0999",
            party_size=2,
            start=EVENING,
            duration_minutes=120,
            table_ids=(new.id,),
        ),
    ).booking
    reception.desk.repair.rebuild(manager, "alex", PASSWORD)
    rebuilt = SyncDesk.attach(reception.path, reception.store, reception.engine.api.http, bar.clock)
    assert rebuilt.engine.sync_once().state is SyncState.UP_TO_DATE

    [lost] = [b for b in rebuilt.desk.lost.lost().bookings if b.booking_id == ed.id]

    assert lost.seating == "table 17"  # read on the copy's own plan
    # The rebuild took the table out of use with the unsent change that drew it: the
    # server never had it (before, it stayed in the plan and the server refused every
    # booking on it).
    assert not rebuilt.desk.queries.venue().plan.table(new.id).active
    with pytest.raises(DomainError, match="Table 17 is retired"):
        rebuilt.desk.lost.enter_again(manager, ed.id)
    assert ed.id not in rebuilt.bookings() and rebuilt.pending() == 0


def test_a_table_the_server_lost_goes_out_of_use_on_a_desk_that_had_pulled_it(
    changed_after_backup,
):
    import dataclasses
    import uuid

    drawn: list[str] = []

    def table_drawn(desk, _booking_id):
        seven = desk.desk.queries.venue().plan.table(str(TABLE[7]))
        new = dataclasses.replace(seven, id=str(uuid.uuid4()), number=17, x=seven.x + 300)
        desk.desk.floor.save_table(desk.staff(Role.MANAGER), new)
        drawn.append(new.id)

    bar, _ = changed_after_backup(table_drawn)

    plan = bar.desk.queries.venue().plan
    # Pulled before the restore, lost by it: kept here, out of use (before, it stayed in
    # use and the server refused every booking on it).
    assert not plan.table(drawn[0]).active
    assert all(t.active for t in plan.tables if t.id != drawn[0])


def test_a_party_that_came_and_left_after_the_backup_is_entered_again_as_it_ended(
    changed_after_backup, sync_db
):
    came: list[str] = []

    def came_and_left(desk, _booking_id):
        bo = book(desk, 8, name="Bo Diddley").booking
        staff = desk.staff(Role.RECEPTION)
        desk.clock.advance(hours=5, minutes=5)  # 20:05, Bo arrives
        desk.desk.lifecycle.seat(staff, bo.id)
        desk.clock.advance(hours=2)  # 22:05, Bo leaves
        desk.desk.lifecycle.complete(staff, bo.id)
        came.append(bo.id)

    bar, _ = changed_after_backup(came_and_left)
    bar.clock.advance(hours=8)  # 23:00: the night's review is being read
    bo_id = came[0]

    [lost] = bar.desk.lost.lost().bookings
    said = bar.desk.as_kept.enter_again(bar.staff(Role.MANAGER), bo_id)
    status = bar.engine.sync_once()

    assert lost.booking_id == bo_id and lost.status == "completed"
    assert "completed in the copy: booked, then made so" in lost.caution
    assert said.startswith("Entered again: booking") and "Completed" in said, said
    assert status.state is SyncState.UP_TO_DATE, status.detail
    on_server = server_sql(sync_db, "SELECT status FROM bookings WHERE id = %s", bo_id)
    assert on_server == [("completed",)]
    assert bar.desk.lost.lost().bookings == () and bar.desk.lost.lost().changed == ()


def test_a_deposit_paid_in_the_copy_says_where_its_payment_will_be_found(changed_after_backup):
    from app.domain.deposit_ledger import PaymentMethod
    from app.services.deposits import TakeDeposit
    from tests.sync.test_deposits_at_the_bar import eight_tonight

    paid: list[str] = []

    def eight_who_paid(desk, _booking_id):
        booking_id = eight_tonight(desk)
        take = TakeDeposit(8000, PaymentMethod.CASH, "till 2")
        desk.desk.deposits.take(desk.staff(Role.RECEPTION), booking_id, take)
        paid.append(booking_id)

    bar, _ = changed_after_backup(eight_who_paid)

    [lost] = bar.desk.lost.lost().bookings
    assert lost.booking_id == paid[0]
    assert lost.caution.startswith("deposit £80.00 paid in the copy: not carried over.")
    assert "the server finds it at Stripe once the booking is entered again" in lost.caution
    assert lost.caution.endswith("at the bar, record it again")
