"""A proposed change of tables for one booking, and the sentence staff read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.domain.floorplan import FloorPlan


@dataclass(frozen=True, slots=True)
class Move:
    """One booking changes tables; a list of these is one ``rearrange`` intent."""

    booking_id: str
    customer_id: str
    party_size: int
    from_table_ids: tuple[str, ...]
    to_table_ids: tuple[str, ...]
    combined: bool


def tables_phrase(plan: FloorPlan, table_ids: Iterable[str]) -> str:
    """``table 7``, ``tables 15 + 16``, or a named table by its name."""
    ids = list(table_ids)
    if len(ids) == 1:
        table = plan.table(ids[0])
        return table.name if table.name else f"table {table.number}"
    return f"tables {plan.numbers(ids)}"


def describe_move(move: Move, plan: FloorPlan, name_of: Callable[[str], str] | None = None) -> str:
    """``Move Smith (party of 4) from table 7 to table 9``.

    ``name_of`` turns a customer id into the guest's name; without it the
    sentence says "the party of 4".
    """
    who = (
        f"{name_of(move.customer_id)} (party of {move.party_size})"
        if name_of
        else (f"the party of {move.party_size}")
    )
    return (
        f"Move {who} from {tables_phrase(plan, move.from_table_ids)} "
        f"to {tables_phrase(plan, move.to_table_ids)}"
    )
