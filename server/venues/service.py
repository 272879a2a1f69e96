"""Loading a venue from its plan file, and reading it back as domain objects."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.floorplan import Area as DomainArea
from app.domain.floorplan import Combination as DomainCombination
from app.domain.floorplan import FloorPlan as DomainPlan
from app.domain.floorplan import Shape
from app.domain.floorplan import Table as DomainTable
from app.domain.plan_data import deposit_policy_from_dict, floor_plan_from_dict, venue_from_dict
from app.domain.rules import VenueRules
from app.domain.venue_setup import NO_DEPOSITS
from server.venues.models import (
    Area,
    Combination,
    DiningTable,
    FloorPlan,
    Venue,
    VenueVersion,
)
from server.venues.policy import adopt_plan_policy, record_version
from server.versioning import bump_version


def create_venue(session: Session, data: Mapping[str, Any], *, update: bool = False) -> uuid.UUID:
    """``backroom-server create-venue``: a new venue from its plan file, ids kept.

    A venue the server already has is refused unless ``update`` says to bring its
    plan up to date from the file: loading a plan again over a venue whose desks
    have since changed its floor would put the file's old floor back.
    """
    venue_id = uuid.UUID(str(data["venue"]["id"]))
    existing = session.get(Venue, venue_id)
    if existing is not None and not update:
        raise DomainError(
            f"This server already has the venue {existing.name} (id {venue_id}); nothing was "
            "changed. To bring its plan up to date from this file instead, add --update."
        )
    return load_plan_file(session, data)


def load_plan_file(session: Session, data: Mapping[str, Any]) -> uuid.UUID:
    """Create a venue from a plan file, or bring an existing one up to date.

    The file's ids are kept, so the server and every desk loaded from the same
    file share table and area ids. The domain loaders validate it first.
    """
    venue_data = data["venue"]
    venue_from_dict(venue_data)
    plan = floor_plan_from_dict(data)
    venue_id = uuid.UUID(venue_data["id"])
    policy = adopt_plan_policy(session, venue_id, venue_data.get("deposit_policy"))
    settings = {**venue_data, "deposit_policy": policy}
    session.execute(
        insert(Venue)
        .values(
            id=venue_id,
            name=venue_data["name"],
            timezone=venue_data.get("timezone", "Europe/London"),
            settings=settings,
        )
        .on_conflict_do_update(
            index_elements=["id"],
            set_={"name": venue_data["name"], "settings": settings},
        )
    )
    session.execute(
        insert(VenueVersion).values(venue_id=venue_id, version=0).on_conflict_do_nothing()
    )
    session.add(FloorPlan(venue_id=venue_id, source=dict(data)))
    session.flush()
    version = bump_version(session, venue_id)
    record_version(session, venue_id, policy, "the venue's plan file", stamp=version)
    common = {"venue_id": venue_id, "version": version}
    for area in plan.areas:
        _upsert(
            session, Area, {"id": uuid.UUID(area.id), "name": area.name, "vip": area.vip}, common
        )
    for table in plan.tables:
        _upsert(session, DiningTable, _table_values(table), common)
    for combo in plan.combinations:
        values = {
            "id": uuid.UUID(combo.id),
            "name": combo.name,
            "table_ids": sorted(uuid.UUID(t) for t in combo.table_ids),
            "min_party": combo.min_party,
            "max_party": combo.max_party,
            "strategy": combo.strategy,
        }
        _upsert(session, Combination, values, common)
    return venue_id


def _table_values(table: DomainTable) -> dict[str, Any]:
    return {
        "id": uuid.UUID(table.id),
        "area_id": uuid.UUID(table.area_id),
        "number": table.number,
        "name": table.name,
        "min_covers": table.min_covers,
        "max_covers": table.max_covers,
        "shape": table.shape.value,
        "x": table.x,
        "y": table.y,
        "width": table.width,
        "height": table.height,
        "rotation": table.rotation,
        "booth": table.booth,
        "vip": table.vip,
        "active": table.active,
        "min_spend_pence": table.min_spend_pence,
    }


def _upsert(session: Session, model: Any, values: dict[str, Any], common: dict[str, Any]) -> None:
    """Insert the row, or update it if this venue already has it; never take another's."""
    row = {**values, **common}
    written = session.execute(
        insert(model)
        .values(**row)
        .on_conflict_do_update(
            index_elements=["id"],
            set_={k: v for k, v in row.items() if k != "id"},
            where=model.venue_id == common["venue_id"],
        )
        .returning(model.id)
    ).first()
    if written is None:
        raise DomainError(
            f"The plan's {model.__tablename__} id {values['id']} belongs to another venue; "
            "give this venue's plan its own ids."
        )


def domain_plan(session: Session, venue_id: uuid.UUID) -> DomainPlan:
    # Removed areas and retired combinations stay as rows (desks mirror them) but are
    # not the plan bookings are judged by.
    areas = session.scalars(select(Area).where(Area.venue_id == venue_id, Area.active))
    tables = session.scalars(select(DiningTable).where(DiningTable.venue_id == venue_id))
    combos = session.scalars(
        select(Combination).where(Combination.venue_id == venue_id, Combination.active)
    )
    return DomainPlan(
        areas=tuple(DomainArea(str(a.id), a.name, a.vip) for a in areas),
        tables=tuple(
            DomainTable(
                id=str(t.id),
                number=t.number,
                area_id=str(t.area_id),
                min_covers=t.min_covers,
                max_covers=t.max_covers,
                name=t.name,
                shape=Shape(t.shape) if t.shape in Shape._value2member_map_ else Shape.SQUARE,
                x=t.x,
                y=t.y,
                width=t.width,
                height=t.height,
                rotation=t.rotation,
                booth=t.booth,
                vip=t.vip,
                active=t.active,
                min_spend_pence=t.min_spend_pence,
            )
            for t in tables
        ),
        combinations=tuple(
            DomainCombination(
                id=str(c.id),
                name=c.name,
                table_ids=frozenset(str(t) for t in c.table_ids),
                min_party=c.min_party,
                max_party=c.max_party,
                strategy=c.strategy,
            )
            for c in combos
        ),
    )


# What the cached plan of a venue is checked against: any change to an area,
# table, combination or the venue's settings changes one of these.
_PLAN_KEY_PARTS = {
    "areas": "(SELECT max(version) FROM areas WHERE venue_id = :venue)",
    "tables": "(SELECT max(version) FROM tables WHERE venue_id = :venue)",
    "combinations": "(SELECT max(version) FROM combinations WHERE venue_id = :venue)",
    "settings": "(SELECT md5(settings::text) FROM venues WHERE id = :venue)",
}
# The key's columns by name, for a caller that reads them in a statement of its own.
PLAN_KEY_NAMES = tuple(_PLAN_KEY_PARTS)
PLAN_KEY_COLUMNS = ", ".join(f"{sql} AS {name}" for name, sql in _PLAN_KEY_PARTS.items())
# The same columns in a psycopg pipeline's placeholders (server.sync.pipeline).
PLAN_KEY_PIPELINED = PLAN_KEY_COLUMNS.replace(":venue", "%(venue)s")
_PLAN_KEY = text(f"SELECT {PLAN_KEY_COLUMNS}")
_cache: dict[uuid.UUID, tuple[tuple[Any, ...], VenueRules]] = {}


def venue_rules(
    session: Session, venue_id: uuid.UUID, key: tuple[Any, ...] | None = None
) -> VenueRules | None:
    """The venue's hours, plan and deposit policy, rebuilt only when a row of them changed.

    One indexed query (``PLAN_KEY_COLUMNS``, which a caller may have run as part
    of a statement of its own and pass as ``key``) checks the cache against the
    database in the caller's transaction, so an instance never judges with a
    plan another instance has since changed.
    """
    if key is None:
        key = tuple(session.execute(_PLAN_KEY, {"venue": venue_id}).one())
    if key[3] is None:
        return None
    cached = _cache.get(venue_id)
    if cached is not None and cached[0] == key:
        return cached[1]
    row = session.get(Venue, venue_id)
    if row is None:
        return None
    venue = venue_from_dict({**row.settings, "id": str(row.id), "name": row.name})
    deposits = deposit_policy_from_dict(row.settings.get("deposit_policy") or NO_DEPOSITS)
    rules = VenueRules(venue, domain_plan(session, venue_id), deposits)
    _cache[venue_id] = (key, rules)
    return rules
