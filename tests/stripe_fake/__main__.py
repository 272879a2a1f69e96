"""``python -m tests.stripe_fake --port 12111``: the fake as its own process."""

from __future__ import annotations

import argparse
import os
import threading
import time

import uvicorn

from tests.stripe_fake.app import create_app
from tests.stripe_fake.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description="A small Stripe-compatible fake (tests only).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--webhook-url", help="deliver every event here as it happens")
    parser.add_argument("--webhook-secret", help="sign deliveries with this whsec_ secret")
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="exit when the process that started the fake is gone (a killed pool worker)",
    )
    args = parser.parse_args()
    if args.exit_with_parent:
        threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    store = Store()
    if args.webhook_url:
        store.webhook.url, store.webhook.mode = args.webhook_url, "auto"
    if args.webhook_secret:
        store.webhook.secret = args.webhook_secret
    uvicorn.run(create_app(store), host=args.host, port=args.port, log_level="warning")


def _exit_with(parent: int) -> None:
    # A parent killed without cleaning up (a pool's worker terminated) leaves the fake to
    # init; nothing else would ever stop it.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


if __name__ == "__main__":
    main()
