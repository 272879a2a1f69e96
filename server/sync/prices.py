"""The judge of ``set_deposit_policy``: a manager at a desk sets the venue's deposits and
packages, as a new version of its deposit policy.

The meaning is the desk's (app.protocol.meaning.policy_after): one version above the
one in force, strictly read, not the same terms again. The venue's row is locked, so
two desks' versions are judged one after the other and the second is refused as set
on a version no longer in force. The new version prices every booking judged after
this commit, here and (once pulled) on every desk; no booking already priced changes.
"""

from __future__ import annotations

from app import protocol as p
from app.protocol import meaning
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict
from server.venues.models import DepositPolicyVersion
from server.venues.policy import in_force, locked_venue, store_from_desk


def set_deposit_policy(ctx: IntentContext, m: p.SetDepositPolicy) -> Verdict:
    ctx.require(*meaning.required_actions(m.args, None))
    venue = locked_venue(ctx.session, ctx.venue_id)
    policy = meaning.policy_after(m.args, in_force(venue))
    if ctx.session.get(DepositPolicyVersion, m.entity_id) is not None:
        raise Rejected("That deposit policy version was set already; set a new one.")
    row = store_from_desk(
        ctx.session, venue, policy, row_id=m.entity_id, set_by=ctx.staff.name, now=ctx.now
    )
    if row is None:
        raise Rejected(
            f"Version {policy.version} of the venue's deposits and packages exists on the "
            "server already; open Deposits and packages again and set them once more."
        )
    ctx.touch(row)
    return APPLIED
