"""The meaning of every intent, once: pure functions from a row and an intent to a row.

Desk use cases, the desk's replay of pending intents, and the server's judges
all call these (docs/architecture.md, "One meaning per intent").
"""

from app.domain.kernel.bookings import (
    bookable_status,
    cancel,
    create,
    create_in_conflict,
    edit_details,
    move,
    priced,
    promoted,
    rearranged,
    set_status,
    spent,
    status_refusal,
)
from app.domain.kernel.concurrent import GUARDED, MERGED, merge_text, stale_fields
from app.domain.kernel.customers import booked_customer, upserted_customer
from app.domain.kernel.deposits import (
    card_saved,
    claim_asked,
    claimed,
    given_back,
    held,
    lapsed,
    paid,
    paid_in_person,
    refund_asked,
    refund_failed,
    refunded,
    released,
    requested,
    waived,
)
from app.domain.kernel.placement import Placement, flagged_to_move, kept_in_conflict, placed
from app.domain.kernel.resolution import resolve, restored_status
from app.domain.kernel.seating import canonical_tables, check_seats, is_combined
from app.domain.kernel.undo import ChangedSinceCancel, check_undo_window, undo_cancel

__all__ = [
    "GUARDED",
    "MERGED",
    "ChangedSinceCancel",
    "Placement",
    "bookable_status",
    "booked_customer",
    "cancel",
    "canonical_tables",
    "card_saved",
    "check_seats",
    "check_undo_window",
    "claim_asked",
    "claimed",
    "create",
    "create_in_conflict",
    "edit_details",
    "flagged_to_move",
    "given_back",
    "held",
    "is_combined",
    "kept_in_conflict",
    "lapsed",
    "merge_text",
    "move",
    "paid",
    "paid_in_person",
    "placed",
    "priced",
    "promoted",
    "rearranged",
    "refund_asked",
    "refund_failed",
    "refunded",
    "released",
    "requested",
    "resolve",
    "restored_status",
    "set_status",
    "spent",
    "stale_fields",
    "status_refusal",
    "undo_cancel",
    "upserted_customer",
    "waived",
]
