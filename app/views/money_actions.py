"""The money badge kept current, and its list's lines opening their bookings.

The badge's read covers two months of deposits (benchmarks/money_due.py: tens of
milliseconds for a few hundred), so it runs on the database worker, never on the GUI
thread; the list shows what the badge last counted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.services.money_due import MoneyLine, MoneyToSee
from app.views.changes import Change
from app.views.money_badge import MoneyBadge, MoneyDialog
from app.views.state import DeskState

Read = Callable[[], list[MoneyLine]]
# Runs a read on the database worker and hands its lines back on the GUI thread.
Submit = Callable[[Read, Callable[[list[MoneyLine]], None]], object]


class MoneyActions:
    def __init__(
        self,
        money: MoneyToSee,
        state: DeskState,
        badge: MoneyBadge,
        submit: Submit,
        tell: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        self.money, self.state, self.badge, self.submit = money, state, badge, submit
        self.tell, self.parent = tell, parent
        self.dialog: MoneyDialog | None = None
        badge.clicked.connect(self.open_list)
        # Who is signed in decides whether there is a badge; time passing, whether a
        # hold can still be claimed.
        state.staff_changed.connect(lambda _staff: self.refresh())
        state.ticked.connect(lambda _now: self.refresh())
        self.refresh()

    def open_list(self) -> MoneyDialog:
        lines, venue = self.badge.lines, self.state.venue
        self.dialog = MoneyDialog(lines, venue, self.open_booking, self.parent)
        self.dialog.show()
        return self.dialog

    def open_booking(self, line: MoneyLine) -> None:
        """The booking's night, with the booking picked: its menu claims or refunds."""
        self.state.set_day(line.day)
        self.state.select(line.booking_id)
        self.tell(
            f"Booking {line.reference} ({line.guest}) is picked on its night: "
            "Claim deposit…, Refund deposit… and Money given back… are in its menu."
        )

    def on_changed(self, change: Change) -> None:
        """A pull may have brought a refund sent back or a claim made; a write a refund."""
        if change & (Change.SYNC | Change.BOOKINGS):
            self.refresh()

    def refresh(self) -> None:
        staff = self.state.staff
        self.submit(lambda: self.money.lines(staff), self.badge.show_lines)
