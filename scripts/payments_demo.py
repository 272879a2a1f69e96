"""The server demo (docs/payments.md and docs/messages.md, "Try it"): a throwaway PostgreSQL,
the Stripe fake, a local SMTP server and the SMS fake, ``backroom-server`` taking payments
and sending guest messages through them, The Backroom loaded on the server, and a demo desk
connected to it. ``scripts/payments-demo`` and ``scripts/messages-demo`` run ``main``; the
screenshots of ``scripts/screenshots_payments.py`` are taken on the same set-up
(``demo_server``).

Everything lives in one throwaway folder and on free loopback ports, and is removed when
the demo stops (Ctrl+C). Nothing here talks to Stripe, a mail server or an SMS provider:
the fakes (tests/stripe_fake, tests/smtp_server, tests/sms_fake) stand in.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from resources import BACKROOM_JSON
from tests.postgres import migrate, pg_bin, throwaway_cluster
from tests.sms_fake.client import SmsFake
from tests.sms_fake.processes import start_sms_fake
from tests.smtp_server.server import SmtpServer, start_smtp
from tests.stripe_fake.client import API_KEY, WEBHOOK_SECRET, StripeFake
from tests.stripe_fake.processes import free_port, start_stripe_fake, stop, wait_until_up
from tests.sync.file_keyring import PATH_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
OWNER, OWNER_PASSWORD = "owner", "the demo owner's password"
VENUE_ID = "ebc44396-8be5-54d1-bd1a-a477c5fe7725"  # resources/backroom.json's venue


@dataclass(frozen=True)
class DemoServer:
    url: str
    database_url: str
    fake: StripeFake
    sms: SmsFake
    smtp: SmtpServer

    def guarantee(self, on: bool) -> None:
        """Links asked for from now on hold the card (or save it) instead of taking the
        deposit now: the venue policy's ``collection``."""
        self._policy(collection="guarantee" if on else "deposit_now")

    def notice_hours(self, hours: int) -> None:
        """Bookings made from now on are cancelled free only this many hours ahead (the
        policy's ``free_cancellation_hours``): a wide window makes a cancellation late."""
        self._policy(free_cancellation_hours=hours)

    def _policy(self, **terms: object) -> None:
        """The venue's next deposit policy version, as ``backroom-server venue
        deposit-policy set`` stores it: every desk pulls it and judges by it too."""
        from server.db import make_engine, make_sessionmaker
        from server.venues.models import Venue
        from server.venues.policy import set_policy

        engine = make_engine(self.database_url, 1)
        try:
            with make_sessionmaker(engine)() as session, session.begin():
                venue = session.get(Venue, uuid.UUID(VENUE_ID))
                assert venue is not None
                current = dict(venue.settings["deposit_policy"])
                current.pop("version", None)
                now = datetime.now(UTC)
                set_policy(session, venue.id, {**current, **terms}, set_by="demo", now=now)
        finally:
            engine.dispose()


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **extra}


def _server_command(env: dict[str, str], *args: str, stdin: str = "") -> None:
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"backroom-server {args[0]} failed: {done.stderr or done.stdout}")


@contextlib.contextmanager
def demo_server(say: Callable[[str], None] = lambda _: None) -> Iterator[DemoServer]:
    """PostgreSQL, the Stripe fake and ``backroom-server serve`` with The Backroom and an
    admin (``owner``) on it, the fake's webhooks signed and sent to the server."""
    with contextlib.ExitStack() as stack:
        say("Starting a throwaway PostgreSQL and migrating it…")
        pg = stack.enter_context(throwaway_cluster())
        database_url = pg.create_database("backroom")
        migrate(database_url)
        port, fake_port = free_port(), free_port()
        url, fake_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{fake_port}"
        webhook = ["--webhook-url", f"{url}/v1/payments/webhook"]
        say("Starting the Stripe fake and loading The Backroom on the server…")
        fake = start_stripe_fake(fake_port, extra=[*webhook, "--webhook-secret", WEBHOOK_SECRET])
        stack.callback(stop, fake)
        say("Starting a local SMTP server and the SMS fake for guest messages…")
        smtp = start_smtp("plain")
        stack.callback(smtp.stop)
        sms_port = free_port()
        sms_fake = start_sms_fake(sms_port)
        stack.callback(stop, sms_fake)
        sms = SmsFake(f"http://127.0.0.1:{sms_port}")
        env = _env(
            BACKROOM_DATABASE_URL=database_url,
            BACKROOM_STRIPE_API_KEY=API_KEY,
            BACKROOM_STRIPE_API_BASE=fake_url,
            BACKROOM_STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            BACKROOM_PUBLIC_URL=url,
            BACKROOM_SMTP_HOST=smtp.host,
            BACKROOM_SMTP_PORT=str(smtp.port),
            BACKROOM_SMTP_SECURITY="plain",
            BACKROOM_SMTP_FROM="The Backroom <bookings@backroom.example>",
            BACKROOM_SMS_ACCOUNT_SID=sms.account_sid,
            BACKROOM_SMS_AUTH_TOKEN=sms.auth_token,
            BACKROOM_SMS_FROM_NUMBER=sms.from_number,
            BACKROOM_SMS_API_BASE=sms.url,
        )
        _server_command(env, "create-venue", str(BACKROOM_JSON))
        _server_command(
            env,
            *("create-admin", "--venue", VENUE_ID, "--username", OWNER),
            *("--name", "The Owner", "--password-stdin"),
            stdin=OWNER_PASSWORD + "\n",
        )
        say("Starting backroom-server…")
        serving = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                "serve",
                "--port",
                str(port),
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        stack.callback(stop, serving)
        wait_until_up(serving, f"{url}/health", "backroom-server", timeout=60)
        yield DemoServer(url, database_url, StripeFake(fake_url), sms, smtp)


def next_saturday(today: date) -> date:
    """The coming Saturday, never today (tonight may be half over)."""
    return today + timedelta(days=(5 - today.weekday()) % 7 or 7)


def desk_env(folder: Path) -> dict[str, str]:
    """The demo desk's token goes in a file in the demo's folder, not the computer's keyring."""
    return _env(
        PYTHON_KEYRING_BACKEND="tests.sync.file_keyring.FileKeyring",
        **{PATH_VARIABLE: str(folder / "keyring.json")},
    )


def connected_desk(folder: Path, server: DemoServer) -> Path:
    """The demo desk (The Backroom, tonight's demo night), connected with its night uploaded."""
    db = folder / "desk.sqlite3"
    env = desk_env(folder)
    backroom = [sys.executable, "-m", "app", "--db", str(db)]
    subprocess.run([*backroom, "init", "--demo"], env=env, cwd=ROOT, check=True)
    how = ["--server", server.url, "--user", OWNER, "--password-stdin", "--upload"]
    subprocess.run(
        [*backroom, "connect", *how],
        input=OWNER_PASSWORD + "\n",
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
    )
    return db


HELP = """\
Commands (type them here, then Enter):
  guarantee on    links asked for from now on hold the guest's card (or save it, for a
                  booking more than 6 days ahead) instead of taking the deposit now
  guarantee off   links take the deposit now (the default)
  pay URL [CARD]  pay a link as the guest would on the fake's page (4242424242424242 pays,
                  4000000000000002 is declined); or open the URL in a browser here
  texts           the text messages the SMS fake has taken from the server
  mails           the emails the SMTP server has taken from the server
  reply NUMBER TEXT
                  a guest texts the venue from NUMBER (as the server has it, e.g.
                  +447700900123), e.g. "reply +447700900123 1" to take a waitlist offer
  help            this
Ctrl+C here (or closing the desk window) stops the desk, the server, the fake and
PostgreSQL and removes them all."""


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Run the server demo: deposits and guest messages "
        "(docs/payments.md, docs/messages.md)."
    )
    parser.add_argument("--no-desk", action="store_true", help="do not open the desk window")
    args = parser.parse_args()
    if pg_bin() is None:
        sys.exit(
            "The demo starts a PostgreSQL of its own and found none installed: "
            "apt-get install postgresql (./scripts/test does it when run as root)."
        )
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="backroom-server-demo-"))
    try:
        with demo_server(say) as server:
            say("Seeding the demo desk and connecting it (its night is uploaded)…")
            db = connected_desk(folder, server)
            saturday = next_saturday(date.today())
            open_desk = [sys.executable, "-m", "app", "--db", str(db)]
            print(f"\nThe server demo is up in {time.monotonic() - started:.0f} s:")
            print(f"  server       {server.url}  (PostgreSQL and everything in {folder})")
            print(f"  Stripe fake  {server.fake.url}  (its events go to the server's webhook)")
            print(f"  SMTP server  {server.smtp.host}:{server.smtp.port}  (type 'mails')")
            print(f"  SMS fake     {server.sms.url}  (type 'texts'; 'reply NUMBER 1' answers)")
            print(f"  desk         {db}, connected; sign in as alex / 2222 (manager)")
            print(f"\nTry it (docs/payments.md): book 8 on Saturday {saturday:%d %B}, Send payment")
            print("link, Copy link, pay it, watch it turn paid; then 'guarantee on', book")
            print("another party, pay its link (a hold), mark it No-show and Claim deposit…;")
            print("cancel a paid booking and Refund deposit….")
            print("Guest messages (docs/messages.md): book a party with a mobile number and an")
            print("email, then 'texts' and 'mails' show the confirmation; put a guest with a")
            print("mobile on the waitlist, cancel a booking whose table fits them: they are")
            print("texted the offer; 'reply THEIR-NUMBER 1' seats them on every desk.\n")
            desk = None
            if args.no_desk or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
                names = ("PYTHON_KEYRING_BACKEND", PATH_VARIABLE)
                keyring = " ".join(f"{k}={v}" for k, v in desk_env(folder).items() if k in names)
                print("Open the desk with:")
                print(f"  env {keyring} PYTHONPATH={ROOT} {' '.join(open_desk)}\n")
            else:
                desk = subprocess.Popen(open_desk, env=desk_env(folder), cwd=ROOT)
            print(HELP, flush=True)
            run_until_stopped(server, desk)
            print("\nStopping…", flush=True)
            if desk is not None and desk.poll() is None:
                stop(desk)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def say(line: str) -> None:
    print(line, flush=True)


def run_until_stopped(server: DemoServer, desk: subprocess.Popen | None) -> None:
    """Commands from the terminal until Ctrl+C, or until the desk window closes (or, with no
    window, standard input ends); stopping is then not interrupted by another Ctrl+C."""
    ended = threading.Event()
    threading.Thread(target=commands, args=(server, ended), daemon=True).start()
    try:
        if desk is not None:
            desk.wait()
        else:
            ended.wait()
    except KeyboardInterrupt:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def commands(server: DemoServer, ended: threading.Event) -> None:
    for line in sys.stdin:
        words = line.split()
        try:
            match words:
                case ["guarantee", "on" | "off" as on]:
                    server.guarantee(on == "on")
                    what = "hold or save the card" if on == "on" else "take the deposit now"
                    print(f"Links asked for from now on {what}.")
                case ["notice", hours] if hours.isdigit():
                    server.notice_hours(int(hours))
                    print(f"Bookings made from now on are cancelled free up to {hours} h ahead.")
                case ["pay", url, *card]:
                    server.fake.pay(url.rstrip("/").rsplit("/", 1)[-1], *card[:1])
                    print("Paid; the fake sent the server its webhook.")
                case ["texts"]:
                    for m in server.sms.sent():
                        print(f"  to {m['to']} ({m['status']}): {m['body']}")
                case ["mails"]:
                    for mail in server.smtp.recorder.messages():
                        print(f"  to {mail['To']}: {mail['Subject']}")
                case ["reply", number, *text] if text:
                    url = f"{server.url}/v1/messages/sms/inbound"
                    answer = server.sms.reply(number, " ".join(text), url)
                    print(f"Texted the venue; the server answered {answer.get('status', answer)}.")
                case [] | ["help"]:
                    print(HELP)
                case _:
                    print(f"Unknown command {line.strip()!r}; type help.")
        except Exception as error:  # a demo prompt says what went wrong and carries on
            print(f"That did not work: {error}")
        print(end="", flush=True)
    ended.set()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
