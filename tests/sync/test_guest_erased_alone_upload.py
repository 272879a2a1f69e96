"""A guest forgotten on a desk that worked alone, and the desk then connected with its
night uploaded: the real desk's command line, the real server over HTTP and its
PostgreSQL. Nothing of her reaches the server, every change still lands, and the
desk's audit chain as the server keeps it still verifies."""

from __future__ import annotations

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from server.audit_log import verify_server_chain
from server.sync.models import Customer
from tests.server.desk_chains import broken_desk_chains
from tests.server.every_table import every_table_as_text
from tests.sync.readme_server import desk_bookings, server_bookings
from tests.sync.test_connect_a_night import backroom, connect, demo_desk
from tests.sync.world import NOW, VENUE_ID

PHONE = "07911 123456"
TRACES = ("Ada Lovelace", "7911123456", "ada@example.org", "Nut allergy", "Her 30th")


def adas_night_forgotten(db, monkeypatch, capsys) -> None:
    """Ada books, asks for a nut-free table, cancels, and asks to be forgotten."""
    at = (NOW.date().isoformat() + " 21:00",)
    booked = backroom(monkeypatch, capsys, db, "book", "--name", "Ada Lovelace", "--phone", PHONE,
                      "--email", "ada@example.org", "--occasion", "Her 30th", "--party", "2",
                      "--at", *at, "--json")  # fmt: skip
    assert booked[0] == 0, booked[1]
    reference = booked[1].split('"reference": "')[1][:11]
    for change in (
        ("edit", "--requests", "Nut allergy"),
        ("cancel", "--reason", "guest cancelled"),
    ):
        done = backroom(monkeypatch, capsys, db, "booking", *change, reference)
        assert done[0] == 0, done[1]
    erased = backroom(monkeypatch, capsys, db, "guest", "erase", "--phone", PHONE, "--user", "jo",
                      "--password-stdin", "--yes", stdin="3333\n")  # fmt: skip
    assert erased[0] == 0, erased[1]


def test_a_guest_forgotten_alone_never_reaches_the_server_and_every_change_still_lands(
    readme_server, tmp_path, monkeypatch, capsys
):
    base, url = readme_server
    db = demo_desk(tmp_path, monkeypatch, capsys, "alone")
    adas_night_forgotten(db, monkeypatch, capsys)
    on_desk = desk_bookings(db)

    assert connect(monkeypatch, capsys, db, base, "--upload")[0] == 0
    synced = backroom(monkeypatch, capsys, db, "sync")

    assert synced[1].startswith("up to date: 0 waiting to send, 0 conflicts"), synced[1]
    assert "refused" not in synced[1]
    on_server = server_bookings(url)
    del on_server["_devices"]
    assert on_server == on_desk
    engine = create_engine(url)
    with Session(engine) as session:
        text = every_table_as_text(session)
        erased = session.scalars(select(Customer).where(Customer.name == "Erased guest")).all()
        server_chain_broken = verify_server_chain(session, VENUE_ID)
        desks_listed = broken_desk_chains(session, VENUE_ID)
        desks_unlisted = broken_desk_chains(session, VENUE_ID, listed=False)
    engine.dispose()
    assert [t for t in TRACES if t in text] == []
    assert [c.erased_at is not None for c in erased] == [True]
    assert server_chain_broken is None
    assert desks_listed == []
    # The listing is what lets the scrubbed events through: without it the chain shows them.
    assert [b.reason for b in desks_unlisted] == ["its contents were changed"]
