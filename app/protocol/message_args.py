"""The arguments of the guest-message intents staff send from a desk (issue 16).

The wire carries what staff typed; whether it can go as one SMS is the domain's rule
(app.domain.messages.staff.check_custom_sms), judged the same on the desk and the
server, so a text too long is a clear refusal on both.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from app.protocol.base import Strict


class SendSmsArgs(Strict):
    """Text the booking's guest (the intent's entity is the booking) these words."""

    # Room for what staff might paste; the rule (≤ 160 GSM-7 septets) is the domain's.
    text: Annotated[str, Field(max_length=1000)]


class ResendMessageArgs(Strict):
    """Send a failed guest message again (the intent's entity is the message): a new
    message with the same words to the guest's address on that channel now."""


MessageArgs = SendSmsArgs | ResendMessageArgs
