"""Judging ``erase_guest``: a desk with no server forgot a guest, and now says so.

The desk erased the guest in its own file before it ever sent anything, its unsent
changes included (docs/data-protection.md), so what reached the server of them is
already nameless. The server erases the records the intent names as its own erasure
does (``server.guests.erase``): marks them erased so no desk writes them again, scrubs
anything it holds besides, and records the erasure's event in the venue's chain,
listing the desk's audit events that arrived scrubbed, so both chains still verify.
"""

from __future__ import annotations

from app import protocol as p
from app.protocol import meaning
from server.guests.data import guests_by_id
from server.guests.erase import NotYet, erase_found
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict


def erase_guest(ctx: IntentContext, m: p.EraseGuest) -> Verdict:
    ctx.require(*meaning.required_actions(m.args, None))
    found = guests_by_id(ctx.session, ctx.venue_id, m.args.guest_ids)
    try:
        _, changed = erase_found(
            ctx.session,
            ctx.venue_id,
            found,
            asked_by=f"{ctx.staff.name} at {ctx.device.name}",
            found_by="desk",
            now=ctx.now,
            subject=m.entity_id,
            redacted_by_desk=[str(e) for e in m.args.redacted],
        )
    except NotYet as refused:
        raise Rejected(str(refused)) from None
    ctx.touch(*changed)
    return APPLIED
