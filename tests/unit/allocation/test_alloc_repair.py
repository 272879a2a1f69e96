from app.domain.allocation import (
    DecisionKind,
    Engine,
    SeatingRequest,
    decide,
    describe_move,
)
from app.domain.booking import BookingStatus

SIX_SEAT_TABLES = (9, 10, 11, 15)


def full_six_tops(make_booking, status_of_three=BookingStatus.CONFIRMED):
    """Every table for six is taken 20:00–22:00, one of them by a party of three."""
    fives = [make_booking(f"five-{n}", 5, "20:00", 120, (n,)) for n in SIX_SEAT_TABLES]
    three = make_booking("smith", 3, "20:00", 120, (16,), status=status_of_three)
    return [*fives, three]


def numbers(plan, table_ids):
    return sorted(plan.table(t).number for t in table_ids)


def test_a_party_of_six_is_seated_by_moving_a_three_off_a_six_top(plan, at, make_booking):
    bookings = full_six_tops(make_booking)

    decision = decide(plan, bookings, SeatingRequest(6, at("20:30"), 150), now=at("18:00"))

    assert decision.kind is DecisionKind.SEAT_WITH_MOVES
    assert numbers(plan, decision.seating.table_ids) == [16]
    [move] = decision.moves
    assert move.booking_id == "smith"
    assert numbers(plan, move.to_table_ids) == [4]
    assert not move.combined


def test_the_proposed_move_reads_as_a_sentence_with_the_guest_name(plan, at, make_booking):
    bookings = full_six_tops(make_booking)
    decision = decide(plan, bookings, SeatingRequest(6, at("20:30"), 150), now=at("18:00"))

    text = describe_move(decision.moves[0], plan, name_of=lambda cid: "Smith")

    assert text == "Move Smith (party of 3) from table 16 to table 4"


def test_a_seated_party_is_never_moved_so_nearby_times_are_offered(plan, at, make_booking):
    bookings = full_six_tops(make_booking, status_of_three=BookingStatus.SEATED)

    decision = decide(plan, bookings, SeatingRequest(6, at("20:30"), 150), now=at("18:00"))

    assert decision.kind is DecisionKind.NEAREST_TIMES
    assert decision.moves == ()
    starts = [t.start for t in decision.times]
    assert starts == [at("22:00"), at("22:15"), at("22:30")]


def test_a_party_that_fits_as_the_plan_stands_moves_nobody(plan, at, make_booking):
    bookings = full_six_tops(make_booking)

    decision = decide(plan, bookings, SeatingRequest(2, at("20:30"), 90), now=at("18:00"))

    assert decision.kind is DecisionKind.SEAT
    assert numbers(plan, decision.seating.table_ids) == [1]


def test_a_party_nothing_can_seat_near_the_time_goes_on_the_waitlist(plan, at, make_booking):
    big = make_booking("big", 12, "17:00", 12 * 60 - 15, (15, 16), status=BookingStatus.SEATED)

    decision = decide(plan, [big], SeatingRequest(10, at("21:00"), 180), now=at("20:00"))

    assert decision.kind is DecisionKind.WAITLIST
    assert "party of 10" in decision.reason


def test_a_party_larger_than_any_table_or_join_is_told_why(plan, at):
    decision = decide(plan, [], SeatingRequest(13, at("21:00"), 180), now=at("20:00"))

    assert decision.kind is DecisionKind.WAITLIST
    assert decision.reason == "No table or combination here seats a party of 13."


def test_moves_chain_when_one_move_is_not_enough(plan, clock, at, make_booking):
    # The three on 16 needs a four-top, every four-top is taken, and only the
    # pair on 14 can step down to the one free two-top (13).
    pairs = [make_booking(f"pair-{n}", 2, "20:00", 120, (n,)) for n in (1, 2, 3)]
    fours = [make_booking(f"four-{n}", 4, "20:00", 120, (n,)) for n in (4, 5, 6, 7, 8)]
    pair_on_14 = make_booking("pair-14", 2, "20:00", 120, (14,))
    engine = Engine(plan, clock, [*full_six_tops(make_booking), *pairs, *fours, pair_on_14])

    decision = engine.decide(SeatingRequest(6, at("20:30"), 150), now=at("18:00"))

    assert decision.kind is DecisionKind.SEAT_WITH_MOVES
    moved = {m.booking_id: numbers(plan, m.to_table_ids) for m in decision.moves}
    assert moved == {"smith": [14], "pair-14": [13]}
    assert numbers(plan, decision.seating.table_ids) == [16]


def test_a_nearer_time_that_needs_one_move_is_offered_before_later_free_times(
    plan, at, make_booking
):
    # The six-tops are taken by seated parties 20:00-22:00; table 16 frees at 21:00 but
    # Smith's three is booked on it from then: at 21:00 the six fits if Smith moves.
    seated = BookingStatus.SEATED
    fives = [
        make_booking(f"five-{n}", 5, "20:00", 120, (n,), status=seated) for n in (9, 10, 11, 15)
    ]
    early = make_booking("early", 4, "19:00", 120, (16,), status=seated)
    smith = make_booking("smith", 3, "21:00", 120, (16,))

    decision = decide(
        plan, [*fives, early, smith], SeatingRequest(6, at("20:30"), 150), now=at("18:00")
    )

    assert decision.kind is DecisionKind.NEAREST_TIMES
    assert [(t.start, t.moves) for t in decision.times] == [
        (at("21:00"), 1),
        (at("22:00"), 0),
        (at("22:15"), 0),
    ]
