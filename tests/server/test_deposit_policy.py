"""A venue's deposit policy is set on the server, in versions: desks pull each version, a
booking keeps the version (and amount) it was priced under, and the server prices every
booking by the version in force when it judges it (docs/payments.md, "Deposit policy")."""

from __future__ import annotations

import json
import uuid

import psycopg

from app.domain.permissions import Role
from app.protocol import IntentName
from tests.server.harness import VENUE_ID
from tests.server.test_cli import run

# Tuesday 2 March 2027 (EVENING) is not a busy night: version 1 (the plan file's policy,
# from before versions) asks £10 a head of 8+; version 2 asks £15 a head of 8+.
VERSION_2 = {
    "basis": "per_head",
    "tiers": [{"min_party": 8, "pence": 1500}],
    "busy_weekdays": [4, 5],
    "busy_tiers": [{"min_party": 6, "pence": 1000}, {"min_party": 8, "pence": 1500}],
    "free_cancellation_hours": 24,
}


def set_policy(url, tmp_path, policy, *extra):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy))
    return run(url, "venue", "deposit-policy", "set", str(path), "--venue", str(VENUE_ID), *extra)


def policies(desk):
    changes, _ = desk.pull_all()
    return [c["data"] for c in changes if c["entity"] == "deposit_policy"]


def versions_of(url):
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        version = conn.execute("SELECT version FROM venue_versions").fetchone()[0]
        rows = conn.execute("SELECT policy_version FROM deposit_policies ORDER BY 1").fetchall()
        settings = conn.execute("SELECT settings -> 'deposit_policy' FROM venues").fetchone()[0]
    return version, [r[0] for r in rows], settings


def test_a_desk_pulls_the_plan_files_policy_as_version_1(server):
    desk = server.desk()

    [v1] = policies(desk)

    assert v1["policy_version"] == 1
    assert v1["terms"]["per_head_pence"] == 1000 and v1["terms"]["busy_min_party"] == 6
    assert v1["set_by"] == "the venue's plan file"


def test_a_booking_keeps_the_version_and_amount_it_was_priced_under_when_the_policy_changes(
    server, seeded_url, tmp_path
):
    desk = server.desk()
    first = desk.create(12, party=8, status="confirmed")
    desk.push_one(first)

    done = set_policy(seeded_url, tmp_path, VERSION_2, "--by", "Owner")
    second = desk.create(15, 16, party=8, status="confirmed")
    desk.push_one(second)

    assert done.returncode == 0, done.stderr
    assert "Stored as version 2" in done.stdout
    rows = desk.bookings()
    old, new = rows[first["entity_id"]], rows[second["entity_id"]]
    assert (old["deposit_pence"], old["deposit_policy_version"]) == (8000, 1)
    assert (new["deposit_pence"], new["deposit_policy_version"]) == (12000, 2)
    [_, v2] = policies(desk)
    assert (v2["policy_version"], v2["set_by"], v2["terms"]["tiers"]) == (
        2,
        "Owner",
        [{"min_party": 8, "pence": 1500}],
    )


def test_a_party_size_change_reprices_an_unpaid_deposit_under_the_policy_in_force(
    server, seeded_url, tmp_path
):
    desk = server.desk()
    create = desk.create(12, party=8, status="confirmed")
    seen = desk.push_one(create)["version"]
    booking_id = uuid.UUID(create["entity_id"])
    set_policy(seeded_url, tmp_path, VERSION_2)

    outcome = desk.push_one(
        desk.intent(
            IntentName.EDIT_DETAILS,
            booking_id,
            {"party_size": 9},
            base_version=seen,
            previous={"party_size": 8},
        )
    )

    assert outcome["outcome"] == "applied", outcome
    row = desk.bookings()[str(booking_id)]
    assert (row["deposit_pence"], row["deposit_policy_version"]) == (13500, 2)


def test_a_desk_that_has_not_pulled_the_new_version_is_priced_by_the_server_and_its_old_amount_refused(  # noqa: E501
    server, seeded_url, tmp_path
):
    desk = server.desk()
    set_policy(seeded_url, tmp_path, VERSION_2)
    # The desk priced this at £80.00 under version 1 offline; its intent carries no amount.
    create = desk.create(12, party=8, status="confirmed")
    desk.push_one(create)
    booking_id = uuid.UUID(create["entity_id"])
    cash = {"entry_id": str(uuid.uuid4()), "amount_pence": 8000, "method": "cash"}

    outcome = desk.push_one(desk.intent(IntentName.RECORD_DEPOSIT_PAYMENT, booking_id, cash))

    assert outcome["outcome"] == "rejected"
    assert "£80.00 is less than the £120.00 deposit" in outcome["reason"]
    row = desk.bookings()[str(booking_id)]
    assert (row["deposit_state"], row["deposit_pence"], row["deposit_policy_version"]) == (
        "required",
        12000,
        2,
    )


def test_a_policy_that_cannot_be_right_is_refused_and_nothing_changes(seeded_url, tmp_path):
    before = versions_of(seeded_url)
    overlapping = {
        **VERSION_2,
        "tiers": [{"min_party": 8, "pence": 1500}, {"min_party": 8, "pence": 2000}],
    }

    refused = set_policy(seeded_url, tmp_path, overlapping)
    typo = set_policy(seeded_url, tmp_path, {**VERSION_2, "vip_exmpt": False})
    (tmp_path / "broken.json").write_text("{")
    broken = run(
        seeded_url, "venue", "deposit-policy", "set", str(tmp_path / "broken.json"),
        "--venue", str(VENUE_ID),
    )  # fmt: skip

    assert refused.returncode == 1 and "do not overlap" in refused.stderr
    assert typo.returncode == 1 and "Unknown in a deposit policy: vip_exmpt" in typo.stderr
    assert broken.returncode == 1 and "cannot read" in broken.stderr
    assert all("Nothing was changed" in r.stderr for r in (refused, typo))
    assert versions_of(seeded_url) == before


def test_setting_the_terms_already_in_force_makes_no_new_version(seeded_url, tmp_path):
    set_policy(seeded_url, tmp_path, VERSION_2)
    before = versions_of(seeded_url)

    again = set_policy(seeded_url, tmp_path, {**VERSION_2, "version": 7})

    assert again.returncode == 0 and "it stays version 2" in again.stdout
    assert versions_of(seeded_url) == before


def test_show_prints_the_policy_in_words_with_its_versions(seeded_url, tmp_path):
    set_policy(seeded_url, tmp_path, VERSION_2, "--by", "Owner")

    shown = run(seeded_url, "venue", "deposit-policy", "show", "--venue", str(VENUE_ID))
    as_json = run(seeded_url, "venue", "deposit-policy", "show", "--json", "--venue", str(VENUE_ID))

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:3] == [
        "Deposit policy version 2",
        "Friday, Saturday nights: parties of 6–7 pay £10.00 a head; "
        "parties of 8+ pay £15.00 a head",
        "Other nights: parties of 8+ pay £15.00 a head",
    ]
    assert "version 1: set" in shown.stdout and "by Owner" in shown.stdout
    assert json.loads(as_json.stdout)["version"] == 2
    assert json.loads(as_json.stdout)["free_cancellation_hours"] == 24


def test_a_new_version_reaches_a_manager_desk_too(server, seeded_url, tmp_path):
    desk = server.desk("Office", role=Role.MANAGER)
    _, cursor = desk.pull_all()

    set_policy(seeded_url, tmp_path, VERSION_2)
    page = desk.pull(cursor)

    [change] = [c for c in page["changes"] if c["entity"] == "deposit_policy"]
    assert change["data"]["policy_version"] == 2


def test_loading_the_plan_file_again_keeps_the_policy_in_force(seeded_url, tmp_path):
    set_policy(seeded_url, tmp_path, VERSION_2)

    loaded = run(seeded_url, "create-venue", "--update", "resources/backroom.json")

    assert loaded.returncode == 0, loaded.stderr
    assert "the version in force on the server, not the file's" in loaded.stdout
    _, kept, settings = versions_of(seeded_url)
    assert kept == [1, 2]
    assert settings["version"] == 2 and settings["tiers"] == VERSION_2["tiers"]
