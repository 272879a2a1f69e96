"""Marketing consent through the real server over HTTP: every record kept in the
history, the latest per channel on the guest that desks pull."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from app import protocol as p
from server.sync.models import Customer, CustomerConsent
from tests.server.harness import NOW

GUEST = uuid.uuid4()


def answer(channel: str, given: bool, minutes: int, by: str = "Sam") -> dict:
    return {
        "channel": channel,
        "given": given,
        "at": (NOW + timedelta(minutes=minutes)).isoformat(),
        "wording_id": f"marketing-{channel}",
        "wording_version": 1,
        "recorded_by": by,
    }


def guest(*consent: dict) -> dict:
    return {"id": str(GUEST), "name": "Ada Lovelace", "phone": "+447700900123",
            "consent": list(consent)}  # fmt: skip


def history(server) -> list[tuple[str, bool, str]]:
    with server.app.state.sessions() as session:
        rows = session.scalars(
            select(CustomerConsent)
            .where(CustomerConsent.customer_id == GUEST)
            .order_by(CustomerConsent.at)
        )
        return [(r.channel, r.given, r.recorded_by) for r in rows]


def version(server) -> int:
    with server.app.state.sessions() as session:
        return session.get(Customer, GUEST).version


def pulled_consent(desk) -> list[tuple[str, bool]]:
    changes, _ = desk.pull_all()
    [row] = [c["data"] for c in changes if c["entity"] == "customer" and c["id"] == str(GUEST)]
    return [(r["channel"], r["given"]) for r in row["consent"]]


def test_a_yes_given_with_a_new_booking_is_kept_and_reaches_every_desk(server):
    desk, other = server.desk(), server.desk()

    made = desk.push_one(desk.create(7, customer=guest(answer("sms", True, 0))))

    assert made["outcome"] == "applied", made
    assert history(server) == [("sms", True, "Sam")]
    assert pulled_consent(other) == [("sms", True)]


def test_a_known_guest_booking_again_gains_the_answer_given_with_the_new_booking(server):
    desk = server.desk()
    desk.push_one(desk.create(7, customer=guest()))

    again = desk.create(8, customer=guest(answer("email", True, 5, by="Jo")))
    assert desk.push_one(again)["outcome"] == "applied"

    assert history(server) == [("email", True, "Jo")]
    assert pulled_consent(server.desk()) == [("email", True)]


def test_a_withdrawal_is_a_new_record_and_the_history_keeps_the_yes_before_it(server):
    desk = server.desk()
    desk.push_one(desk.create(7, customer=guest(answer("sms", True, 0))))

    withdrawn = desk.intent(
        p.IntentName.UPSERT_CUSTOMER,
        GUEST,
        guest(answer("sms", False, 10, by="Jo")),
        base_version=version(server),
    )
    assert desk.push_one(withdrawn)["outcome"] == "applied"

    assert history(server) == [("sms", True, "Sam"), ("sms", False, "Jo")]
    assert pulled_consent(server.desk()) == [("sms", False)]


def test_a_desk_that_had_not_seen_a_withdrawal_does_not_bring_the_old_yes_back(server):
    desk, stale = server.desk(), server.desk()
    desk.push_one(desk.create(7, customer=guest(answer("sms", True, 0))))
    desk.push_one(
        desk.intent(
            p.IntentName.UPSERT_CUSTOMER,
            GUEST,
            guest(answer("sms", False, 10)),
            base_version=version(server),
        )
    )

    # Saved on a desk that still had the yes (its notes edited, say).
    edit = stale.intent(
        p.IntentName.UPSERT_CUSTOMER, GUEST, guest(answer("sms", True, 0)), base_version=1
    )
    stale.push_one(edit)

    assert pulled_consent(server.desk()) == [("sms", False)]
    assert history(server) == [("sms", True, "Sam"), ("sms", False, "Sam")]


def test_an_answer_in_wording_never_asked_is_refused_and_nothing_is_kept(server):
    desk = server.desk()
    made = desk.create(7, customer=guest(answer("sms", True, 0)))
    made["args"]["customer"]["consent"][0]["wording_version"] = 7

    refused = desk.push(made, expect=422)

    assert "was ever asked" in str(refused["detail"])

    assert history(server) == []
    with server.app.state.sessions() as session:
        assert session.get(Customer, GUEST) is None


def test_a_desk_of_schema_2_sending_the_old_flag_is_read_without_inventing_a_yes(server):
    desk = server.desk()
    made = desk.create(7, customer=guest())
    edit = desk.intent(p.IntentName.UPSERT_CUSTOMER, GUEST, guest())
    for intent, customer in ((made, made["args"]["customer"]), (edit, edit["args"])):
        intent["schema_version"] = 2
        del customer["consent"]
        customer["marketing_consent"] = True

    outcomes = [desk.push_one(made)["outcome"], desk.push_one(edit)["outcome"]]

    assert outcomes[0] == "applied" and outcomes[1] in ("applied", "merged")
    assert history(server) == []
    assert pulled_consent(server.desk()) == []


def test_a_desk_of_this_schema_cannot_send_the_old_flag(server):
    desk = server.desk()
    made = desk.create(7, customer=guest())
    made["args"]["customer"]["marketing_consent"] = True

    refused = desk.push(made, expect=422)

    assert "marketing_consent" in str(refused["detail"])
