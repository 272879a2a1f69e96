"""Errors a venue rule raises; every message is written for the staff who see it."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action. ``str(error)`` is shown to staff as it is."""


class InvalidInput(DomainError):
    """A value typed by staff is not acceptable; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class IllegalTransition(DomainError):
    """A booking status move that the status machine does not allow."""

    def __init__(self, reference: str, current: str, target: str) -> None:
        super().__init__(f"Booking {reference} cannot move from {current} to {target}.")
        self.current = current
        self.target = target


class InvalidReference(DomainError):
    """A booking reference that cannot be parsed or fails its check character."""


class PermissionDenied(DomainError):
    """The signed-in staff member's role may not run this action."""


class NotFound(DomainError):
    """Something named by staff (a table, a booking) does not exist."""


class InvalidFields(InvalidInput):
    """Several form fields are wrong at once; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors))
        super().__init__(first, " ".join(errors.values()))
        self.errors = errors


class EditAfterCancel(DomainError):
    """A change to a booking that was cancelled; sync keeps it as a conflict for staff."""


class SeatingRefused(InvalidInput):
    """The tables named cannot seat the party; sync keeps such a booking, in conflict."""

    def __init__(self, message: str) -> None:
        super().__init__("tables", message)
