"""``python -m server.messages.worker``: the outbox's sender as a process of its own.

Reads the BACKROOM_* settings (database, SMTP, SMS, public URL). Several may run at
once (claims skip each other's rows); kill -9 at any point loses nothing.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import replace
from datetime import timedelta

import server.models  # noqa: F401  (every table, so the outbox's foreign keys resolve)
from server.clock import SystemClock
from server.db import make_engine, make_sessionmaker
from server.messages.running import sender_for
from server.settings import Settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Send the guest messages in the outbox.")
    parser.add_argument("--until-idle", action="store_true", help="stop when nothing is due")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between looks")
    parser.add_argument("--lease-seconds", type=float, default=120.0)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = Settings()  # type: ignore[call-arg]
    sessions = make_sessionmaker(make_engine(settings.database_url, 2))
    sender = replace(
        sender_for(settings, sessions, SystemClock()),
        lease=timedelta(seconds=args.lease_seconds),
        batch=args.batch,
    )
    sender.run(poll=args.poll, until_idle=args.until_idle)


if __name__ == "__main__":
    main()
