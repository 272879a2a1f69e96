"""The simulator's independent model: its boundary and a few of its rules (no database)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.sim import oracle
from tests.sim.model import Booking, Plan, State, Venue, reasons
from tests.sim.model.rows import Stamp
from tests.sim.model.rules import merged_text, set_status
from tests.sim.model.state import Failure, Intent, StaffMember
from tests.sim.network import Delivery

MODEL = Path(__file__).parent / "model"
NIGHT = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
VENUE = Venue.from_row(
    {
        "id": "v",
        "name": "The Backroom",
        "settings": {
            "timezone": "Europe/London",
            "day_boundary": "06:00",
            "opening_hours": {"2": {"opens": "17:00", "closes": "01:00"}},
        },
    }
)
T4, T5 = "00000000-0000-0000-0000-000000000004", "00000000-0000-0000-0000-000000000005"
PLAN = Plan(
    tables={
        t: {"id": t, "active": True, "min_covers": 2, "max_covers": 4, "number": n}
        for n, t in ((4, T4), (5, T5))
    },
    combinations={
        "c": {"id": "c", "active": True, "table_ids": (T4, T5), "min_party": 5, "max_party": 8}
    },
    areas={},
)


def booking(**changes) -> Booking:
    fields = {
        "id": "b",
        "venue_id": "v",
        "reference": "ABCDEFGHJKM",
        "customer_id": "c",
        "party_size": 4,
        "start": NIGHT,
        "duration_minutes": 120,
        "status": "confirmed",
        "table_ids": (T4,),
        "combined": False,
        "special_requests": "",
        "occasion": "",
        "notes": "",
        "priority_score": 0,
        "deposit_state": "not_required",
        "deposit_pence": 0,
        "source": "phone",
        "waitlisted_at": None,
        "created_at": NIGHT,
        "updated_at": NIGHT,
    }
    return Booking(**(fields | changes))


def test_the_model_imports_nothing_from_the_app_or_the_server():
    imported = set()
    for path in MODEL.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}

    assert not imported & {"app", "server"}


def test_a_stay_past_closing_time_is_outside_opening_hours_and_01_30_is_the_night_before():
    late = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)

    assert VENUE.open_for(NIGHT, 120)
    assert not VENUE.open_for(late, 120)
    assert VENUE.service_day(datetime(2026, 11, 26, 1, 30, tzinfo=UTC)).day == 25


def test_notes_written_over_an_unseen_version_keep_both_signed_in_london_time():
    signature = VENUE.signature("Sam", datetime(2026, 7, 1, 20, 5, tzinfo=UTC))

    assert signature == "Sam, 01 Jul 21:05"
    assert merged_text("cake", "", "nuts", signature) == "cake\n— Sam, 01 Jul 21:05: nuts"
    assert merged_text("cake", "cake", "nuts", signature) == "nuts"


def test_tables_seat_a_party_alone_or_as_one_of_the_venues_combinations():
    assert PLAN.seats((T4,), 4)
    assert not PLAN.seats((T4,), 5)
    assert PLAN.seats((T4, T5), 6) and PLAN.combined((T4, T5))


def test_seating_a_pending_booking_is_an_illegal_move_naming_both_statuses():
    try:
        set_status(PLAN, booking(status="pending"), "seated", NIGHT, venue=VENUE)
    except Failure as failed:
        assert failed.kind == "reject"
        assert failed.reasons == (("illegal_move", "pending", "seated"),)
    else:
        raise AssertionError("pending → seated must be refused")


def test_a_no_show_before_the_partys_time_is_refused_and_the_servers_words_excuse_it():
    server_said = (
        "Booking ABCD-EFGH-JKM is for Wed 25 Nov, 19:00; a party can be marked a no-show "
        "only once its time has come."
    )
    try:
        set_status(PLAN, booking(), "no_show", NIGHT - timedelta(minutes=1), venue=VENUE)
    except Failure as failed:
        assert failed.kind == "reject"
        assert reasons.holds(server_said, list(failed.reasons))
    else:
        raise AssertionError("a no-show before its time must be refused")
    assert set_status(PLAN, booking(), "no_show", NIGHT, venue=VENUE).status == "no_show"


def test_a_party_seated_on_the_night_before_its_own_is_refused_in_the_servers_words():
    server_said = (
        "Booking ABCD-EFGH-JKM is for Wed 25 Nov, 19:00; a party is seated on its own night, "
        "not before."
    )
    night_before = NIGHT - timedelta(hours=14)  # 05:00: the day turns at 06:00
    try:
        set_status(PLAN, booking(), "seated", night_before, venue=VENUE)
    except Failure as failed:
        assert failed.kind == "reject"
        assert reasons.holds(server_said, list(failed.reasons))
    else:
        raise AssertionError("a party is not seated on the night before its own")
    morning = NIGHT - timedelta(hours=12)
    assert set_status(PLAN, booking(), "seated", morning, venue=VENUE).status == "seated"


def test_a_rejection_is_excused_only_by_a_reason_the_model_finds_with_the_same_particulars():
    text = "Booking ABCD-EFGH-JKM cannot move from pending to seated."

    assert reasons.holds(text, [("illegal_move", "pending", "seated")])
    assert not reasons.holds(text, [("illegal_move", "confirmed", "seated")])
    assert not reasons.holds("Something went wrong.", [("illegal_move", "pending", "seated")])


def test_an_intent_was_judged_at_the_first_push_whose_answer_gave_its_outcome():
    later = NIGHT + timedelta(seconds=40)
    pushes = [
        Delivery(NIGHT, ("m1", "m2"), frozenset({"m1"})),  # a gap stopped the batch at m2
        Delivery(later, ("m1", "m2"), frozenset({"m1", "m2"})),
    ]

    times = oracle.stamps(pushes)

    assert (times["m1"], times["m2"]) == (NIGHT, later)
    assert times["m2"].candidates == {later}


def waiting_for(*tables: str) -> tuple[State, dict]:
    """Ada holds table 4 from 19:00; Ben waits for 19:00; the server seated Ben by his
    text's "1" on ``tables`` at version 3."""
    state = State(VENUE, PLAN, staff={})
    state.bookings = {
        "a": booking(id="a", reference="ADA", version=1),
        "w": booking(
            id="w", reference="BEN", party_size=2, status="waitlisted", table_ids=(), version=2
        ),
    }
    seated = {
        "kind": "seat",
        "version": 3,
        "booking_id": "w",
        "at": NIGHT - timedelta(minutes=30),
        "table_ids": tables,
        "start": NIGHT,
    }
    return state, seated


def test_a_guest_the_server_seats_by_text_on_a_free_table_is_seated_so_in_the_model():
    state, seated = waiting_for(T5)

    problems, diverged = oracle.replay(state, [], {}, {}, {}, [seated])

    assert (problems, diverged) == ([], set())
    ben = state.bookings["w"]
    assert (ben.status, ben.table_ids, ben.start, ben.version) == ("confirmed", (T5,), NIGHT, 3)


def test_a_guest_the_server_seats_by_text_on_a_table_another_booking_holds_is_a_violation():
    state, seated = waiting_for(T4)

    problems, diverged = oracle.replay(state, [], {}, {}, {}, [seated])

    assert problems == [
        "the server seated BEN on a guest's text, which the model refuses (taken ADA)"
    ]
    assert diverged == {"w"}
    assert state.bookings["w"].status == "waitlisted"


def test_a_guests_9_by_text_cancels_their_booking_unless_a_deposit_was_taken():
    state, _ = waiting_for(T5)
    cancel = {"version": 3, "booking_id": "a", "at": NIGHT, "kind": "cancel"}
    paid, _ = waiting_for(T5)
    paid.bookings["a"] = booking(id="a", reference="ADA", version=1, deposit_state="paid")

    fine, _ = oracle.replay(state, [], {}, {}, {}, [cancel])
    refused, diverged = oracle.replay(paid, [], {}, {}, {}, [cancel])

    assert fine == [] and state.bookings["a"].status == "cancelled"
    assert state.bookings["a"].version == 3
    assert refused == [
        "the server cancelled ADA on a guest's text, which the model refuses (deposit_taken paid)"
    ]
    assert diverged == {"a"}


def paid_at_the_bar(amount: int, seq: int = 1, base_version: int = 1) -> tuple[Intent, dict]:
    """Sam, reception, takes ``amount`` in cash for booking ``a``; the server's answer."""
    taken = Intent(
        mutation_id=f"m{seq}",
        device_id="d",
        device_seq=seq,
        name="record_deposit_payment",
        entity_id="a",
        base_version=base_version,
        previous={},
        staff_id="s",
        device_time=NIGHT,
        args={"amount_pence": amount, "currency": "GBP", "method": "cash", "entry_id": f"e{seq}"},
        audit=[],
    )
    said = {
        "mutation_id": taken.mutation_id,
        "name": taken.name,
        "device_id": "d",
        "device_seq": seq,
        "version": 1 + seq,
        "outcome": "applied",
        "reason": None,
        "conflict_id": None,
    }
    return taken, said


def owing(pence: int) -> State:
    state = State(VENUE, PLAN, staff={"s": StaffMember("s", "Sam", "reception", True, "v")})
    state.bookings["a"] = booking(
        id="a",
        reference="ADA",
        version=1,
        status="pending",
        deposit_state="required",
        deposit_pence=pence,
    )
    return state


def test_a_deposit_paid_at_the_bar_confirms_the_pending_booking_and_writes_one_ledger_entry():
    state = owing(4000)
    taken, said = paid_at_the_bar(4000)
    at = {taken.mutation_id: Stamp.of(NIGHT, taken.mutation_id, frozenset([NIGHT]))}

    problems, _ = oracle.replay(state, [said], {taken.mutation_id: taken}, at, {})

    assert problems == []
    ada = state.bookings["a"]
    assert (ada.status, ada.deposit_state, ada.version) == ("confirmed", "paid", 2)
    assert [
        (e["kind"], e["amount_pence"], e["method"], e["staff_name"], e["version"])
        for e in state.ledger.values()
    ] == [("payment_in_person", 4000, "cash", "Sam", 2)]


def test_a_deposit_taken_for_less_than_a_re_priced_booking_owes_is_refused_and_records_nothing():
    state = owing(5000)  # re-priced from £40 on another desk before this one pulled
    taken, said = paid_at_the_bar(4000)
    at = {taken.mutation_id: Stamp.of(NIGHT, taken.mutation_id, frozenset([NIGHT]))}
    refused = {
        **said,
        "outcome": "rejected",
        "reason": "£40.00 is less than the £50.00 deposit booking ADA owes; take the whole "
        "deposit, or a manager can waive it.",
    }

    accepted, _ = oracle.replay(owing(5000), [said], {taken.mutation_id: taken}, at, {})
    problems, _ = oracle.replay(state, [refused], {taken.mutation_id: taken}, at, {})

    assert accepted == [
        "record_deposit_payment ADA (device d #1): the server says applied (None), "
        "the model says rejected (deposit_amount)"
    ]
    assert problems == [] and state.ledger == {}
    assert state.bookings["a"].deposit_state == "required"


def link_asked(seq: int = 1) -> tuple[Intent, dict]:
    """Sam asks for a payment link for booking ``a``; the server's answer."""
    asked, said = paid_at_the_bar(0, seq)
    asked = Intent(**{**asked.__dict__, "name": "request_deposit", "args": {}})
    return asked, {**said, "name": "request_deposit"}


def paid_online(version: int, took: bool, request: str = "m1") -> dict:
    """Stripe's word that the guest paid link ``request`` (£40), as the simulator notes it."""
    return {
        "kind": "link paid",
        "version": version,
        "request_id": request,
        "booking_id": "a",
        "reference": "ADA",
        "took": took,
        "at": NIGHT + timedelta(minutes=5),
        "session_id": "cs_test_1",
        "payment_ref": "pi_test_1",
        "amount_pence": 4000,
        "request_of_session": request,
        "card_last4": "4242",
    }


def test_a_link_paid_online_confirms_the_booking_and_writes_stripes_payment_to_the_ledger():
    state = owing(4000)
    asked, said = link_asked()
    at = {asked.mutation_id: Stamp.of(NIGHT, asked.mutation_id, frozenset([NIGHT]))}

    problems, _ = oracle.replay(
        state, [said], {asked.mutation_id: asked}, at, {}, [paid_online(4, True)]
    )

    assert problems == []
    ada = state.bookings["a"]
    assert (ada.status, ada.deposit_state, ada.version) == ("confirmed", "paid", 4)
    link = state.requests["m1"]
    assert (link["status"], link["amount_pence"], link["provider_ref"], link["problem"]) == (
        "paid",
        4000,
        "pi_test_1",
        None,
    )
    assert link["expires_at"] == NIGHT + timedelta(days=1)
    assert [
        (e["kind"], e["amount_pence"], e["staff_name"], e["provider_ref"], e["version"])
        for e in state.ledger.values()
    ] == [("stripe_payment", 4000, "Paid online (Stripe)", "pi_test_1", 4)]


def test_a_link_paid_after_the_bar_took_the_deposit_is_kept_in_the_ledger_for_a_refund():
    asked, said = link_asked()
    taken, took = paid_at_the_bar(4000, seq=2, base_version=2)
    intents = {asked.mutation_id: asked, taken.mutation_id: taken}
    at = {m: Stamp.of(NIGHT, m, frozenset([NIGHT])) for m in intents}
    late, wrong = owing(4000), owing(4000)

    kept, _ = oracle.replay(
        late, [said, {**took, "version": 4}], intents, at, {}, [paid_online(5, False)]
    )
    flagged, diverged = oracle.replay(
        wrong, [said, {**took, "version": 4}], intents, at, {}, [paid_online(5, True)]
    )

    assert kept == []
    ada = late.bookings["a"]
    assert (ada.deposit_state, ada.version) == ("paid", 4)
    assert late.requests["m1"]["status"] == "paid" and late.requests["m1"]["problem"] is not None
    assert sorted(e["kind"] for e in late.ledger.values()) == [
        "payment_in_person",
        "stripe_payment",
    ]
    assert flagged == [
        "ADA's booking took the money paid online; the model says kept (deposit_paid)"
    ]
    assert diverged == {"a"}


def refund_asked(seq: int, version: int, pence: int) -> tuple[Intent, dict]:
    """Priya, a manager, refunds ``pence`` of booking ``a``'s deposit, having seen the
    version before ``version``; the answer."""
    asked, said = paid_at_the_bar(0, seq, base_version=version - 1)
    args = {"amount_pence": pence, "currency": "GBP", "reason": "goodwill"}
    asked = Intent(**{**asked.__dict__, "name": "refund_deposit", "staff_id": "p", "args": args})
    return asked, {**said, "name": "refund_deposit", "version": version}


def test_a_refund_made_after_its_push_gives_the_links_payment_back_and_no_more_can_be():
    state = owing(4000)
    state.staff["p"] = StaffMember("p", "Priya", "manager", True, "v")
    asked, said = link_asked()
    first, first_said = refund_asked(2, 4, 4000)
    again, again_said = refund_asked(3, 6, 1000)
    intents = {m.mutation_id: m for m in (asked, first, again)}
    at = {m: Stamp.of(NIGHT, m, frozenset([NIGHT])) for m in intents}
    made = {
        "kind": "refund done",
        "version": 5,
        "request_id": "m2",
        "booking_id": "a",
        "at": NIGHT + timedelta(minutes=10),
    }
    nothing_left = {
        **again_said,
        "outcome": "rejected",
        "reason": "Nothing of booking ADA's deposit was taken online that is not refunded "
        "already; money paid at the bar is given back at the bar.",
    }
    outcomes = [said, first_said, nothing_left]
    wrong = owing(4000)
    wrong.staff["p"] = state.staff["p"]

    problems, _ = oracle.replay(state, outcomes, intents, at, {}, [paid_online(3, True), made])
    flagged, _ = oracle.replay(
        wrong, [said, first_said, again_said], intents, at, {}, [paid_online(3, True), made]
    )

    assert problems == []
    ada = state.bookings["a"]
    assert (ada.deposit_state, ada.version) == ("refunded", 5)
    refund = state.requests["m2"]
    assert (refund["kind"], refund["status"], refund["amount_pence"]) == ("refund", "done", 4000)
    assert refund["provider_ref"] == "re_test_1" and refund["provider_ref"] != "pi_test_1"
    assert sorted((e["kind"], e["amount_pence"]) for e in state.ledger.values()) == [
        ("refund", 4000),
        ("stripe_payment", 4000),
    ]
    assert flagged == [
        "refund_deposit ADA (device d #3): the server says applied (None), the model says "
        "rejected (refund_nothing_online)"
    ]
