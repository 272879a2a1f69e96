"""The manager's night review window: pick a night (or two to compare), export, print, verify.

It reads only this desk's file (``NightReviews``), so it works with the internet down.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.services.review import NightReviews, ReviewedNight
from app.services.review_export import write_csv
from app.views.history_dialog import HistoryDialog
from app.views.review_panel import ReviewPanel
from app.views.review_report import paint_report, write_pdf, write_png

REFUSED = "background:#fde3e0; color:#8c1d15; border:1px solid #e59a93; padding:4px 8px;"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReviewWindow(QMainWindow):
    def __init__(self, reviews: NightReviews, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reviews, self.staff = reviews, staff
        self.setWindowTitle("Night review")
        latest = reviews.latest_night()
        self.night = QDateEdit(_qdate(latest))
        self.night.setCalendarPopup(True)
        self.night.setDisplayFormat("ddd d MMM yyyy")
        self.compare_box = QCheckBox("Compare with")
        self.other = QDateEdit(_qdate(latest).addDays(-7))
        self.other.setCalendarPopup(True)
        self.other.setDisplayFormat("ddd d MMM yyyy")
        self.other.setEnabled(False)
        bar = QToolBar("Night")
        bar.setMovable(False)
        bar.addWidget(QLabel(" Night "))
        bar.addWidget(self.night)
        bar.addSeparator()
        bar.addWidget(self.compare_box)
        bar.addWidget(self.other)
        bar.addSeparator()
        self.buttons: dict[str, QPushButton] = {}
        for name, run in (
            ("Export CSV…", self._ask_csv),
            ("Export PDF…", self._ask_pdf),
            ("Save charts as PNG…", self._ask_png),
            ("Print…", self._print),
            ("Verify audit log", self.verify_audit),
        ):
            button = QPushButton(name)
            button.clicked.connect(run)
            self.buttons[name] = button
            bar.addWidget(button)
        self.addToolBar(bar)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.panels = [ReviewPanel(), ReviewPanel()]
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.message)
        row = QHBoxLayout()
        for panel in self.panels:
            panel.history_requested.connect(self.show_history)
            row.addWidget(panel, 1)
        self.panels[1].hide()
        column.addLayout(row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setCentralWidget(scroll)
        self.night.dateChanged.connect(lambda _d: self.refresh())
        self.other.dateChanged.connect(lambda _d: self.refresh())
        self.compare_box.toggled.connect(self._toggle_compare)
        self.resize(1360, 900)
        self.shown: list[ReviewedNight] = []
        self.refresh()

    # Nights ------------------------------------------------------------------------------

    def show_night(self, day: date, other: date | None = None) -> None:
        """Show ``day`` (and ``other`` beside it); as picking them in the toolbar does."""
        self.compare_box.setChecked(other is not None)
        if other is not None:
            self.other.setDate(_qdate(other))
        self.night.setDate(_qdate(day))
        self.refresh()

    def refresh(self) -> None:
        days = [_day(self.night.date())]
        if self.compare_box.isChecked():
            days.append(_day(self.other.date()))
        try:
            shown = [self.reviews.night(self.staff, d) for d in days]
        except DomainError as error:
            self._say(str(error))
            return
        self.message.hide()
        self.shown = shown
        for panel, reviewed in zip(self.panels, shown, strict=False):
            panel.show_night(reviewed)
        for panel in self.panels:
            panel.arrange(compact=len(shown) > 1)
        self.panels[1].setVisible(len(shown) > 1)
        self.setWindowTitle("Night review — " + " vs ".join(f"{r.day:%a %d %b %Y}" for r in shown))

    def _toggle_compare(self, on: bool) -> None:
        self.other.setEnabled(on)
        self.refresh()

    def _say(self, text: str) -> None:
        self.message.setText("✕ " + text)
        self.message.setStyleSheet(REFUSED)
        self.message.show()

    # Exports -----------------------------------------------------------------------------

    @property
    def current(self) -> ReviewedNight | None:
        return self.shown[0] if self.shown else None

    def export_csv(self, folder: Path) -> tuple[Path, Path] | None:
        if self.current is None:
            return None
        return write_csv(self.current, folder)

    def export_pdf(self, path: Path) -> None:
        if self.current is not None:
            write_pdf(self.current, path)

    def _ask_csv(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export the night's CSV files to")
        if folder:
            written = self.export_csv(Path(folder))
            if written:
                self.statusBar().showMessage(f"Wrote {written[0].name} and {written[1].name}.")

    def _ask_pdf(self) -> None:
        if self.current is None:
            return
        name = f"night-review-{self.current.day.isoformat()}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Save the review as PDF", name, "PDF (*.pdf)")
        if path:
            self.export_pdf(Path(path))
            self.statusBar().showMessage(f"Wrote {path}.")

    def _ask_png(self) -> None:
        if self.current is None:
            return
        name = f"night-charts-{self.current.day.isoformat()}.png"
        path, _ = QFileDialog.getSaveFileName(self, "Save the charts as PNG", name, "PNG (*.png)")
        if path:
            write_png(self.current, Path(path))
            self.statusBar().showMessage(f"Wrote {path}.")

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.current is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return
        painter = QPainter(printer)
        page = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
        page.moveTo(0, 0)
        paint_report(painter, page, self.current, printer.newPage)
        painter.end()

    # The audit trail ---------------------------------------------------------------------

    def show_history(self, booking_id: str) -> HistoryDialog | None:
        try:
            history = self.reviews.history(self.staff, booking_id)
        except DomainError as error:
            self._say(str(error))
            return None
        venue = self.current.rules.venue if self.current else None
        if venue is None:
            return None
        dialog = HistoryDialog(history, venue, self)
        dialog.show()
        self.history_dialog = dialog
        return dialog

    def verify_audit(self) -> str:
        try:
            verdict = self.reviews.verify_audit(self.staff)
        except DomainError as error:
            self._say(str(error))
            return str(error)
        box = QMessageBox(
            QMessageBox.Icon.Information if verdict.intact else QMessageBox.Icon.Critical,
            "Audit log",
            verdict.words,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.show()
        self.audit_box = box
        return verdict.words
