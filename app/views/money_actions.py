"""The money badge kept current, and its list's lines opening their bookings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.services.money_due import MoneyLine, MoneyToSee
from app.views.changes import Change
from app.views.money_badge import MoneyBadge, MoneyDialog
from app.views.state import DeskState


class MoneyActions:
    def __init__(
        self,
        money: MoneyToSee,
        state: DeskState,
        badge: MoneyBadge,
        tell: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        self.money, self.state, self.badge = money, state, badge
        self.tell, self.parent = tell, parent
        self.dialog: MoneyDialog | None = None
        badge.clicked.connect(self.open_list)
        # Who is signed in decides whether there is a badge; time passing, whether a
        # hold can still be claimed.
        state.staff_changed.connect(lambda _staff: self.refresh())
        state.ticked.connect(lambda _now: self.refresh())
        self.refresh()

    def open_list(self) -> MoneyDialog:
        self.dialog = MoneyDialog(
            self.money.lines(self.state.staff), self.state.venue, self.open_booking, self.parent
        )
        self.dialog.show()
        return self.dialog

    def open_booking(self, line: MoneyLine) -> None:
        """The booking's night, with the booking picked: its menu claims or refunds."""
        self.state.set_day(line.day)
        self.state.select(line.booking_id)
        self.tell(
            f"Booking {line.reference} ({line.guest}) is picked on its night: "
            "Claim deposit… and Refund deposit… are in its menu."
        )

    def on_changed(self, change: Change) -> None:
        """A pull may have brought a refund sent back or a claim made; a write a refund."""
        if change & (Change.SYNC | Change.BOOKINGS):
            self.refresh()

    def refresh(self) -> None:
        self.badge.show_lines(self.money.lines(self.state.staff))
