"""A manager sets the venue's deposits and packages from a desk (``set_deposit_policy``):
the server judges it with the desk's meaning, numbers nothing itself, prices every
booking judged after it by the new version and passes the version to every desk. Two
desks' versions set on the same one: the first wins, the second is refused in words.
Reception, and terms that cannot be right, are refused and change nothing."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import text

from app.domain.permissions import Role
from app.protocol import IntentName
from tests.server.harness import EVENING

# £15 a head from 8 on every night, and one package: worked by hand, 8 × £15 = £120.00.
DEARER = {
    "tiers": [{"min_party": 8, "pence": 1500}],
    "busy_weekdays": [4, 5],
    "busy_tiers": [{"min_party": 8, "pence": 1500}],
    "packages": [{"id": "champagne", "name": "Champagne tower", "pence": 24000,
                  "per_head": False}],
}  # fmt: skip


def set_prices(desk, terms=DEARER, version=2):
    row_id = uuid.uuid4()
    args = {"policy_version": version, "terms": terms}
    return row_id, desk.push_one(desk.intent(IntentName.SET_DEPOSIT_POLICY, row_id, args))


def versions(desk):
    changes, _ = desk.pull_all()
    return {c["id"]: c["data"] for c in changes if c["entity"] == "deposit_policy"}


def test_a_managers_new_prices_price_the_next_booking_and_reach_every_desk(server):
    office = server.desk("Office", role=Role.MANAGER)
    bar = server.desk("Bar", role=Role.RECEPTION)

    row_id, outcome = set_prices(office)
    create = bar.create(15, 16, party=8, package_id="champagne")
    bar.push_one(create)

    assert outcome["outcome"] == "applied"
    pulled = versions(bar)[str(row_id)]
    assert (pulled["policy_version"], pulled["set_by"]) == (2, office.staff.name)
    assert pulled["terms"]["tiers"] == [{"min_party": 8, "pence": 1500}]
    booked = bar.bookings()[create["entity_id"]]
    assert (booked["deposit_pence"], booked["deposit_policy_version"]) == (12000, 2)
    assert (booked["package_id"], booked["package_pence"]) == ("champagne", 24000)


def test_two_desks_set_on_the_same_version_the_second_is_refused_and_the_first_stands(server):
    office = server.desk("Office", role=Role.MANAGER)
    laptop = server.desk("Laptop", role=Role.MANAGER)

    _, first = set_prices(office)
    _, second = set_prices(laptop, DEARER | {"vip_exempt": False})

    assert first["outcome"] == "applied"
    assert second["outcome"] == "rejected"
    assert "another desk changed them first" in second["reason"]
    by_version = {v["policy_version"]: v for v in versions(laptop).values()}
    assert sorted(by_version) == [1, 2]
    assert (by_version[2]["set_by"], by_version[2]["terms"]["vip_exempt"]) == (
        office.staff.name,
        True,
    )


def test_reception_cannot_set_prices_and_nothing_changes(server):
    bar = server.desk("Bar", role=Role.RECEPTION)

    _, refused = set_prices(bar)

    assert refused["outcome"] == "rejected"
    assert "set the venue's deposits and packages" in refused["reason"]
    assert len(versions(bar)) == 1  # version 1, the plan file's


def test_prices_that_cannot_be_right_are_refused_in_words_not_a_server_error(server):
    office = server.desk("Office", role=Role.MANAGER)

    _, negative = set_prices(office, DEARER | {"tiers": [{"min_party": 8, "pence": -1}]})
    _, unknown = set_prices(office, DEARER | {"deposit": 1000})
    _, same = set_prices(office, DEARER)
    _, again = set_prices(office, DEARER, version=3)

    assert [o["outcome"] for o in (negative, unknown, same)] == ["rejected", "rejected", "applied"]
    assert negative["reason"].startswith("A tier's amount is a whole number of pence")
    assert "Unknown in a deposit policy: deposit" in unknown["reason"]
    assert again["outcome"] == "rejected"
    assert "in force already" in again["reason"]
    assert sorted(v["policy_version"] for v in versions(office).values()) == [1, 2]


def deadlocks(server) -> int:
    with server.app.state.sessions() as session:
        session.execute(text("SELECT pg_stat_clear_snapshot()"))
        return session.execute(
            text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        ).scalar_one()


def test_new_prices_among_busy_pushes_are_judged_without_a_deadlock(server):
    office = server.desk("Office", role=Role.MANAGER)
    bars = [server.desk(f"Bar {n}") for n in range(6)]
    before = deadlocks(server)

    def book_all_night(n: int) -> list[str]:
        bar = bars[n]
        days = range(1 + 10 * n, 11 + 10 * n)
        return [bar.push_one(bar.create(7, start=EVENING + timedelta(days=d)))["outcome"]
                for d in days]  # fmt: skip

    with ThreadPoolExecutor(max_workers=len(bars) + 1) as pool:
        booked = pool.map(book_all_night, range(len(bars)))
        priced = [
            set_prices(office, DEARER | {"tiers": [{"min_party": 8, "pence": 1000 + v}]}, v)[1]
            for v in range(2, 8)
        ]
        outcomes = [o for night in booked for o in night]

    assert [o["outcome"] for o in priced] == ["applied"] * 6
    assert outcomes == ["applied"] * 60
    # A backend reports its counts when next idle, at most once a second: a deadlock in the
    # run's last second may be missed (never one invented); those before it are counted.
    time.sleep(1.1)
    assert deadlocks(server) == before
