"""A manager sets the venue's deposits and packages on the desk: a new version of its
deposit policy, priced by at once with no server, queued for the server to judge; the
bookings already made keep their prices. Bad input, and anyone below a manager, changes
nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.domain.errors import DomainError, InvalidInput, PermissionDenied
from tests.integration.conftest import counts
from tests.integration.test_use_cases import party, saturday

# The Backroom's plan file: £10 a head from 8, from 6 on Friday and Saturday nights, and
# three packages (resources/backroom.json), written as the dialog writes it.
DEMO = {
    "basis": "per_head",
    "tiers": [{"min_party": 8, "pence": 1000}],
    "busy_weekdays": [4, 5],
    "busy_tiers": [{"min_party": 6, "pence": 1000}],
    "vip_exempt": True,
    "packages": [
        {"id": "prosecco", "name": "Prosecco package", "pence": 2500, "min_party": 4,
         "max_party": 12, "includes": "a bottle of prosecco between two and a sharing board"},
        {"id": "birthday", "name": "Birthday package", "pence": 1500,
         "includes": "a glass of fizz each, a cake and balloons at the table"},
        {"id": "booth-bottles", "name": "Booth bottle service", "pence": 18000,
         "per_head": False, "min_party": 6,
         "includes": "two bottles of house spirit with mixers, served at a booth"},
    ],
}  # fmt: skip


def dearer(**packages_and_tiers):
    """The demo's terms with Saturday's deposit at £15 a head from 6, and a new package."""
    return (
        DEMO
        | {
            "busy_tiers": [{"min_party": 6, "pence": 1500}],
            "packages": [
                *DEMO["packages"],
                {"id": "champagne", "name": "Champagne tower", "pence": 24000, "per_head": False},
            ],
        }
        | packages_and_tiers
    )


def queued(db_path):
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT name, body FROM outbox ORDER BY device_seq").fetchall()
    return [(name, json.loads(body)) for name, body in rows]


def test_a_new_saturday_party_is_priced_by_the_new_deposit_and_one_booked_before_keeps_its_own(
    desk, manager, reception, db_path
):
    before = desk.create.create_booking(reception, party(desk, 8, 21, saturday)).booking

    result = desk.prices.set(manager, dearer())

    after = desk.create.create_booking(reception, party(desk, 8, 22, saturday)).booking
    assert (before.deposit_pence, before.deposit_policy_version) == (8000, 1)
    assert (after.deposit_pence, after.deposit_policy_version) == (12000, 2)  # 8 × £15
    assert desk.queries.booking(before.id).booking.deposit_pence == 8000
    assert result.policy.version == 2
    assert "version 2" in result.message


def test_the_new_package_is_offered_and_priced_on_the_next_booking(desk, manager, reception):
    desk.prices.set(manager, dearer())

    booked = desk.create.create_booking(
        reception, party(desk, 10, 21, saturday, package_id="champagne")
    ).booking

    assert (booked.package_id, booked.package_pence) == ("champagne", 24000)
    assert [p.id for p in desk.prices.in_force().packages] == [
        "prosecco",
        "birthday",
        "booth-bottles",
        "champagne",
    ]


def test_the_change_is_queued_for_the_server_with_its_version_and_audited(desk, manager, db_path):
    desk.prices.set(manager, dearer())

    name, body = queued(db_path)[-1]
    assert name == "set_deposit_policy"
    assert body["args"]["policy_version"] == 2
    assert body["args"]["terms"]["busy_tiers"] == [{"min_party": 6, "pence": 1500}]
    assert [p["id"] for p in body["args"]["terms"]["packages"]][-1] == "champagne"
    (event,) = body["audit"]
    assert event["entity"] == "deposit_policy"
    assert event["before"]["busy_tiers"] == [{"min_party": 6, "pence": 1000}]
    assert event["after"]["busy_tiers"] == [{"min_party": 6, "pence": 1500}]


def test_the_dialog_says_where_the_prices_in_force_came_from(desk, manager):
    from_the_plan = desk.prices.whose()

    desk.prices.set(manager, dearer())

    assert from_the_plan == "Version 1 is in force: the venue's plan file."
    assert desk.prices.whose() == (
        "Version 2 is in force: set on this desk, not yet sent to the server."
    )
    assert desk.prices.history() == [
        "version 1: the venue's plan file",
        "version 2: set on this desk, not yet sent to the server",
    ]


def test_a_second_change_follows_the_first_before_the_server_answers(desk, manager, db_path):
    desk.prices.set(manager, dearer())
    desk.prices.set(manager, dearer(vip_exempt=False))

    versions = [b["args"]["policy_version"] for n, b in queued(db_path)]
    assert versions == [2, 3]
    assert desk.prices.in_force().vip_exempt is False


def test_reception_cannot_set_prices_and_nothing_is_written(desk, reception, db_path):
    written = counts(db_path)

    with pytest.raises(PermissionDenied):
        desk.prices.set(reception, dearer())

    assert counts(db_path) == written
    assert desk.prices.in_force().version == 1


def test_the_prices_in_force_again_are_refused_and_nothing_is_written(desk, manager, db_path):
    written = counts(db_path)

    with pytest.raises(DomainError, match="in force already"):
        desk.prices.set(manager, DEMO)

    assert counts(db_path) == written


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"busy_tiers": [{"min_party": 6, "pence": -500}]}, "busy_tiers"),
        ({"packages": [{"id": "x", "name": "Prosecco", "pence": 2500, "min_party": 9,
                        "max_party": 4}]}, "package"),
        ({"busy_weekdays": [7]}, "busy_weekdays"),
        ({"deposit": 1000}, "deposit_policy"),
    ],
)  # fmt: skip
def test_prices_that_cannot_be_right_are_refused_naming_what_and_nothing_is_written(
    desk, manager, db_path, bad, field
):
    written = counts(db_path)

    with pytest.raises(InvalidInput) as refused:
        desk.prices.set(manager, dearer(**bad))

    assert refused.value.field == field
    assert counts(db_path) == written
    assert desk.prices.in_force().version == 1
