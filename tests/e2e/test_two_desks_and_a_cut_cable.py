"""Two desk processes, a backroom-server process and PostgreSQL, with one desk's cable cut."""

from __future__ import annotations

from tests.e2e.proxy import Proxy
from tests.sync.world import PASSWORD, TABLE

SEVEN = str(TABLE[7])
# That Wednesday night at The Backroom (the desks' clocks start that afternoon).
NINE_PM = "2027-03-03T21:00:00+00:00"


def test_a_double_booking_made_while_one_desk_is_offline_is_shown_on_both_and_resolved_once(
    server_port, desk_process
):
    bar_link, reception_link = Proxy(server_port), Proxy(server_port)
    bar = desk_process("Bar", bar_link.port)
    reception = desk_process("Reception", reception_link.port)
    for desk in (bar, reception):
        desk.call("register", username="alex", password=PASSWORD)
        desk.wait_for(lambda s: s["state"] == "up to date" and s["live"])

    bar_link.cut()
    ours = bar.call("book", table=SEVEN, start=NINE_PM, name="Ada Lovelace", phone="0113 496 0001")
    theirs = reception.call(
        "book", table=SEVEN, start=NINE_PM, name="Grace Hopper", phone="0113 496 0002"
    )
    offline = bar.wait_for(lambda s: s["state"] == "offline")
    reception.wait_for(lambda s: s["state"] == "up to date" and s["pending"] == 0)
    bar_link.restore()
    both = [
        desk.wait_for(lambda s: s["state"] == "needs attention" and s["open_conflicts"] == 1)
        for desk in (bar, reception)
    ]

    assert offline["pending"] == 1 and all(s["pending"] == 0 for s in both)
    assert (
        offline["bookings"][ours["id"]]["status"] == "confirmed"
        and "saved on this desk" in offline["detail"]
    )
    for state in both:
        assert state["bookings"][theirs["id"]]["status"] == "confirmed"
        assert state["bookings"][ours["id"]]["status"] == "conflict"
        [conflict] = state["conflicts"]
        assert (conflict["ours"], conflict["theirs"]) == ("Ada Lovelace", "Grace Hopper")

    reception.call("resolve", conflict_id=both[1]["conflicts"][0]["id"], resolution="waitlist")
    cleared = bar.wait_for(lambda s: s["open_conflicts"] == 0)

    assert cleared["conflicts"] == []
    assert cleared["bookings"][ours["id"]]["status"] == "waitlisted"
    assert cleared["bookings"][theirs["id"]]["status"] == "confirmed"
    assert reception.wait_for(lambda s: s["state"] == "up to date")["open_conflicts"] == 0
    bar_link.close()
    reception_link.close()
