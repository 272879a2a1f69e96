"""Listing conflicts; resolving one is an intent (resolve_conflict) sent by push."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from app import protocol as p
from server.db import SessionDep
from server.deps import PrincipalDep
from server.errors import described, error
from server.sync.models import Conflict
from server.sync.rows import conflict_record

router = APIRouter(prefix="/v1/conflicts", tags=["conflicts"])


@router.get("", responses=described(401))
def list_conflicts(
    session: SessionDep,
    who: PrincipalDep,
    state: Annotated[p.ConflictState | None, Query()] = p.ConflictState.OPEN,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[p.ConflictRecord]:
    """This venue's conflicts, newest first (any staff member or desk)."""
    query = select(Conflict).where(Conflict.venue_id == who.venue_id)
    if state is not None:
        query = query.where(Conflict.state == state.value)
    rows = session.scalars(query.order_by(Conflict.created_at.desc()).limit(limit))
    return [conflict_record(c) for c in rows]


@router.get("/{conflict_id}", responses=described(401, 404))
def get_conflict(
    conflict_id: uuid.UUID, session: SessionDep, who: PrincipalDep
) -> p.ConflictRecord:
    conflict = session.get(Conflict, conflict_id)
    if conflict is None or conflict.venue_id != who.venue_id:
        raise error(404, "There is no such conflict in this venue.")
    return conflict_record(conflict)
