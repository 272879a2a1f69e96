"""The money badge: deposit money a manager has to see to, on any night, counted on the top
bar, listed on a click, and a line opening its booking's night with the booking picked."""

from __future__ import annotations

import uuid
from datetime import timedelta

from app.domain.booking import BookingStatus, DepositState
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import LedgerKind
from app.domain.deposit_links import RequestStatus
from app.domain.references import format_reference
from app.models.ledger_repository import write_pulled
from app.models.link_repository import write_pulled_links
from app.protocol.rows import DepositRequestRow, LedgerRow
from tests.ui.conftest import book
from tests.ui.test_claim_and_refund import AT, as_pulled, queued, show_all

SENT_BACK_WORDS = (
    "The guest's bank sent the £80.00 refund back: the guest's card has expired or was "
    "cancelled. The money is back in the venue's Stripe balance: refund it again (Refund "
    "deposit…), or give it back another way and record it (Money given back…)."
)


def counted(qtbot, window):
    """The window once the badge's read on the database worker has come back."""
    qtbot.waitUntil(lambda: not window.ops.db.busy)
    return window


def refund_sent_back(desk, booking) -> None:
    """As the desk pulls it: paid online, refunded, and the refund sent back by the bank."""
    as_pulled(desk, booking, deposit=DepositState.REFUND_FAILED, status=BookingStatus.CANCELLED)
    with desk.store.unit_of_work() as uow:
        write_pulled_links(
            uow.session,
            [
                DepositRequestRow(
                    id=uuid.uuid4(),
                    venue_id=uuid.uuid4(),
                    version=9,
                    updated_at=AT,
                    booking_id=uuid.UUID(booking.id),
                    amount_pence=8000,
                    currency="GBP",
                    status=RequestStatus.FAILED,
                    kind=ActionKind.REFUND,
                    requested_at=AT + timedelta(minutes=5),
                    problem=SENT_BACK_WORDS,
                )
            ],
        )
        write_pulled(
            uow.session,
            [
                LedgerRow(
                    id=uuid.uuid4(),
                    venue_id=uuid.uuid4(),
                    version=10 + i,
                    updated_at=AT,
                    booking_id=uuid.UUID(booking.id),
                    kind=kind,
                    amount_pence=8000,
                    currency="GBP",
                    staff_id=uuid.uuid4(),
                    staff_name="Alex",
                    recorded_at=AT + timedelta(minutes=5 + i),
                    provider_ref=f"re_{i}",
                )
                for i, kind in enumerate((LedgerKind.REFUND, LedgerKind.REFUND_FAILED))
            ],
        )
        uow.commit()


def test_a_refund_the_bank_sent_back_is_on_the_managers_badge_whatever_night_is_shown(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    refund_sent_back(desk, booking)
    window = counted(qtbot, make_window(manager))
    tonight = window.state.day
    window.state.set_day(tonight + timedelta(days=5))  # the manager looks at next week

    badge = window.top.money
    shown = (badge.isVisible(), badge.text())
    dialog = window.money_actions.open_list()
    rows = dialog.rows()
    dialog.tree.itemActivated.emit(dialog.tree.topLevelItem(0), 0)

    assert shown == (True, "£ 1 to see to")
    assert [row[1:] for row in rows] == [
        [format_reference(booking.reference), "Ada Lovelace", "£80.00", SENT_BACK_WORDS]
    ]
    # The line opens the booking's night with it picked, where Refund deposit… acts on it.
    assert window.state.day == tonight
    assert window.bookings.selected_id() == booking.id
    assert window.bookings.actions_by_name["Refund deposit…"].isEnabled()


def test_reception_sees_no_money_badge(qtbot, desk, manager, reception, make_window):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    refund_sent_back(desk, booking)

    assert not counted(qtbot, make_window(reception)).top.money.isVisible()


def test_a_no_shows_hold_is_to_claim_until_the_manager_claims_it(
    qtbot, desk, manager, make_window, db_path, clock
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    day = clock.now + timedelta(days=6)
    as_pulled(
        desk, booking, deposit=DepositState.HELD, status=BookingStatus.NO_SHOW, capture_before=day
    )
    window = counted(qtbot, make_window(manager))
    what = window.money_actions.open_list().rows()[0][4]

    show_all(window)
    window.bookings.actions_by_name["Claim deposit…"].trigger()
    with qtbot.waitSignal(window.ops.changed):
        window.bookings.money_dialog.go.click()
    counted(qtbot, window)

    assert what.startswith("No-show: £80.00 held on the card ending 4242. Claim it")
    assert window.state.venue.show_day_time(day) in what
    assert queued(db_path, "claim_deposit") == [{"amount_pence": 8000, "currency": "GBP"}]
    assert not window.top.money.isVisible()  # asked of the server: nothing left to see to


def test_the_picked_lines_words_are_shown_whole_below_the_list(qtbot, desk, manager, make_window):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    refund_sent_back(desk, booking)

    dialog = counted(qtbot, make_window(manager)).money_actions.open_list()

    assert dialog.detail.text() == (
        f"{format_reference(booking.reference)}, Ada Lovelace: {SENT_BACK_WORDS}"
    )


def test_a_refund_sent_back_and_given_back_by_transfer_leaves_the_badge(
    qtbot, desk, manager, make_window, db_path
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    refund_sent_back(desk, booking)
    window = counted(qtbot, make_window(manager))
    show_all(window)
    given = window.bookings.actions_by_name["Money given back…"]
    offered = given.isEnabled()

    given.trigger()
    dialog = window.bookings.give_back_dialog
    suggested = dialog.amount.text()
    dialog.method.setCurrentIndex(dialog.method.findText("Bank transfer"))
    dialog.reason.setText("Card closed: paid by transfer")
    question = dialog.question.text()
    with qtbot.waitSignal(window.ops.changed):
        dialog.go.click()
    counted(qtbot, window)

    assert offered and suggested == "80.00"
    assert question == (
        f"Record that £80.00 of booking {format_reference(booking.reference)}'s deposit was "
        "given back to Ada Lovelace by bank transfer?"
    )
    [args] = queued(db_path, "give_back_deposit")
    assert {k: args[k] for k in ("amount_pence", "method", "reason")} == {
        "amount_pence": 8000,
        "method": "bank_transfer",
        "reason": "Card closed: paid by transfer",
    }
    assert window.bookings.proxy.index(0, 5).data() == "£80.00 refunded"
    assert not window.top.money.isVisible()


def test_more_than_the_venue_holds_is_refused_in_the_dialog_and_nothing_is_queued(
    qtbot, desk, manager, make_window, db_path
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    refund_sent_back(desk, booking)
    window = make_window(manager)
    show_all(window)
    window.bookings.actions_by_name["Money given back…"].trigger()
    dialog = window.bookings.give_back_dialog

    dialog.amount.setText("95")
    dialog.reason.setText("Goodwill")
    dialog.go.click()
    qtbot.waitUntil(lambda: bool(dialog.error.text()))

    assert "£95.00 is more than the £80.00" in dialog.error.text()
    assert queued(db_path, "give_back_deposit") == []
    assert dialog.isVisible()
