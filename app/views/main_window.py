"""The desk's main window: tonight's bookings (the full floor plan UI grows from here)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QTableWidget, QTableWidgetItem

from app.services.desk import Desk

COLUMNS = ("Time", "Reference", "Guest", "Party", "Status", "Tables")


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        venue = desk.queries.venue().venue
        day = desk.queries.tonight()
        self.setWindowTitle(f"Backroom — {venue.name}, {day:%A %d %B}")
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.setCentralWidget(self.table)
        self.resize(900, 600)
        self.refresh()

    def refresh(self) -> None:
        venue = self.desk.queries.venue().venue
        views = self.desk.queries.bookings_on(self.desk.queries.tonight())
        self.table.setRowCount(len(views))
        for row, v in enumerate(views):
            b = v.booking
            cells = (
                venue.show_time(b.start),
                b.reference,
                v.customer.name,
                str(b.party_size),
                b.status.value,
                v.tables,
            )
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
