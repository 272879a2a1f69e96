"""scripts/payments-fakes: the Stripe fakes on fixed local ports for a manual demo."""

from __future__ import annotations

import argparse
import signal
import tempfile
from pathlib import Path

from tests.stripe_fake.client import API_KEY, WEBHOOK_SECRET
from tests.stripe_fake.processes import (
    localstripe_command,
    start_localstripe,
    start_stripe_fake,
    stop,
)


def main() -> None:
    parser = argparse.ArgumentParser(description="Start the Stripe fakes for a demo.")
    parser.add_argument("--port", type=int, default=12111, help="the Stripe fake's port")
    parser.add_argument("--localstripe-port", type=int, default=8420)
    parser.add_argument(
        "--webhook-url",
        default="http://127.0.0.1:8000/v1/payments/webhook",
        help="where the fake delivers its signed events as they happen",
    )
    args = parser.parse_args()
    fake = start_stripe_fake(
        args.port,
        quiet=False,
        extra=["--webhook-url", args.webhook_url, "--webhook-secret", WEBHOOK_SECRET],
    )
    processes = [fake]
    command = localstripe_command()
    if command is not None:
        workdir = Path(tempfile.mkdtemp(prefix="localstripe-"))
        processes.append(start_localstripe(command, args.localstripe_port, workdir))
    base = f"http://127.0.0.1:{args.port}"
    print("# The Stripe fake is up; a server started with these uses it:")
    print(f"export BACKROOM_STRIPE_API_KEY={API_KEY}")
    print(f"export BACKROOM_STRIPE_API_BASE={base}")
    print(f"export BACKROOM_STRIPE_WEBHOOK_SECRET={WEBHOOK_SECRET}")
    print(f"# Events are signed and sent to {args.webhook_url} as they happen.")
    print(f"# A deposit link's url opens the fake's pay page: {base}/_fake/checkout/<cs_...>")
    print(f"# Move its clock: curl -X POST {base}/_fake/clock -d '{{\"advance\": 3600}}'")
    if command is not None:
        print(
            f"# localstripe (PaymentIntents, SetupIntents, refunds): "
            f"http://127.0.0.1:{args.localstripe_port}"
        )
    else:
        print("# localstripe is not installed: only the Stripe fake is running.")
    print("# Ctrl-C stops them.", flush=True)
    stopping = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stopping)
    try:
        signal.sigwait(stopping)
    finally:
        for process in processes:
            stop(process)


if __name__ == "__main__":
    main()
