"""The bookings list's manager actions on deposit money: claim a no-show's hold and refund
a deposit paid online, each through a dialog that shows the amount and the card first,
refuses a bad amount and queues nothing then; reception does not see them."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from app.domain.booking import BookingStatus, DepositState
from app.domain.deposit_ledger import LedgerKind
from app.domain.deposit_links import RequestStatus
from app.domain.deposit_modes import DepositMode
from app.models.ledger_repository import write_pulled
from app.models.link_repository import write_pulled_links
from app.protocol.rows import DepositRequestRow, LedgerRow
from app.services.booking_create import NewBooking
from tests.ui.conftest import book

AT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def as_pulled(
    desk,
    booking,
    *,
    deposit: DepositState,
    status: BookingStatus,
    capture_before: datetime | None = None,
) -> None:
    """The booking as the server left it (held or paid online), with the link and ledger
    rows the desk pulls with it, written through the desk's own repositories."""
    with desk.store.unit_of_work() as uow:
        rules = uow.venue.get()
        b = uow.bookings.get(booking.id)
        uow.bookings.save(
            replace(b, deposit_state=deposit, status=status, version=b.version + 1),
            rules.venue.service_day(b.start),
        )
        hold = deposit is DepositState.HELD
        write_pulled_links(
            uow.session,
            [
                DepositRequestRow(
                    id=uuid.uuid4(),
                    venue_id=uuid.uuid4(),
                    version=7,
                    updated_at=AT,
                    booking_id=uuid.UUID(booking.id),
                    amount_pence=8000,
                    currency="GBP",
                    status=RequestStatus.HELD if hold else RequestStatus.PAID,
                    mode=DepositMode.HOLD if hold else DepositMode.PAYMENT,
                    card_last4="4242",
                    requested_at=AT,
                    capture_before=capture_before,
                )
            ],
        )
        write_pulled(
            uow.session,
            [
                LedgerRow(
                    id=uuid.uuid4(),
                    venue_id=uuid.uuid4(),
                    version=8,
                    updated_at=AT,
                    booking_id=uuid.UUID(booking.id),
                    kind=LedgerKind.HOLD if hold else LedgerKind.STRIPE_PAYMENT,
                    amount_pence=8000,
                    currency="GBP",
                    staff_id=uuid.uuid4(),
                    staff_name="Paid online (Stripe)",
                    recorded_at=AT,
                    provider_ref="pi_test_1",
                )
            ],
        )
        uow.commit()


def queued(db_path, name: str) -> list[dict]:
    import json

    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT body FROM outbox WHERE name = ?", (name,)).fetchall()
    return [json.loads(body)["args"] for (body,) in rows]


def show_all(window) -> None:
    window.bookings.status.setCurrentText("All")
    window.bookings.table.selectRow(0)


def refund_from_the_list(qtbot, window, amount: str | None, reason: str) -> str:
    """Refund deposit… on the booking shown first (it must be offered), the amount typed
    (else the most that can be refunded) and the reason given, then confirmed; the
    question the dialog asked."""
    show_all(window)
    refund = window.bookings.actions_by_name["Refund deposit…"]
    assert refund.isEnabled(), refund.toolTip()
    refund.trigger()
    dialog = window.bookings.money_dialog
    if amount is not None:
        dialog.amount.setText(amount)
    dialog.reason.setText(reason)
    question = dialog.question.text()
    with qtbot.waitSignal(window.ops.changed):
        dialog.go.click()
    return question


def test_a_manager_claims_part_of_a_no_shows_hold_after_seeing_amount_and_card(
    qtbot, desk, manager, make_window, db_path
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    as_pulled(desk, booking, deposit=DepositState.HELD, status=BookingStatus.NO_SHOW)
    window = make_window(manager)
    show_all(window)
    claim = window.bookings.actions_by_name["Claim deposit…"]
    refund = window.bookings.actions_by_name["Refund deposit…"]
    could = (claim.isVisible(), claim.isEnabled(), refund.isEnabled())

    claim.trigger()
    dialog = window.bookings.money_dialog
    first = dialog.question.text()
    dialog.amount.setText("50.00")
    second = (dialog.question.text(), dialog.go.text())
    with qtbot.waitSignal(window.ops.changed):
        dialog.go.click()

    assert could == (True, True, False)
    assert first.startswith("Capture £80.00 from the hold on the card ending 4242")
    assert second[0].startswith("Capture £50.00 from the hold on the card ending 4242")
    assert second[1] == "Claim £50.00"
    assert queued(db_path, "claim_deposit") == [{"amount_pence": 5000, "currency": "GBP"}]


def test_a_hold_past_its_day_is_not_offered_a_claim_and_its_detail_says_it_lapsed(
    qtbot, desk, manager, make_window, clock
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    lapsed_at = clock.now - timedelta(minutes=1)  # the server has not recorded it yet
    as_pulled(
        desk,
        booking,
        deposit=DepositState.HELD,
        status=BookingStatus.NO_SHOW,
        capture_before=lapsed_at,
    )
    window = make_window(manager)
    show_all(window)
    claim = window.bookings.actions_by_name["Claim deposit…"]
    tooltip = window.bookings.proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    column = window.bookings.proxy.index(0, 5).data()

    assert column == "£80.00 hold lapsed"
    assert (claim.isVisible(), claim.isEnabled()) == (True, False)
    assert "card hold has lapsed at the bank (a hold lasts 7 days)" in claim.toolTip()
    assert "the hold has lapsed at the bank, so nothing can be claimed on it." in tooltip


def test_a_bad_amount_is_said_and_nothing_is_queued(qtbot, desk, manager, make_window, db_path):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    as_pulled(desk, booking, deposit=DepositState.HELD, status=BookingStatus.NO_SHOW)
    window = make_window(manager)
    show_all(window)
    window.bookings.actions_by_name["Claim deposit…"].trigger()
    dialog = window.bookings.money_dialog

    dialog.amount.setText("eighty")
    typed = (dialog.go.isEnabled(), dialog.error.text())
    dialog.amount.setText("90.00")
    with qtbot.waitSignal(window.ops.refused):
        dialog.go.click()

    assert typed[0] is False and "not an amount in pounds" in typed[1]
    assert "capped at the deposit" in dialog.error.text()
    assert dialog.isVisible()
    assert queued(db_path, "claim_deposit") == []


def test_a_manager_refunds_part_of_a_deposit_paid_online_with_a_reason(
    qtbot, desk, manager, make_window, db_path
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    as_pulled(desk, booking, deposit=DepositState.PAID, status=BookingStatus.CANCELLED)

    question = refund_from_the_list(qtbot, make_window(manager), "25.00", "Cancelled in good time")

    assert question.startswith("Refund £25.00 of booking")
    assert "the card ending 4242" in question
    assert queued(db_path, "refund_deposit") == [
        {"amount_pence": 2500, "currency": "GBP", "reason": "Cancelled in good time"}
    ]


def test_reception_is_not_shown_the_money_actions(qtbot, desk, reception, make_window):
    booking = book(desk, reception, "Ada Lovelace", 8, 19)
    as_pulled(desk, booking, deposit=DepositState.HELD, status=BookingStatus.NO_SHOW)
    window = make_window(reception)
    show_all(window)

    assert not window.bookings.actions_by_name["Claim deposit…"].isVisible()
    assert not window.bookings.actions_by_name["Refund deposit…"].isVisible()


def test_the_booking_s_detail_says_the_deposit_is_held_on_which_card(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    as_pulled(desk, booking, deposit=DepositState.HELD, status=BookingStatus.CONFIRMED)
    window = make_window(manager)
    show_all(window)
    column = window.bookings.proxy.index(0, 5).data()

    window.bookings.actions_by_name["Edit…"].trigger()
    dialog = window.bookings.edit_dialog
    tooltip = window.bookings.proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)

    assert column == "£80.00 held on card"
    assert dialog.deposit_now.text() == "£80.00 held on the card ending 4242."
    assert "Deposit: £80.00 held on the card ending 4242." in tooltip


def test_a_part_refund_reads_as_such_in_the_list_and_the_detail(qtbot, desk, manager, make_window):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    as_pulled(desk, booking, deposit=DepositState.PAID, status=BookingStatus.CANCELLED)
    with desk.store.unit_of_work() as uow:
        b = uow.bookings.get(booking.id)
        uow.bookings.save(
            replace(b, deposit_state=DepositState.REFUNDED, version=b.version + 1),
            uow.venue.get().venue.service_day(b.start),
        )
        write_pulled(
            uow.session,
            [
                LedgerRow(
                    id=uuid.uuid4(),
                    venue_id=uuid.uuid4(),
                    version=9,
                    updated_at=AT,
                    booking_id=uuid.UUID(booking.id),
                    kind=LedgerKind.REFUND,
                    amount_pence=3000,
                    currency="GBP",
                    staff_id=uuid.uuid4(),
                    staff_name="Priya",
                    recorded_at=AT,
                    provider_ref="re_test_1",
                )
            ],
        )
        uow.commit()
    window = make_window(manager)
    show_all(window)

    # A cancelled booking is not edited: its detail is the list's tooltip.
    tooltip = window.bookings.proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)

    assert window.bookings.proxy.index(0, 5).data() == "£30.00 of £80.00 refunded"
    assert "Deposit: £30.00 of £80.00 refunded (part); £50.00 kept." in tooltip


def test_claim_is_not_offered_on_a_cancellation_in_good_time_and_the_button_says_why(
    qtbot, desk, manager, make_window
):
    start = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # five days after it was made
    made = NewBooking(name="Ada Lovelace", phone="0113 496 0001", party_size=8, start=start)
    booking = desk.create.create_booking(manager, made).booking
    as_pulled(desk, booking, deposit=DepositState.HELD, status=BookingStatus.CANCELLED)
    window = make_window(manager)
    window.state.set_day(start.date())
    show_all(window)

    claim = window.bookings.actions_by_name["Claim deposit…"]

    assert window.bookings.selected_id() == booking.id
    assert (claim.isVisible(), claim.isEnabled()) == (True, False)
    assert "cannot be claimed: it was cancelled in good time" in claim.toolTip()


def test_a_link_paid_after_the_booking_was_cancelled_can_be_refunded_from_the_list(
    qtbot, desk, manager, make_window, db_path
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    # Cancelled with its link out; the guest paid it anyway and the server kept the money.
    as_pulled(desk, booking, deposit=DepositState.REQUESTED, status=BookingStatus.CANCELLED)

    question = refund_from_the_list(qtbot, make_window(manager), None, "Paid after cancelling")

    assert question.startswith("Refund £80.00 of booking")
    assert queued(db_path, "refund_deposit") == [
        {"amount_pence": 8000, "currency": "GBP", "reason": "Paid after cancelling"}
    ]


def test_a_deposit_paid_at_the_bar_is_not_offered_a_refund_and_says_why(desk, manager, make_window):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    with desk.store.unit_of_work() as uow:
        rules, b = uow.venue.get(), uow.bookings.get(booking.id)
        uow.bookings.save(
            replace(b, deposit_state=DepositState.PAID, version=b.version + 1),
            rules.venue.service_day(b.start),
        )
        uow.commit()
    window = make_window(manager)
    show_all(window)
    refund = window.bookings.actions_by_name["Refund deposit…"]

    assert not refund.isEnabled()
    assert "given back at the bar" in refund.toolTip()


def test_money_to_give_back_reads_in_red_in_the_list_and_its_detail_says_how(
    desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    # Cancelled with its link out; the guest paid it anyway and the server kept the money.
    as_pulled(desk, booking, deposit=DepositState.REQUESTED, status=BookingStatus.CANCELLED)
    window = make_window(manager)
    show_all(window)

    cell = window.bookings.proxy.index(0, 5)
    tooltip = window.bookings.proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)

    assert cell.data() == "£80.00 to give back"
    assert cell.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    assert "£80.00 more than it may keep: refund it (Refund deposit…)." in tooltip


def test_a_refund_the_bank_sent_back_reads_in_red_and_says_what_to_do(desk, manager, make_window):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    # Paid online and refunded; the guest's bank sent the refund back (server-side rows).
    as_pulled(desk, booking, deposit=DepositState.REFUND_FAILED, status=BookingStatus.CONFIRMED)
    window = make_window(manager)
    show_all(window)

    cell = window.bookings.proxy.index(0, 5)
    refund = window.bookings.actions_by_name["Refund deposit…"]

    assert cell.data() == "refund failed"
    assert cell.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    assert refund.isEnabled()  # the money is Stripe's to give back again
