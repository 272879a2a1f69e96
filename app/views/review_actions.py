"""The main window's way into the review: the night review, a booking's history, the audit check.

Kept apart from the main window so it only adds a menu; each opens with the signed-in
staff member, and the use cases refuse anyone below manager.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.errors import DomainError
from app.domain.permissions import Action
from app.services.desk import Desk
from app.services.review import NightReviews
from app.views.history_dialog import HistoryDialog
from app.views.review_window import ReviewWindow
from app.views.state import DeskState

log = logging.getLogger(__name__)
# How long after the window opens the review's history is worked out: after the desk's
# own start-up reads, before anyone is likely to open the review.
WARM_UP_MS = 4000


class ReviewActions:
    def __init__(self, desk: Desk, state: DeskState, parent: QWidget) -> None:
        self.reviews = NightReviews(desk.store, desk.clock)
        self.state, self.parent = state, parent
        self.window: ReviewWindow | None = None
        self.dialog: QWidget | None = None
        # Opens a booking's guest messages (set by the window), offered from its history.
        self.open_messages: Callable[[str], object] | None = None

    def warm_up(self) -> threading.Thread | None:
        """Work out the latest night's history on a thread of its own (not the database
        worker: staff's actions never wait behind it), so the first review opens fast."""
        staff = self.state.staff
        if staff is None or not self.state.may(Action.VIEW_REPORTS):
            return None

        def warm() -> None:
            try:
                self.reviews.warm(staff)
            except Exception:  # a closing desk, say: the review works it out when opened
                log.debug("the review's warm-up did not finish", exc_info=True)

        thread = threading.Thread(target=warm, name="review-warm-up", daemon=True)
        thread.start()
        return thread

    def open_review(self) -> ReviewWindow | None:
        staff = self.state.staff
        if staff is None:
            return None
        if self.window is not None:
            self.window.close()
        self.window = ReviewWindow(self.reviews, staff, self.parent)
        self.window.show()
        self.window.raise_()
        return self.window

    def history(self, booking_id: str | None) -> HistoryDialog | None:
        staff = self.state.staff
        if staff is None:
            return None
        if booking_id is None:
            self._say("Pick a booking in the list first.")
            return None
        try:
            history = self.reviews.history(staff, booking_id)
        except DomainError as error:
            self._say(str(error))
            return None
        messages = self.open_messages
        dialog = HistoryDialog(
            history,
            self.state.venue,
            self.parent,
            open_messages=(lambda: messages(booking_id)) if messages else None,
        )
        dialog.show()
        self.dialog = dialog
        return dialog

    def verify_audit(self) -> str:
        staff = self.state.staff
        if staff is None:
            return ""
        try:
            words = self.reviews.verify_audit(staff).words
        except DomainError as error:
            words = str(error)
        box = QMessageBox(QMessageBox.Icon.Information, "Audit log", words)
        box.setParent(self.parent, box.windowFlags())
        box.show()
        self.dialog = box
        return words

    def _say(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Booking history", text)
        box.setParent(self.parent, box.windowFlags())
        box.show()
        self.dialog = box
