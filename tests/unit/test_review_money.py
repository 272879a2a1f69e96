"""The review's deposit figures: every ledger kind counts as exactly one thing."""

from datetime import UTC, datetime

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_ledger import LedgerEntry, LedgerKind, PaymentMethod
from app.domain.deposit_words import give_back_words
from app.domain.review_money import BUCKETS, Bucket, DepositFigures, deposit_figures

AT = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)


def booking(id_, status=BookingStatus.CONFIRMED, state=DepositState.PAID, pence=6000):
    return Booking(
        id=id_,
        venue_id="v",
        reference="R" + id_,
        customer_id="c",
        party_size=6,
        start=AT,
        duration_minutes=120,
        status=status,
        created_at=AT,
        updated_at=AT,
        deposit_state=state,
        deposit_pence=pence,
    )


def entry(booking_id, kind, pence, refused=None):
    return LedgerEntry(
        id=f"{booking_id}-{kind}",
        booking_id=booking_id,
        kind=kind,
        amount_pence=pence,
        method=PaymentMethod.CASH if kind is LedgerKind.PAYMENT_IN_PERSON else None,
        note="",
        staff_name="Alex",
        recorded_at=AT,
        refused=refused,
    )


def test_every_ledger_kind_has_its_one_line_in_the_reviews_buckets():
    assert set(BUCKETS) == set(LedgerKind)


def test_a_card_hold_is_not_money_taken_until_it_is_captured():
    assert BUCKETS[LedgerKind.HOLD] is Bucket.NONE
    assert BUCKETS[LedgerKind.CAPTURE] is Bucket.TAKEN


def test_a_refused_payment_is_not_counted_and_a_no_shows_kept_deposit_is_forfeited():
    bookings = [
        booking("a", BookingStatus.NO_SHOW),
        booking("b", BookingStatus.COMPLETED),
        booking("c", BookingStatus.CONFIRMED, DepositState.REQUIRED, 8000),
        booking("d", BookingStatus.CANCELLED, DepositState.REQUIRED, 7000),
    ]
    entries = [
        entry("a", LedgerKind.PAYMENT_IN_PERSON, 6000),
        entry("b", LedgerKind.STRIPE_PAYMENT, 6000),
        entry("b", LedgerKind.PAYMENT_IN_PERSON, 6000, refused="already paid"),
        entry("b", LedgerKind.WAIVER, 1000),
    ]

    figures = deposit_figures(bookings, entries, frozenset({"a"}))

    # c still owes £80; d was cancelled and owes nothing.
    assert figures == DepositFigures(
        taken=12000, refunded=0, forfeited=6000, outstanding=8000, waived=1000
    )


def test_money_a_booking_could_not_keep_is_to_give_back_until_a_manager_refunds_it():
    bookings = [
        # Paid the link after paying £60 at the bar: £60 twice.
        booking("twice"),
        # Cancelled with its link still open, then paid through it: nothing was owed.
        booking("late", BookingStatus.CANCELLED, DepositState.REQUESTED),
        # Waived by a manager, then paid through the link sent before.
        booking("waived", BookingStatus.CONFIRMED, DepositState.WAIVED),
        # A no-show's deposit, kept.
        booking("kept", BookingStatus.NO_SHOW),
        # Paid twice, and a manager refunded one of them.
        booking("mended", BookingStatus.CONFIRMED, DepositState.REFUNDED),
    ]
    entries = [
        entry("twice", LedgerKind.PAYMENT_IN_PERSON, 6000),
        entry("twice", LedgerKind.STRIPE_PAYMENT, 6000),
        entry("late", LedgerKind.STRIPE_PAYMENT, 6000),
        entry("waived", LedgerKind.WAIVER, 6000),
        entry("waived", LedgerKind.STRIPE_PAYMENT, 6000),
        entry("kept", LedgerKind.PAYMENT_IN_PERSON, 6000),
        entry("mended", LedgerKind.PAYMENT_IN_PERSON, 6000),
        entry("mended", LedgerKind.STRIPE_PAYMENT, 6000),
        entry("mended", LedgerKind.REFUND, 6000),
    ]

    figures = deposit_figures(bookings, entries, frozenset({"kept"}))

    assert figures.to_give_back == 18000
    assert figures.taken == 42000 and figures.refunded == 6000


def test_money_to_give_back_says_how_much_goes_back_through_stripe_and_how_much_at_the_bar():
    assert give_back_words(6000, 6000) == (
        "£60.00 more than it may keep: refund it (Refund deposit…)"
    )
    assert give_back_words(6000, 2500) == (
        "£60.00 more than it may keep: refund £25.00 (Refund deposit…), the rest at the bar "
        "(Money given back…)"
    )
    assert give_back_words(6000, 0) == (
        "£60.00 more than it may keep: give it back at the bar (Money given back…)"
    )


def test_a_refund_the_bank_sent_back_is_money_kept_again_and_refundable_again():
    from app.domain.deposit_actions import refundable_pence
    from app.domain.deposit_ledger import totals

    b = booking("a", BookingStatus.CANCELLED, DepositState.REFUND_FAILED)
    entries = [
        entry("a", LedgerKind.STRIPE_PAYMENT, 6000),
        entry("a", LedgerKind.REFUND, 6000),
        entry("a", LedgerKind.REFUND_FAILED, 6000),
    ]

    figures = deposit_figures([b], entries, frozenset())

    assert (figures.taken, figures.refunded, figures.kept) == (6000, 0, 6000)
    assert refundable_pence(entries) == 6000
    assert totals(entries).refunded_pence == 0


def test_a_refund_the_bank_sent_back_is_to_give_back_until_it_is_given_back_again():
    """The manager decided the money goes back; the bank's sending it back does not make
    it the venue's: the review counts it to give back, and only the refund sent back (a
    £20 refund that stood is not counted again)."""
    b = booking("a", BookingStatus.CANCELLED, DepositState.REFUND_FAILED, pence=8000)
    entries = [
        entry("a", LedgerKind.STRIPE_PAYMENT, 8000),
        entry("a", LedgerKind.REFUND, 2000),
        entry("a", LedgerKind.REFUND, 5000),
        entry("a", LedgerKind.REFUND_FAILED, 5000),
    ]

    assert deposit_figures([b], entries, frozenset()).to_give_back == 5000

    refunded_again = booking("a", BookingStatus.CANCELLED, DepositState.REFUNDED, pence=8000)
    entries.append(entry("a", LedgerKind.REFUND, 5000))
    assert deposit_figures([refunded_again], entries, frozenset()).to_give_back == 0


def test_money_given_back_at_the_bar_counts_as_refunded_and_is_not_refunded_through_stripe_again():
    from app.domain.deposit_actions import refundable_pence
    from app.domain.deposit_ledger import held_pence

    twice = booking("a", BookingStatus.CONFIRMED, DepositState.PAID, pence=6000)
    entries = [
        entry("a", LedgerKind.PAYMENT_IN_PERSON, 6000),
        entry("a", LedgerKind.STRIPE_PAYMENT, 6000),
    ]
    before = (
        deposit_figures([twice], entries, frozenset()).to_give_back,
        refundable_pence(entries),
    )
    entries.append(entry("a", LedgerKind.GIVEN_BACK, 6000))
    refunded = booking("a", BookingStatus.CONFIRMED, DepositState.REFUNDED, pence=6000)
    figures = deposit_figures([refunded], entries, frozenset())

    assert before == (6000, 6000)
    assert (figures.refunded, figures.kept, figures.to_give_back) == (6000, 6000, 0)
    assert (held_pence(entries), refundable_pence(entries)) == (6000, 0)
