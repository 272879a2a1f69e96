from PySide6.QtCore import QTimer

from app.domain.booking import BookingStatus
from tests.ui.conftest import book, waitlist


def crowded_night(desk, manager):
    """A couple sits on 4-top 4 because the 2-tops were full; then a 2-top freed up."""
    for n in (1, 2, 3, 13):
        book(desk, manager, f"Couple {n}", 2, 21, 0, tables=(n,))
    book(desk, manager, "Couple on four", 2, 21, 0, tables=(4,))
    for n in (5, 6, 14, 7, 8):
        book(desk, manager, f"Four {n}", 4, 21, 0, tables=(n,))
    for n in (9, 10, 11, 15, 16):
        book(desk, manager, f"Five {n}", 5, 21, 0, tables=(n,))
    night = {v.customer.name: v.booking for v in desk.queries.bookings_on(desk.queries.tonight())}
    desk.lifecycle.cancel(manager, night["Couple 1"].id)
    waitlist(desk, manager, "Waiting Four", 4, 21, 0)


def test_the_manager_reads_the_night_plan_and_applying_it_seats_the_waitlisted_party(
    qtbot, desk, manager, make_window
):
    crowded_night(desk, manager)
    window = make_window(manager)
    shown: list[str] = []

    def accept() -> None:
        # The plan is worked out on the database worker; the dialog opens when it is ready.
        dialog = getattr(window, "night_plan_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, accept)
            return
        shown.extend(dialog.lines.item(i).text() for i in range(dialog.lines.count()))
        dialog.accept()

    QTimer.singleShot(0, accept)
    with qtbot.waitSignal(window.ops.changed):
        window.reoptimise()

    assert shown == [
        "Move Couple on four (party of 2) from table 4 to table 1",
        "Seat Waiting Four (party of 4) from the waitlist at table 4",
    ]
    night = {v.customer.name: v for v in desk.queries.bookings_on(desk.queries.tonight())}
    assert night["Waiting Four"].booking.status is BookingStatus.CONFIRMED
    assert night["Waiting Four"].tables == "4"


def test_reception_is_not_offered_the_re_arrangement(desk, reception, make_window):
    window = make_window(reception)

    offered = [a.text() for a in window.actions() if a.isVisible()]

    assert "Re-arrange the night…" not in offered


def test_the_manager_is_offered_the_re_arrangement(desk, manager, make_window):
    window = make_window(manager)

    offered = [a.text() for a in window.actions() if a.isVisible()]

    assert "Re-arrange the night…" in offered
