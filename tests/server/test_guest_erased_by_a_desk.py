"""The ``erase_guest`` intent a desk that worked alone sends once it is connected: the
server erases the records it names as its own erasure does, for admins only, and waits
while a booking is still to come."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.domain.permissions import Role
from app.protocol import IntentName
from server.audit_log import server_chain
from server.sync.models import Customer
from tests.server.test_guest_data import ADA, book
from tests.server.test_guest_erasure import TRACES, settled_night, the_database_as_text


def erase_intent(desk, first, again, *, role=Role.ADMIN, redacted=()):
    guest = uuid.UUID(ADA["id"])
    args = {
        "guest_ids": [str(guest)],
        "booking_ids": [first["entity_id"], again["entity_id"]],
        "redacted": [str(r) for r in redacted],
    }
    return desk.intent(IntentName.ERASE_GUEST, guest, args, staff=desk.server.staff[role])


def test_an_admins_erase_guest_forgets_her_on_the_server_and_every_desk_pulls_it(server):
    desk = server.desk(role=Role.ADMIN)
    first, again, *_ = settled_night(server)
    cursor = desk.pull_all()[1]
    listed = uuid.uuid4()  # an event the desk scrubbed before it sent it

    outcome = desk.push_one(erase_intent(desk, first, again, redacted=[listed]))

    assert outcome["outcome"] == "applied", outcome
    everything = the_database_as_text(server)
    assert [t for t in TRACES if t in everything] == []
    pulled, _ = desk.pull_all(after=cursor)
    guests = [c["data"] for c in pulled if c["entity"] == "customer"]
    assert [(g["name"], g["phone"]) for g in guests] == [("Erased guest", "")]
    # The words cleared on the money and the replies reach the desks as well.
    notes = [c["data"]["note"] for c in pulled if c["entity"] == "deposit_ledger"]
    replies = [c["data"] for c in pulled if c["entity"] == "message_reply"]
    assert notes == [""] and len(replies) == 1 and "Running" not in str(replies)
    with server.app.state.sessions() as session:
        ada = session.get(Customer, uuid.UUID(ADA["id"]))
        [erasure] = [
            e for e in server_chain(session, server.venue_id) if e.action == "guest erased"
        ]
    assert ada is not None and ada.erased_at is not None
    assert str(listed) in erasure.after["redacted"]
    assert erasure.after["asked_by"].startswith(server.staff[Role.ADMIN].name)


def test_a_managers_erase_guest_is_refused_and_changes_nothing(server):
    desk = server.desk(role=Role.ADMIN)
    first, again, *_ = settled_night(server)

    outcome = desk.push_one(erase_intent(desk, first, again, role=Role.MANAGER))

    assert outcome["outcome"] == "rejected"
    assert "answer a guest's request for their data" in outcome["reason"]
    assert "Ada Lovelace" in the_database_as_text(server)
    with server.app.state.sessions() as session:
        assert (
            session.scalars(select(Customer.erased_at).where(Customer.erased_at.is_not(None))).all()
            == []
        )


def test_a_guest_with_a_booking_to_come_is_not_erased_by_a_desks_intent(server):
    desk = server.desk(role=Role.ADMIN)
    first, _ = book(desk, ADA, 3)

    outcome = desk.push_one(erase_intent(desk, first, first))

    assert outcome["outcome"] == "rejected"
    assert "Ada Lovelace still has booking" in outcome["reason"]
    with server.app.state.sessions() as session:
        assert session.get(Customer, uuid.UUID(ADA["id"])).name == "Ada Lovelace"
