"""The allocation engine: availability, best fit, admission with repair, re-optimisation.

``allocate`` is locked best fit (nothing else moves); ``Engine.decide`` is the
booking decision that may propose moves; ``reoptimise`` re-packs a night for
the manager. See docs/allocation.md for the algorithm.
"""

from app.domain.allocation.engine import Decision, DecisionKind, Engine, clock_for, decide
from app.domain.allocation.index import AvailabilityIndex, StartTime
from app.domain.allocation.moves import Move, describe_move, tables_phrase
from app.domain.allocation.options import Seating
from app.domain.allocation.reoptimise import NightPlan, Promotion, reoptimise
from app.domain.allocation.simple import (
    SeatingRequest,
    allocate,
    allowed,
    busy_table_ids,
    first_in_the_way,
    is_free,
)
from app.domain.allocation.slots import SlotClock

__all__ = [
    "AvailabilityIndex",
    "Decision",
    "DecisionKind",
    "Engine",
    "Move",
    "NightPlan",
    "Promotion",
    "Seating",
    "SeatingRequest",
    "SlotClock",
    "StartTime",
    "allocate",
    "allowed",
    "busy_table_ids",
    "clock_for",
    "decide",
    "describe_move",
    "first_in_the_way",
    "is_free",
    "reoptimise",
    "tables_phrase",
]
