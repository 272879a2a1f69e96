"""The judge of ``update_staff``: an admin at a desk adds or changes a member of staff.

The server judges it again with the same rules as the desk (app.domain.staff):
only an admin may (and only from a desk allowed to act for one), a username is
one person's in the venue, and the venue always keeps an active admin. Staff of
one venue are judged one at a time, so two admins at two desks cannot both
deactivate "the other" last admin.
"""

from __future__ import annotations

from sqlalchemy import select, text, update

from app import protocol as p
from app.domain.permissions import Role
from app.domain.staff import StaffMember as Member
from app.domain.staff import only_own_pin, refuse_leaving_no_admin
from app.protocol import meaning
from server.auth.models import StaffMember, Token
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict

# pg_advisory_xact_lock(STAFF_LOCK, hashtext(venue id)): one staff change per venue at a time.
STAFF_LOCK = 0x57AFF
# A member added at a desk signs in with a desk PIN; no server password verifies against this
# until an admin gives them one.
NO_PASSWORD = "!desk-only"


def update_staff(ctx: IntentContext, m: p.UpdateStaff) -> Verdict:
    a = m.args
    ctx.session.execute(
        text("SELECT pg_advisory_xact_lock(:lock, hashtext(:venue))"),
        {"lock": STAFF_LOCK, "venue": str(ctx.venue_id)},
    )
    rows = list(
        ctx.session.scalars(
            select(StaffMember)
            .where(StaffMember.venue_id == ctx.venue_id)
            .execution_options(populate_existing=True)
        )
    )
    member = next((r for r in rows if r.id == m.entity_id), None)
    if member is None and ctx.session.get(StaffMember, m.entity_id) is not None:
        raise Rejected("This member of staff belongs to another venue.")
    seen = member.version if member else 0
    meaning.check_seen(m.base_version, seen, f"staff member {a.username}")
    same_name = next((r for r in rows if r.username == a.username and r.id != m.entity_id), None)
    if same_name is not None:
        raise Rejected(
            f"The server already has '{a.username}' ({same_name.name}); the desk matches its "
            f"'{a.username}' to them when it next syncs, and shows it."
        )
    everyone = [_member(r) for r in rows]
    after = Member(str(m.entity_id), a.username, " ".join(a.name.split()), a.role, a.active)
    before = _member(member) if member is not None else None
    own_pin = only_own_pin(str(ctx.staff.id), before, after, a.pin_hash is not None)
    ctx.require(*meaning.required_actions(a, None, own_pin=own_pin))
    refuse_leaving_no_admin(ctx.staff, everyone, after)
    if member is None:
        member = StaffMember(
            id=m.entity_id, venue_id=ctx.venue_id, password_hash=NO_PASSWORD, version=0
        )
        ctx.session.add(member)
    elif member.active and not a.active:
        # Their server sign-ins end with them, as when an admin deactivates them online.
        ctx.session.execute(
            update(Token)
            .where(Token.staff_id == m.entity_id, Token.revoked_at.is_(None))
            .values(revoked_at=ctx.now)
        )
    member.username, member.name, member.role, member.active = (
        after.username,
        after.name,
        after.role.value,
        after.active,
    )
    if a.pin_hash is not None:
        member.pin_hash = a.pin_hash
    member.updated_at = ctx.now
    ctx.touch(member)
    ctx.session.flush()
    return APPLIED


def _member(row: StaffMember) -> Member:
    return Member(str(row.id), row.username, row.name, Role(row.role), row.active)
