"""The outbox's sender in a thread of the server (``BACKROOM_MESSAGES_WORKER=on``).

``backroom-server serve`` turns it on unless told otherwise, so a venue runs one
command. Each server instance (each uvicorn worker) runs one sender thread: their
claims skip each other's rows (server.messages.sender), so several are safe, and one
killed mid-send loses nothing (docs/messages.md, "The outbox and exactly once"). Sends
block on SMTP and the SMS provider, so the loop runs in a thread of its own, never on
the event loop; shutdown waits for the message being sent, then stops.
"""

from __future__ import annotations

import logging
import threading
from email.utils import parseaddr

from sqlalchemy.orm import Session, sessionmaker

from server.clock import Clock
from server.messages.channels import channels_from
from server.messages.sender import Sender
from server.settings import Settings

log = logging.getLogger("backroom.messages")


def sender_for(settings: Settings, sessions: sessionmaker[Session], clock: Clock) -> Sender:
    """The sender the settings describe (channels, the status callback, the mail domain)."""
    domain = parseaddr(settings.smtp_from)[1].rpartition("@")[2] or "backroom.invalid"
    return Sender(
        sessions=sessions,
        channels=channels_from(settings),
        clock=clock,
        status_url=f"{settings.public_url.rstrip('/')}/v1/messages/sms/status",
        mail_domain=domain,
    )


class MessageWorker:
    def __init__(self, sender: Sender, poll_seconds: float = 1.0) -> None:
        self.sender = sender
        self.poll = poll_seconds
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="message-sender", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self.stopping.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                busy = self.sender.run_once()
            except Exception:
                # The database away, say: logged, and tried again after the poll.
                log.exception("sending guest messages failed; trying again shortly")
                busy = 0
            if not busy:
                self.stopping.wait(self.poll)
