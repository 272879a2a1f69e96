"""Server-sent events over real HTTP: a push by one desk wakes another, on any instance."""

from __future__ import annotations

import json
import queue
import threading

import httpx
from httpx_sse import connect_sse

from server.settings import Settings
from tests.server.uvicorn_server import serving


def listen(base_url, token, found: queue.Queue, stop: threading.Event) -> None:
    """Puts what the stream says on ``found`` until ``stop`` is set or the server ends it.

    A server shut down mid-stream cuts the chunked body: that is the stream's end here,
    not an error. Raised, it would outlive the test in this thread, and a desk started
    later in the same process (its crash handler watches every thread) would report it.
    """
    with (
        httpx.Client(base_url=base_url, timeout=10) as client,
        connect_sse(
            client, "GET", "/v1/sync/events", headers={"Authorization": f"Bearer {token}"}
        ) as source,
    ):
        found.put(("status", source.response.status_code))
        try:
            for event in source.iter_sse():
                found.put((event.event, json.loads(event.data)["version"]))
                if stop.is_set():
                    return
        except httpx.RemoteProtocolError:
            return


def test_a_push_by_desk_a_on_one_instance_wakes_desk_b_on_another(server, seeded_url):
    desk_a, desk_b = server.desk("Reception"), server.desk("Bar")
    settings = Settings(database_url=seeded_url)
    found: queue.Queue = queue.Queue()
    stop = threading.Event()
    # Two instances: B listens on one, A pushes through the other (the in-process client).
    with serving(settings, server.app.state.clock) as base_url:
        listener = threading.Thread(
            target=listen, args=(base_url, desk_b.token, found, stop), daemon=True
        )
        listener.start()
        assert found.get(timeout=10) == ("status", 200)
        kind, opened_at = found.get(timeout=10)

        version = desk_a.push_one(desk_a.create(7, party=4))["version"]
        woken = found.get(timeout=10)
        stop.set()
    listener.join(timeout=10)

    assert not listener.is_alive()
    assert kind == "changes"
    assert opened_at < version
    assert woken == ("changes", version)


def test_the_event_stream_needs_a_desk_token(server, seeded_url):
    from app.domain.permissions import Role

    with (
        serving(Settings(database_url=seeded_url), server.app.state.clock) as base_url,
        httpx.Client(base_url=base_url, timeout=5) as client,
    ):
        anonymous = client.get("/v1/sync/events")
        staff = client.get("/v1/sync/events", headers=server.headers(server.tokens[Role.ADMIN]))

    assert anonymous.status_code == 401
    assert staff.status_code == 403


def test_a_desk_revoked_while_listening_gets_no_more_events_and_its_stream_ends(server, seeded_url):
    from app.domain.permissions import Role

    desk_a, desk_b = server.desk("Reception"), server.desk("Stolen laptop")
    found: queue.Queue = queue.Queue()
    stop = threading.Event()
    with serving(Settings(database_url=seeded_url)) as base_url:
        listener = threading.Thread(
            target=listen, args=(base_url, desk_b.token, found, stop), daemon=True
        )
        listener.start()
        assert found.get(timeout=10) == ("status", 200)
        found.get(timeout=10)  # the version when the stream opened

        revoked = server.client.post(
            f"/v1/devices/{desk_b.device_id}/revoke",
            headers=server.headers(server.tokens[Role.ADMIN]),
        )
        desk_a.push_one(desk_a.create(7, party=4))
        listener.join(timeout=10)

    assert revoked.status_code == 200
    assert found.empty()
    assert not listener.is_alive()
