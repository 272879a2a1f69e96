"""Every reason the server gives for a rejection, and whether it holds in the model.

A rejected outcome's text is read into known reasons (a key and what it names);
it is excused only if the model, at that point of the replay, finds a reason
with the same key and the same particulars (the statuses of an illegal move, the
reference of a stale plan, the resolution a conflict already had…). A text
matching no known reason is a violation too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tests.sim.model.state import Reason

# key → pattern; named groups are the particulars compared with the model's.
KNOWN: tuple[tuple[str, str], ...] = (
    ("audit", r"audit trail does not verify|audit event in this intent was written by another"),
    ("not_member", r"is not an active member of this venue"),
    ("permission", r"who may not (?P<action>.+?)\.(?: |$)"),
    ("id_taken", r"A booking with id \S+ already exists on the server"),
    ("reference_taken", r"Reference (?P<ref>\S+) is already used by another booking"),
    ("new_status", r"A new booking must be pending, confirmed, seated or waitlisted"),
    ("party_too_large", r"is more than any table or combination seats|at least one guest"),
    ("duration", r"A booking lasts between"),
    ("priority", r"Priority must be"),
    ("hours", r" is closed on | is open .+ this booking would run"),
    ("unknown_table", r"There is no table "),
    ("no_booking", r"There is no booking \S+ in this venue on the server"),
    ("closed", r"is (?P<status>completed|no_show); it cannot be moved"),
    ("party_closed", r"is (?P<status>completed|no_show); its party size cannot change"),
    ("to_conflict", r"Only the server puts a booking in conflict"),
    ("deposit_owed", r"cannot be confirmed until its .+ deposit is paid"),
    ("no_show_early", r"a party can be marked a no-show only once its time has come"),
    ("seated_early", r"a party is seated on its own night, not before"),
    ("illegal_move", r"cannot move from (?P<from>\w+) to (?P<to>\w+)\.$"),
    ("waitlisted_tables", r"is on the waitlist and holds no table"),
    ("choose_table", r"^Choose a table\.$"),
    ("stale_plan", r"Booking (?P<ref>\S+) changed after this plan was made"),
    ("not_holding", r"Booking (?P<ref>\S+) is \w+; a re-arrangement only moves bookings"),
    ("seated_moved", r"Booking (?P<ref>\S+) is seated; seated parties are never moved"),
    ("rearrange_seats", r"^Booking (?P<ref>[0-9A-Z-]+): "),
    ("two_on_one_table", r"would put two bookings on one table at the same time"),
    ("no_conflict", r"There is no conflict \S+ in this venue"),
    ("already_resolved", r"This conflict was already resolved \((?P<resolution>\w+)\)"),
    ("not_allowed", r"A (?P<kind>\w+) conflict can be resolved by"),
    ("move_needs_tables", r"needs the tables to move it to"),
    ("no_refused_change", r"does not record the change to keep"),
    ("cannot_place", r"(?P<why>.*) Choose another table or time\.$"),
    ("cancelled_while_open", r"was cancelled while this conflict was open"),
    ("fence", r"fencing token \d+ is stale|The hold with fencing token \d+ does not cover"),
    ("entity_mismatch", r"entity id and the customer's id differ"),
    ("no_area", r"There is no area "),
    ("area_removed", r"was removed; choose another area"),
    ("covers", r"covers must be 1 ≤ min ≤ max"),
    ("number_taken", r"Another table is already number (?P<number>\d+)"),
    ("area_name", r"Give the area a name|An area's name is at most"),
    ("area_name_taken", r"There is already an area called"),
    ("area_has_tables", r"still has tables? .+; move or remove them first"),
    ("only_area", r"is the only area; a venue needs one"),
    ("no_combination", r"There is no combination \S+ in this venue to retire"),
    ("combination_tables", r"no longer exists|is retired and cannot be joined"),
    ("combination_range", r"seat \d+ at most|party range must be"),
    ("combination_taken", r"already combine for parties of"),
    ("stranded", r"rel(?:y|ies) on .+(?:; move it first|\. Move them first)"),
    ("join_promise", r"combine for parties of up to \d+; with .+ Change the combination first"),
    ("spend_unseated", r"a spend is recorded once the party is seated"),
    ("spend_range", r"A spend is £0"),
    ("package_unknown", r"does not sell a package called"),
    ("package_party", r"^The .+ is for (?:parties of|any party).*; this party is \d+\."),
    ("package_closed", r"is (?P<status>completed|no_show); its package cannot change"),
    ("prices_overtaken", r"are at version (?P<current>\d+), and these were set on version"),
    ("prices_same", r"These are the deposits and packages in force already"),
    ("not_cancelled", r"not cancelled; there is no cancel to undo"),
    ("undo_status", r"can only be put back as pending, confirmed or waitlisted"),
    ("changed_since_cancel", r"changed since it was cancelled, so the cancel cannot be undone"),
    ("undo_seats", r"cannot be put back: "),
    ("undo_taken", r"was not put back: .* It stays cancelled"),
    ("deposit_paid", r"deposit on booking \S+ is (?:already paid\.|paid; it cannot be waived)"),
    ("deposit_finished", r"Booking \S+ is (?P<status>[\w-]+); its deposit cannot be"),
    ("no_deposit", r"Booking \S+ owes no deposit\."),
    ("deposit_waived", r"deposit on booking \S+ was waived; it cannot be"),
    (
        "deposit_amount",
        r"is (?:more|less) than the .+ deposit booking \S+ owes|in pounds sterl"
        r"|must be more than £0",
    ),
    ("waiver_reason", r"Say why the deposit is waived"),
    ("link_waitlisted", r"is on the waitlist; its deposit is asked for once it has a table"),
    ("link_finished", r"Booking \S+ is (?P<status>[\w-]+); no deposit is asked of it"),
    ("link_out", r"A payment link for booking \S+'s deposit is already out"),
    ("link_unsendable", r"deposit on booking \S+ is (?P<state>[\w ]+); no link can be sent"),
    ("refund_amount", r"Deposits are in pounds sterling|A refund must be more than £0"),
    (
        "refund_nothing_paid",
        r"The deposit on booking \S+ is (?P<state>[\w ]+); there is no payment to refund",
    ),
    ("refund_nothing_online", r"deposit was taken online that is not refunded already"),
    ("refund_too_much", r"is more than the .+ that can be refunded on booking"),
    ("refund_busy", r"on booking \S+'s deposit is still being made at Stripe"),
    ("give_back_amount", r"A sum given back must be more than £0"),
    ("give_back_nothing", r"The venue holds none of booking \S+'s deposit money"),
    ("give_back_too_much", r"is more than the .+ of booking \S+'s deposit the venue holds"),
)
_COMPILED = tuple((key, re.compile(pattern)) for key, pattern in KNOWN)


def _why(text: str) -> str:
    """What kept a resolution from being placed, from the conflict's own words."""
    if " was cancelled;" in text:
        return "edit_after_cancel"
    if " is already taken by booking " in text:
        return "overlap"
    return "invalid"


def read(text: str | None) -> list[tuple[str, dict[str, str]]]:
    """The known reasons a rejection's text gives (usually one)."""
    found = []
    for key, pattern in _COMPILED:
        match = pattern.search(text or "")
        if match:
            particulars = {k: v for k, v in match.groupdict().items() if v is not None}
            if key == "cannot_place":
                particulars = {"why": _why(particulars.get("why", ""))}
            found.append((key, particulars))
    return found


def _ref(value: object) -> str:
    return str(value).replace("-", "").upper()


# The particulars of each model reason, by position after its key.
_FIELDS = {
    "permission": ("action",),
    "reference_taken": ("ref",),
    "closed": ("status",),
    "party_closed": ("status",),
    "illegal_move": ("from", "to"),
    "stale_plan": ("ref",),
    "not_holding": ("ref",),
    "seated_moved": ("ref",),
    "rearrange_seats": ("ref",),
    "already_resolved": ("resolution",),
    "not_allowed": ("kind",),
    "cannot_place": ("why",),
    "number_taken": ("number",),
    "prices_overtaken": ("current",),
    "deposit_finished": ("status",),
    "link_finished": ("status",),
    "link_unsendable": ("state",),
    "refund_nothing_paid": ("state",),
}


def holds(text: str | None, model: Iterable[Reason]) -> bool:
    """The server's reason is one the model finds holding, particulars and all."""
    mine = list(model)
    for key, particulars in read(text):
        for reason in mine:
            if reason[0] != key:
                continue
            named = dict(zip(_FIELDS.get(key, ()), reason[1:], strict=False))
            if all(
                _ref(named[k]) == _ref(v) if k == "ref" else str(named[k]) == v
                for k, v in particulars.items()
                if k in named
            ):
                return True
    return False
