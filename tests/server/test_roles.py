"""Every endpoint × every kind of caller: exactly the allowed ones succeed.

Callers: no token, another venue's admin and desk, and this venue's
reception, manager, admin and desk. Another venue's token may succeed only on
its own venue's data: nothing of this venue may appear in its answers.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta

import pytest

from app.domain.permissions import Role
from app.protocol import IntentName
from tests.server.harness import EVENING, PLAN, TABLE, VENUE_ID, Desk, other_venue_plan

CALLERS = ["none", "other_admin", "other_desk", "reception", "manager", "admin", "desk"]
STAFF = {"reception", "manager", "admin"}


def hold_body():
    return {
        "table_ids": [str(TABLE[3])],
        "start": EVENING.isoformat(),
        "end": (EVENING + timedelta(hours=1)).isoformat(),
    }


class World:
    def __init__(self, server):
        self.server = server
        self.holds = 0
        # Registered by an admin to act for anyone up to admin, so each intent is judged
        # by its staff member's role alone.
        self.desk = server.desk("Reception", role=Role.ADMIN)
        first, later = self.desk.create(7, party=4), self.desk.create(7, party=4)
        self.desk.push_one(first)
        self.conflict_id = self.desk.push_one(later)["conflict_id"]
        other_venue = server.add_venue(other_venue_plan())
        _, other_admin = server.add_staff(other_venue, Role.ADMIN)
        self.other_desk = server.desk("Elsewhere", token=other_admin)
        self.tokens = {
            "none": None,
            "other_admin": other_admin,
            "other_desk": self.other_desk.token,
            "reception": server.tokens[Role.RECEPTION],
            "manager": server.tokens[Role.MANAGER],
            "admin": server.tokens[Role.ADMIN],
            "desk": self.desk.token,
        }
        self.ours = {
            str(VENUE_ID),
            str(self.desk.device_id),
            self.conflict_id,
            *(str(s.id) for s in server.staff.values()),
        }

    def fresh_device(self):
        return self.server.desk("Spare").device_id

    def fresh_staff(self):
        return self.server.add_staff(VENUE_ID, Role.RECEPTION, login=False)[0].id

    def fresh_hold(self):
        self.holds += 1
        start = EVENING + timedelta(days=self.holds)
        answer = self.server.client.post(
            "/v1/holds",
            json={
                "table_ids": [str(TABLE[4])],
                "start": start.isoformat(),
                "end": (start + timedelta(hours=1)).isoformat(),
            },
            headers=self.desk.headers,
        )
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]


# endpoint -> (request maker, the callers that may use it)
ENDPOINTS = {
    "register desk": (
        lambda w: ("POST", "/v1/devices", {"name": "New desk"}),
        {"manager", "admin", "other_admin"},
    ),
    "list desks": (lambda w: ("GET", "/v1/devices", None), {"admin", "other_admin"}),
    "revoke desk": (lambda w: ("POST", f"/v1/devices/{w.fresh_device()}/revoke", None), {"admin"}),
    "set a desk's ceiling": (
        lambda w: (
            "POST",
            f"/v1/devices/{w.fresh_device()}/ceiling",
            {"role_ceiling": "reception"},
        ),
        {"admin"},
    ),
    "create staff": (
        lambda w: (
            "POST",
            "/v1/staff",
            {
                "username": f"new-{uuid.uuid4().hex[:6]}",
                "name": "New Person",
                "role": "reception",
                "password": "long enough password",
            },
        ),
        {"admin", "other_admin"},
    ),
    "list staff": (lambda w: ("GET", "/v1/staff", None), {"manager", "admin", "other_admin"}),
    "deactivate staff": (
        lambda w: ("POST", f"/v1/staff/{w.fresh_staff()}/deactivate", None),
        {"admin"},
    ),
    "push": (
        lambda w: ("POST", "/v1/sync/push", {"device_id": str(w.desk.device_id), "mutations": []}),
        {"desk"},
    ),
    "changes": (lambda w: ("GET", "/v1/sync/changes", None), {"desk", "other_desk"}),
    "events": (lambda w: ("GET", "/v1/sync/events", None), set()),
    "take hold": (lambda w: ("POST", "/v1/holds", hold_body()), {"desk"}),
    "list holds": (lambda w: ("GET", "/v1/holds", None), {"desk", "other_desk"}),
    "renew hold": (lambda w: ("POST", f"/v1/holds/{w.fresh_hold()}/renew", None), {"desk"}),
    "release hold": (lambda w: ("POST", f"/v1/holds/{w.fresh_hold()}/release", None), {"desk"}),
    "list conflicts": (lambda w: ("GET", "/v1/conflicts", None), set(CALLERS) - {"none"}),
    "get conflict": (lambda w: ("GET", f"/v1/conflicts/{w.conflict_id}", None), STAFF | {"desk"}),
}


@pytest.fixture(scope="module")
def world(module_server):
    return World(module_server)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_endpoint_answers_exactly_the_callers_allowed_to_use_it(world, endpoint):
    make, allowed = ENDPOINTS[endpoint]
    results = {}

    for caller in CALLERS:
        method, path, body = make(world)
        token = world.tokens[caller]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if endpoint == "events" and caller.endswith("desk"):
            continue  # a desk's stream never ends: test_sse covers it over real HTTP
        answer = world.server.client.request(method, path, json=body, headers=headers)
        results[caller] = answer

    for caller, answer in results.items():
        if caller in allowed:
            assert answer.status_code < 300, (caller, answer.text)
            if caller.startswith("other"):
                assert not any(ours in answer.text for ours in world.ours), (caller, answer.text)
        else:
            expected = 401 if caller == "none" else (403, 404)
            assert answer.status_code in (
                expected if isinstance(expected, tuple) else (expected,)
            ), (caller, answer.status_code, answer.text)
            assert "detail" in answer.json()


def test_health_and_sign_in_are_the_only_answers_without_a_token(module_server):
    server = module_server
    health = server.client.get("/health")
    login = server.client.post(
        "/v1/auth/login",
        json={
            "venue_id": str(VENUE_ID),
            "username": "reception",
            "password": "correct horse battery",
        },
    )

    assert health.status_code == 200
    assert login.status_code == 200
    # /v1/venues: venue names only, so a new desk can find its venue before signing in.
    public = {"/health", "/v1/auth/login", "/v1/venues"}
    for path, operations in server.app.openapi()["paths"].items():
        for method, operation in operations.items():
            if path not in public:
                assert operation.get("security"), (method, path)


# Pushed intents are judged per intent: the staff member named in it must hold the role.
_TABLE_PAIRS = itertools.cycle([(1, 2), (2, 3), (5, 6), (9, 10), (10, 11), (13, 14)])
_NUMBERS = itertools.count(200)
FLOOR_INTENTS = {
    IntentName.UPDATE_TABLE: lambda: {
        "number": next(_NUMBERS),
        "area_id": PLAN["areas"][0]["id"],
        "min_covers": 2,
        "max_covers": 4,
        "x": 10.0,
        "y": 10.0,
        "width": 50.0,
        "height": 50.0,
    },
    IntentName.UPDATE_AREA: lambda: {"name": f"Area {uuid.uuid4().hex[:6]}", "vip": True},
    IntentName.UPDATE_COMBINATION: lambda: {
        "name": "join",
        "table_ids": [str(TABLE[n]) for n in next(_TABLE_PAIRS)],
        "min_party": 2,
        "max_party": 4,
    },
}


@pytest.mark.parametrize("intent", FLOOR_INTENTS)
@pytest.mark.parametrize("role", [Role.RECEPTION, Role.MANAGER, Role.ADMIN])
def test_each_floor_plan_intent_is_applied_for_managers_and_admins_only(world, intent, role):
    desk, staff = world.desk, world.server.staff[role]

    outcome = desk.push_one(desk.intent(intent, uuid.uuid4(), FLOOR_INTENTS[intent](), staff=staff))

    if role is Role.RECEPTION:
        assert outcome["outcome"] == "rejected"
        assert "signed in as reception, who may not edit the floor plan" in outcome["reason"]
    else:
        assert outcome["outcome"] == "applied", outcome


def test_a_desk_a_manager_registered_cannot_send_an_intent_naming_the_admin(server):
    desk = server.desk("Reception PC")

    outcome = desk.push_one(desk.create(7, party=4, staff=server.staff[Role.ADMIN]))

    assert outcome["outcome"] == "rejected"
    assert "acts for staff up to manager" in outcome["reason"]
    assert desk.bookings() == {}


def test_a_manager_cannot_let_a_desk_act_for_an_admin_but_an_admin_can(server):
    ask = {"name": "Office PC", "role_ceiling": "admin"}

    by_manager = server.client.post(
        "/v1/devices", json=ask, headers=server.headers(server.tokens[Role.MANAGER])
    )
    by_admin = server.client.post(
        "/v1/devices", json=ask, headers=server.headers(server.tokens[Role.ADMIN])
    )

    assert by_manager.status_code == 403
    assert "cannot let a desk act for a admin" in by_manager.json()["detail"]
    assert (by_admin.status_code, by_admin.json()["role_ceiling"]) == (201, "admin")


def test_a_reception_desk_refuses_a_managers_intent_until_an_admin_raises_it(server):
    registered = server.client.post(
        "/v1/devices",
        json={"name": "Door tablet", "role_ceiling": "reception"},
        headers=server.headers(server.tokens[Role.MANAGER]),
    ).json()
    desk = Desk(
        server, uuid.UUID(registered["device_id"]), registered["token"], server.staff[Role.MANAGER]
    )

    before = desk.push_one(desk.create(7, party=4))
    raised = server.client.post(
        f"/v1/devices/{desk.device_id}/ceiling",
        json={"role_ceiling": "manager"},
        headers=server.headers(server.tokens[Role.ADMIN]),
    )
    after = desk.push_one(desk.create(9, party=4))

    assert before["outcome"] == "rejected"
    assert raised.status_code == 200 and raised.json()["role_ceiling"] == "manager"
    assert after["outcome"] == "applied"
