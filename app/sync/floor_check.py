"""The floor as the server has it: after a pull has taken every change, a table, area or
join this desk holds in use that the server never sent it is one the server does not
have.

That happens when the server was put back to an older backup (its copy of a table drawn
since is lost, and the desks that pulled it keep it: taking the server's night drops a
desk's bookings, not its floor) or when a change that drew it was dropped unsent (a
rebuild). Left in use, every booking on it would be refused by the server. Each such row
is kept, out of use, as one the server refused to create (``mirror.mark_refused_floor_row``),
unless a change waiting in the outbox makes it: that change's own outcome decides.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.sync_tables import SyncShadowRow
from app.models.tables import AreaRow, CombinationRow, OutboxRow, TableRow
from app.protocol import EntityKind
from app.protocol.meaning import parse
from app.sync import mirror, overlay

FLOOR = (
    (EntityKind.AREA, AreaRow),
    (EntityKind.TABLE, TableRow),
    (EntityKind.COMBINATION, CombinationRow),
)


def floor_the_server_lacks(session: Session) -> set[tuple[EntityKind, str]]:
    """The floor rows in use the server never sent and no waiting change makes."""
    unsent = {
        (kind, row_id)
        for kind, row in FLOOR
        for row_id in session.scalars(
            select(row.id).where(
                row.active,
                row.id.not_in(select(SyncShadowRow.id).where(SyncShadowRow.entity == kind.value)),
            )
        )
    }
    if not unsent:
        return unsent
    bodies = session.scalars(select(OutboxRow.body))
    return unsent - {key for body in bodies for key in overlay.keys_of(parse(body))}


def retire_floor_the_server_lacks(session: Session) -> int:
    """Take out of use the floor rows the server never sent (see above); how many."""
    lacking = floor_the_server_lacks(session)
    for kind, row_id in lacking:
        mirror.mark_refused_floor_row(session, kind, row_id)
    return len(lacking)
