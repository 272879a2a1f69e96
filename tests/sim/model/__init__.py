"""An independent model of the server's booking rules, written from the brief and
tests/server, importing nothing from app/ or server/ (the simulator's oracle).

``judge`` says what the server should answer to one intent and which rows it
writes; tests/sim/oracle.py replays every judged intent through it in version
order and compares every column with the server's database.
"""

from tests.sim.model.judge import audit_head, judge
from tests.sim.model.rows import Booking, Conflict, Customer, Stamp
from tests.sim.model.state import Intent, StaffMember, State, Verdict
from tests.sim.model.venue import Plan, Venue

__all__ = [
    "Booking",
    "Conflict",
    "Customer",
    "Intent",
    "Plan",
    "StaffMember",
    "Stamp",
    "State",
    "Venue",
    "Verdict",
    "audit_head",
    "judge",
]
