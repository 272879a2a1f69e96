from datetime import UTC, datetime, timedelta

from app.domain.customer import Customer
from app.domain.priority import priority

NOW = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)


def guest(**kw) -> Customer:
    return Customer(id="c", name="Ava Wood", phone="+441134960000", **kw)


def test_the_score_is_explained_by_its_components():
    score = priority(guest(completed_count=4), "birthday", NOW - timedelta(minutes=35), NOW)

    assert score.total == 40 + 35 + 100
    assert score.explain() == "loyalty 40 + waiting 35 + birthday 100"


def test_a_new_guest_who_just_joined_scores_zero():
    assert priority(guest(), "", NOW, NOW).total == 0


def test_waiting_longer_raises_the_score_until_its_cap():
    joined = NOW - timedelta(hours=2)

    assert priority(guest(), "", joined, NOW).total > priority(guest(), "", NOW, NOW).total
    assert priority(guest(), "", NOW - timedelta(hours=9), NOW).total == 240


def test_no_shows_lower_the_score_but_never_below_zero():
    score = priority(guest(no_shows=6), "", NOW, NOW)

    assert score.total == 0
    assert "no-shows 200" in score.explain()


def test_the_score_is_capped_at_a_thousand():
    regular = guest(completed_count=100, vip=True)

    score = priority(regular, "anniversary", NOW - timedelta(hours=10), NOW)

    assert sum(p for _, p in score.components) > 1000
    assert score.total == 1000
    assert "capped at 1000" in score.explain()
