"""Conflicts the server keeps when an intent cannot be applied as sent, and their ways out."""

from __future__ import annotations

from enum import StrEnum

from app.domain.permissions import Action


class ConflictKind(StrEnum):
    OVERLAP = "overlap"
    STALE_EDIT = "stale_edit"
    EDIT_AFTER_CANCEL = "edit_after_cancel"
    ILLEGAL_MOVE = "illegal_move"
    INVALID = "invalid"


class Resolution(StrEnum):
    MOVE = "move"  # move the conflicting booking to the given tables/time
    KEEP_MINE = "keep_mine"
    KEEP_THEIRS = "keep_theirs"
    WAITLIST = "waitlist"
    CANCEL = "cancel"
    KEEP_BOTH = "keep_both"  # manager's override


R = Resolution
# How staff may resolve each kind. A stale edit is settled by choosing a side; a
# booking kept without a table (overlap, invalid) is moved, waitlisted, cancelled
# or — on a manager's word — kept beside the other.
ALLOWED: dict[ConflictKind, tuple[Resolution, ...]] = {
    ConflictKind.OVERLAP: (R.MOVE, R.KEEP_MINE, R.WAITLIST, R.CANCEL, R.KEEP_BOTH),
    ConflictKind.STALE_EDIT: (R.KEEP_MINE, R.KEEP_THEIRS),
    ConflictKind.EDIT_AFTER_CANCEL: (R.KEEP_THEIRS,),
    ConflictKind.ILLEGAL_MOVE: (R.KEEP_THEIRS,),
    ConflictKind.INVALID: (R.MOVE, R.WAITLIST, R.CANCEL, R.KEEP_BOTH),
}


def resolution_action(resolution: Resolution) -> Action:
    """Keeping both sides overrides the table rule, which only a manager may do."""
    if resolution is Resolution.KEEP_BOTH:
        return Action.OVERRIDE_CONFLICT
    return Action.RESOLVE_CONFLICT
