"""``python -m tests.sms_fake --port 13111``: the fake as its own process."""

from __future__ import annotations

import argparse

import uvicorn

from tests.sms_fake.app import create_app
from tests.sms_fake.store import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, Store


def main() -> None:
    parser = argparse.ArgumentParser(description="A small fake of Twilio's Messages API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=13111)
    parser.add_argument("--account-sid", default=ACCOUNT_SID)
    parser.add_argument("--auth-token", default=AUTH_TOKEN)
    parser.add_argument("--from-number", default=FROM_NUMBER)
    args = parser.parse_args()
    store = Store(args.account_sid, args.auth_token, args.from_number)
    uvicorn.run(create_app(store), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
