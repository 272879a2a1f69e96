"""A change the server refuses is shown on every desk of the venue, named by the desk that
made it, until that desk puts it right; only that desk can say it was dealt with."""

from __future__ import annotations

from app.models.journal import Change
from app.protocol import IntentName, SettleRefusalArgs
from app.sync.status import SyncState
from tests.sync.test_refusals_put_right import refused_night, sam
from tests.sync.world import server_sql


def test_the_bar_sees_the_receptions_refused_bookings_with_their_reason(desks):
    reception, _made = refused_night(desks)
    bar = desks("Bar")

    bar.engine.sync_once()

    others = bar.desk.refusals.elsewhere()
    status = bar.engine.monitor.status
    assert [r.desk for r in others] == ["Reception"] * 6
    assert others[0].what.startswith("New booking for Guest 0, party of 2, ")
    assert all("Staff member" in r.reason for r in others)
    assert status.state is SyncState.NEEDS_ATTENTION and status.refused_elsewhere == 6
    assert status.refusals == 0, "none of them is the bar's own to put right"
    assert reception.desk.refusals.elsewhere() == [], "a desk's own refusals are its own list"


def test_once_the_reception_discards_them_the_bar_stops_showing_them(desks, sync_db):
    reception, _made = refused_night(desks)
    bar = desks("Bar")
    bar.engine.sync_once()
    by = sam(reception)

    for refusal in reception.desk.refusals.open():
        reception.desk.refusals.discard(by, refusal.device_seq)
    reception.engine.sync_once()
    bar.engine.sync_once()

    assert bar.desk.refusals.elsewhere() == []
    assert bar.engine.monitor.status.state is SyncState.UP_TO_DATE
    assert server_sql(sync_db, "SELECT DISTINCT settled FROM refusals") == [("discarded",)]


def test_acknowledging_at_the_bar_hides_them_there_only(desks):
    reception, _made = refused_night(desks)
    bar = desks("Bar")
    bar.engine.sync_once()

    said = bar.desk.refusals.acknowledge_elsewhere([r.id for r in bar.desk.refusals.elsewhere()])
    bar.engine.sync_once()

    assert said.message == "6 refusals acknowledged."
    assert bar.desk.refusals.elsewhere() == []
    assert bar.engine.monitor.status.refused_elsewhere == 0
    assert len(reception.desk.refusals.open()) == 6, "the reception still has them to put right"


def test_another_desk_cannot_settle_a_refusal_and_its_try_is_not_kept_as_one(desks, sync_db):
    _reception, _made = refused_night(desks)
    bar = desks("Bar")
    bar.engine.sync_once()
    [first, *_] = bar.desk.refusals.elsewhere()
    with bar.store.unit_of_work() as uow:
        uow.journal.record(
            staff=sam(bar),
            at=bar.clock(),
            intent=IntentName.SETTLE_REFUSAL,
            entity_id=first.id,
            base_version=0,
            args=SettleRefusalArgs(how="discarded"),
            previous={},
            changes=[Change("refusal", first.id, {"settled": None}, {"settled": "discarded"})],
        )
        uow.commit()

    bar.engine.sync_once()

    [refused] = bar.desk.refusals.open()
    assert "Only the desk that made a refused change" in refused.reason
    assert server_sql(sync_db, "SELECT count(*), count(settled) FROM refusals") == [(6, 0)]
    assert len(bar.desk.refusals.elsewhere()) == 6
