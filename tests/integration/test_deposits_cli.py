"""`backroom deposits …`: the night's ledger with totals to the penny; pay and waive through
the desk's use cases; anything refused is one line, exit 2, and changes nothing."""

from __future__ import annotations

import json
from datetime import time

from app.cli import main
from app.domain.references import format_reference
from app.services.booking_create import NewBooking
from tests.conftest import at_start


def owing(desk, staff, name="Ava Wood", phone="0113 496 0001", hh=21):
    venue = desk.queries.venue().venue
    start = venue.wall_time_on(desk.queries.tonight(), time(hh, 0))
    cmd = NewBooking(name=name, phone=phone, party_size=8, start=start, duration_minutes=120)
    return format_reference(desk.create.create_booking(staff, cmd).booking.reference)


def run(db_path, capsys, *args):
    code = main(["--db", str(db_path), "deposits", *args], clock=at_start)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_nights_ledger_lists_each_entry_and_totals_to_the_penny(
    desk, reception, db_path, capsys
):
    ava, bo, cy = (
        owing(desk, reception),
        owing(desk, reception, "Bo Lee", "0113 496 0002", 22),
        owing(desk, reception, "Cy Roe", "0113 496 0003", 23),
    )

    paid = run(db_path, capsys, "pay", ava, "--amount", "80.00", "--staff", "sam")
    by_card = run(db_path, capsys, "pay", bo, "--amount", "£80", "--method", "card_machine")
    waived = run(db_path, capsys, "waive", cy, "--reason", "regulars")
    code, out, _ = run(db_path, capsys, "list", "--json")

    assert [paid[0], by_card[0], waived[0]] == [0, 0, 0]
    assert paid[1].startswith("Took £80.00 deposit (cash) from Ava Wood")
    ledger = json.loads(out)
    assert code == 0
    entries = {
        (e["reference"], e["kind"], e["amount_pence"], e["method"]) for e in ledger["entries"]
    }
    assert entries == {
        (ava, "payment_in_person", 8000, "cash"),
        (bo, "payment_in_person", 8000, "card_machine"),
        (cy, "waiver", 8000, None),
    }
    totals = ledger["totals"]
    assert totals["by_method_pence"] == {"card_machine": 8000, "cash": 8000}
    assert totals["taken_pence"] == sum(totals["by_method_pence"].values()) == 16000
    assert totals["waived_pence"] == 8000
    _code, text, _ = run(db_path, capsys, "list")
    assert "taken" in text and "£160.00" in text and "(not yet sent)" in text


def test_a_bad_payment_is_one_line_exit_2_and_nothing_is_recorded(desk, reception, db_path, capsys):
    ava = owing(desk, reception)

    above = run(db_path, capsys, "pay", ava, "--amount", "100")
    negative = run(db_path, capsys, "pay", ava, "--amount", "-5")
    words = run(db_path, capsys, "pay", ava, "--amount", "eighty")
    by_reception = run(db_path, capsys, "waive", ava, "--reason", "x", "--staff", "sam")
    _code, out, _ = run(db_path, capsys, "list", "--json")

    assert above[0] == negative[0] == words[0] == by_reception[0] == 2
    assert "£100.00 is more than the £80.00 deposit" in above[2]
    assert "more than £0.00" in negative[2]
    assert "not an amount in pounds" in words[2]
    assert "may not waive a deposit" in by_reception[2]
    assert all(len(err.strip().splitlines()) == 1 for *_x, err in (above, negative, words))
    assert json.loads(out)["entries"] == []


def test_a_payment_link_is_asked_for_from_the_command_line_and_listed_once_pulled(
    desk, reception, db_path, capsys
):
    from tests.ui.test_payment_link import URL, pulled

    ava = owing(desk, reception)

    code, out, _ = run(db_path, capsys, "link", ava, "--staff", "sam")
    again = run(db_path, capsys, "link", ava, "--staff", "sam")
    view = desk.queries.booking_by_reference(ava)
    pulled(desk, view.booking)
    _code, text, _ = run(db_path, capsys, "list")
    _code, as_json, _ = run(db_path, capsys, "list", "--json")

    assert code == 0
    assert out.startswith("Asked for a £80.00 payment link for Ava Wood's deposit")
    assert "next sync (backroom sync)" in out
    assert again[0] == 2 and "already out" in again[2] and again[1] == ""
    assert f"{ava}  Ava Wood" in text
    assert f"£80.00 link open until Thu 26 Nov, 21:30  {URL}" in text
    [link] = json.loads(as_json)["links"]
    assert (link["reference"], link["status"], link["url"]) == (ava, "open", URL)


def test_a_manager_resends_a_live_link_from_the_command_line_and_reception_is_refused(
    desk, reception, manager, db_path, capsys
):
    from tests.ui.test_payment_link import pulled

    ava = owing(desk, reception)
    unsent = run(db_path, capsys, "resend", ava)
    run(db_path, capsys, "link", ava, "--staff", "sam")
    pulled(desk, desk.queries.booking_by_reference(ava).booking)

    code, out, _ = run(db_path, capsys, "resend", ava)
    refused = run(db_path, capsys, "resend", ava, "--staff", "sam")

    assert unsent[0] == 2 and "No payment link was sent for booking" in unsent[2]
    assert code == 0
    assert out.startswith("Asked for Ava Wood's payment link (booking ")
    assert "sent again by email and text" in out and "next sync (backroom sync)" in out
    assert refused[0] == 2 and "send a payment link to the guest again" in refused[2]


def test_a_manager_sets_the_next_prices_from_the_file_policy_json_printed(
    desk, db_path, capsys, tmp_path
):
    _, printed, _ = run(db_path, capsys, "policy", "--json")
    terms = json.loads(printed)
    terms["tiers"] = [{"min_party": 8, "pence": 1500}]
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(terms))

    refused = run(db_path, capsys, "policy", "--set", str(policy), "--staff", "sam")
    code, out, _ = run(db_path, capsys, "policy", "--set", str(policy), "--staff", "alex")
    _, now, _ = run(db_path, capsys, "policy", "--json")
    _, told, _ = run(db_path, capsys, "policy")

    assert "  version 1: the venue's plan file\n" in told
    assert "  version 2: set on this desk, not yet sent to the server\n" in told
    assert refused[0] == 2
    assert "set the venue's deposits and packages" in refused[2]
    assert code == 0
    assert out.startswith("Deposits and packages saved as version 2")
    assert json.loads(now)["version"] == 2
    assert json.loads(now)["tiers"] == [{"min_party": 8, "pence": 1500}]


def test_a_policy_file_that_is_not_one_is_refused_in_one_line_and_changes_nothing(
    desk, db_path, capsys, tmp_path
):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")

    answers = [run(db_path, capsys, "policy", "--set", str(f)) for f in (broken, listed)]
    _, now, _ = run(db_path, capsys, "policy", "--json")

    misplaced = run(db_path, capsys, "list", "--set", str(listed))

    assert misplaced[0] == 2 and "goes with deposits policy" in misplaced[2]
    assert [code for code, _, _ in answers] == [2, 2]
    assert "as a JSON policy" in answers[0][2]
    assert "holds no JSON object" in answers[1][2]
    assert json.loads(now)["version"] == 1


def test_a_manager_records_a_cash_deposit_given_back_after_being_asked_and_reception_cannot(
    desk, reception, db_path, capsys
):
    ava = owing(desk, reception)
    run(db_path, capsys, "pay", ava, "--amount", "80.00", "--staff", "sam")

    asked = run(db_path, capsys, "give-back", ava, "--reason", "Goodwill: guest was ill")
    too_much = run(db_path, capsys, "give-back", ava, "--amount", "90", "--reason", "x", "--yes")
    by_reception = run(
        db_path, capsys, "give-back", ava, "--reason", "x", "--staff", "sam", "--yes"
    )
    before = json.loads(run(db_path, capsys, "list", "--json")[1])["entries"]
    done = run(
        db_path, capsys, "give-back", ava, "--amount", "30", "--method", "card_machine",
        "--reason", "Goodwill: guest was ill", "--yes",
    )  # fmt: skip
    after = json.loads(run(db_path, capsys, "list", "--json")[1])

    assert asked[0] == 1
    assert asked[1].startswith(
        f"Record that £80.00 of booking {ava}'s deposit was given back to Ava Wood by cash?"
    )
    assert too_much[0] == by_reception[0] == 2
    assert "£90.00 is more than the £80.00 of booking" in too_much[2]
    assert "refund a deposit" in by_reception[2]
    assert [e["kind"] for e in before] == ["payment_in_person"]
    assert done[0] == 0
    assert "\nRecorded £30.00 given back to Ava Wood (card machine) on booking" in done[1]
    given = {(e["kind"], e["amount_pence"], e["method"]) for e in after["entries"]}
    assert given == {("payment_in_person", 8000, "cash"), ("given_back", 3000, "card_machine")}
