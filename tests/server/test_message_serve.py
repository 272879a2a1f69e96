"""`backroom-server serve` sends the guest messages itself: a desk pushes a booking over
HTTP with the guest's email and phone, and the confirmation reaches the real SMTP
server and the SMS fake (a process speaking Twilio's API), with no other process run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import httpx
from fastapi.testclient import TestClient

from app import protocol as p
from server.app import create_app
from server.clock import SystemClock
from server.settings import Settings
from tests.server.harness import PASSWORD, VENUE_ID, Desk
from tests.server.uvicorn_server import free_port
from tests.sms_fake.plugin import *  # noqa: F403
from tests.smtp_server.plugin import *  # noqa: F403

ROOT = Path(__file__).resolve().parents[2]
EMAIL, PHONE = "ada@example.org", "+447700900123"
LONDON = ZoneInfo("Europe/London")


def next_tuesday_evening() -> datetime:
    """19:00 UTC on a Tuesday at least two days away (the bar opens 17:00–01:00)."""
    today = datetime.now(UTC).replace(hour=19, minute=0, second=0, microsecond=0)
    days = (1 - today.weekday()) % 7
    return today + timedelta(days=days if days >= 2 else days + 7)


def wait_for(found, what: str, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} did not arrive within {seconds:.0f} s")


def serving(seeded_url: str, smtp_server, sms_fake, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "BACKROOM_MESSAGES_WORKER"}
    env |= {
        "PYTHONPATH": str(ROOT),
        "BACKROOM_DATABASE_URL": seeded_url,
        "BACKROOM_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "BACKROOM_SMTP_HOST": smtp_server.host,
        "BACKROOM_SMTP_PORT": str(smtp_server.port),
        "BACKROOM_SMTP_SECURITY": "plain",
        "BACKROOM_SMTP_FROM": "The Backroom <bookings@backroom.example>",
        "BACKROOM_SMS_ACCOUNT_SID": sms_fake.account_sid,
        "BACKROOM_SMS_AUTH_TOKEN": sms_fake.auth_token,
        "BACKROOM_SMS_FROM_NUMBER": sms_fake.from_number,
        "BACKROOM_SMS_API_BASE": sms_fake.url,
    }
    command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port)]
    return subprocess.Popen([*command, "--log-level", "warning"], env=env, cwd=ROOT)


def signed_in_desk(client: httpx.Client) -> Desk:
    """A manager signs in and registers a desk, over HTTP, as the desk app does."""
    body = {"venue_id": str(VENUE_ID), "username": "manager", "password": PASSWORD}
    answer = wait_for(lambda: _try(lambda: client.post("/v1/auth/login", json=body)), "serve")
    assert answer.status_code == 200, answer.text
    token, staff = answer.json()["token"], p.StaffInfo.model_validate(answer.json()["staff"])
    registered = client.post(
        "/v1/devices", json={"name": "Bar PC"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert registered.status_code == 201, registered.text
    device = registered.json()
    # The harness's desk, talking to the served process: its clock is the real one.
    state = SimpleNamespace(clock=SystemClock())
    server = SimpleNamespace(client=client, app=SimpleNamespace(state=state))
    return Desk(server, uuid.UUID(device["device_id"]), device["token"], staff)  # type: ignore[arg-type]


def _try(call):
    try:
        return call()
    except httpx.TransportError:
        return None


def test_a_booking_pushed_to_the_served_server_is_confirmed_by_email_and_sms(
    seeded_url, smtp_server, sms_fake
):
    port = free_port()
    process = serving(seeded_url, smtp_server, sms_fake, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            desk = signed_in_desk(client)
            start = next_tuesday_evening()
            m = desk.create(3, party=2, start=start)
            m["args"]["customer"].update({"name": "Ada Lovelace", "email": EMAIL, "phone": PHONE})
            assert desk.push_one(m)["outcome"] == "applied"

            [mail] = wait_for(smtp_server.recorder.messages, "the confirmation email")
            texts = wait_for(sms_fake.sent, "the confirmation SMS")
    finally:
        process.terminate()
        process.wait(timeout=20)

    ref = m["args"]["reference"]
    shown_ref = f"{ref[:4]}-{ref[4:8]}-{ref[8:]}"
    local = start.astimezone(LONDON)
    assert mail["To"] == EMAIL
    assert mail["Subject"] == (
        f"Your booking at The Backroom: {local:%A} {local.day} {local:%B} at {local:%H:%M}"
    )
    assert f"Booking reference: {shown_ref}" in mail.get_body(("plain",)).get_content()
    [sms] = texts
    assert sms["to"] == PHONE
    assert shown_ref in sms["body"] and f"{local:%H:%M}" in sms["body"]
    assert sms["body"].endswith("Reply 1 to confirm, 9 to cancel.")


def test_a_server_made_with_the_worker_off_sends_nothing_itself(seeded_url):
    off = create_app(Settings(database_url=seeded_url, messages_worker="off"))
    on = create_app(Settings(database_url=seeded_url, messages_worker="on"))

    with TestClient(off), TestClient(on):
        assert off.state.message_worker is None
        assert on.state.message_worker is not None
        assert on.state.message_worker.thread.is_alive()
    assert not on.state.message_worker.thread.is_alive()
