from datetime import UTC, datetime

from app.domain.booking import BookingStatus
from app.services.conflicts import ConflictSide, ConflictView
from app.services.refusals import RefusalView
from app.views.conflicts_inbox import ConflictsInbox
from tests.ui.conftest import waitlist


def test_promote_gives_the_top_party_the_best_free_table(qtbot, desk, manager, make_window):
    party = waitlist(desk, manager, "Waiting Wendy", 4, 21)
    window = make_window(manager)
    window.waitlist.select(party.id)

    with qtbot.waitSignal(window.ops.changed):
        window.waitlist.act_promote.trigger()

    promoted = desk.queries.booking(party.id)
    assert promoted.booking.status is BookingStatus.CONFIRMED
    assert promoted.tables == "4"
    assert window.waitlist.model.rowCount() == 0
    assert window.bookings.model.row_of(party.id) >= 0


def test_remove_takes_a_party_off_the_waitlist(qtbot, desk, manager, make_window):
    party = waitlist(desk, manager, "Waiting Wendy", 4, 21)
    window = make_window(manager)
    window.waitlist.select(party.id)

    with qtbot.waitSignal(window.ops.changed):
        window.waitlist.act_remove.trigger()

    assert desk.queries.booking(party.id).booking.status is BookingStatus.CANCELLED
    assert window.waitlist.model.rowCount() == 0


def test_the_panel_offers_a_free_table_to_the_highest_priority_party_that_fits(
    qtbot, desk, manager, make_window, clock
):
    waitlist(desk, manager, "First Fiona", 6, 21)
    clock.advance(minutes=20)
    second = waitlist(desk, manager, "Second Sam", 2, 21)
    window = make_window(manager)

    assert "offer it to <b>First Fiona</b>, party of 6" in window.waitlist.offer.text()
    with qtbot.waitSignal(window.ops.changed):
        window.waitlist.offer_button.click()

    assert desk.queries.booking(second.id).booking.status is BookingStatus.WAITLISTED
    assert window.waitlist.model.rowCount() == 1


def side(guest, desk, staff, tables):
    return ConflictSide(guest, 4, datetime(2026, 11, 27, 21, 0, tzinfo=UTC), tables, desk, staff)


def test_the_conflicts_inbox_shows_both_sides_and_the_allowed_resolutions(qtbot, venue):
    inbox = ConflictsInbox(venue, lambda action: False)
    qtbot.addWidget(inbox)
    conflict = ConflictView(
        id="c1",
        summary="Table 7 was booked twice for 21:00",
        ours=side("Ada Lovelace", "Reception", "Sam Reid", "7"),
        theirs=side("Grace Hopper", "Bar tablet", "Alex Moore", "7"),
        resolutions=("keep ours", "keep theirs", "keep both"),
    )

    inbox.show_conflicts([conflict])
    card = inbox.cards[0]
    with qtbot.waitSignal(inbox.resolution_chosen) as chosen:
        card.buttons["keep theirs"].click()

    text = " ".join(label.text() for label in card.findChildren(type(inbox.empty)))
    assert "Ada Lovelace, party of 4" in text and "Grace Hopper, party of 4" in text
    assert "Bar tablet · Alex Moore" in text and "21:00 at table 7" in text
    assert chosen.args == ["c1", "keep theirs"]
    # Keeping both on one table is a manager's override: reception is not offered it.
    assert set(card.buttons) == {"keep ours", "keep theirs"}
    assert inbox.empty.isHidden()


def test_picking_a_booking_on_the_floor_drops_the_waitlist_pick(qtbot, desk, manager, make_window):
    from tests.ui.conftest import book, tonight_at

    party = waitlist(desk, manager, "Waiting Wendy", 4, 21)
    seated_soon = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    window = make_window(manager)
    window.state.set_time(tonight_at(desk, 20, 30))
    window.waitlist.select(party.id)

    window.floor.scene.booking_clicked.emit(seated_soon.id)

    assert window.waitlist.selected_id() is None
    assert window.bookings.selected_id() == seated_soon.id
    assert window.state.selected_booking == seated_soon.id


def test_the_inbox_shows_refusals_apart_from_conflicts_and_counts_both(qtbot, venue):
    inbox = ConflictsInbox(venue, lambda action: False)
    qtbot.addWidget(inbox)
    conflict = ConflictView(
        id="c1",
        summary="Table 7 was booked twice for 21:00",
        ours=side("Ada Lovelace", "Reception", "Sam Reid", "7"),
        theirs=side("Grace Hopper", "Bar tablet", "Alex Moore", "7"),
        resolutions=("keep ours", "keep theirs"),
    )
    refusal = RefusalView(
        3,
        "Move of booking ABCD-EFGH-JKM (Ada <Lovelace>)",
        "Booking ABCD-EFGH-JKM is completed; it cannot be moved.",
        datetime(2026, 11, 27, 21, 14, tzinfo=UTC),
        "move_booking",
        "booking-1",
    )

    inbox.show_conflicts([conflict])
    with qtbot.waitSignal(inbox.count_changed) as counted:
        inbox.show_refusals([refusal])
    [card] = inbox.refusal_cards
    with qtbot.waitSignal(inbox.retry_requested) as retried:
        card.retry.click()
    with qtbot.waitSignal(inbox.discard_requested) as discarded:
        card.discard.click()
    with qtbot.waitSignal(inbox.amend_requested) as amended:
        card.amend.click()
    with qtbot.waitSignal(inbox.acknowledge_requested) as asked_all:
        inbox.acknowledge_all.click()

    assert counted.args == [2]
    assert inbox.title() == "Conflicts (1) · Refused (1)"
    assert retried.args == [3] and discarded.args == amended.args == [refusal]
    assert "Ada &lt;Lovelace&gt;" in card.title.text()
    assert card.reason.text() == "Booking ABCD-EFGH-JKM is completed; it cannot be moved."
    assert asked_all.args == [(3,)]
    assert not inbox.refused.isHidden() and inbox.empty.isHidden()
