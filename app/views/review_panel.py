"""One night's review on the screen: the tiles, the charts and the tables.

The window shows one panel, or two side by side to compare nights.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.review_breakdown import INCIDENTS
from app.domain.review_charts import CHART_KEYS, charts
from app.domain.review_kpis import KPIS, NOT_ENOUGH
from app.services.review import ReviewedNight
from app.services.review_export import (
    AREA_HEAD,
    INCIDENT_HEAD,
    MINIMUM_HEAD,
    TABLE_HEAD,
    area_rows,
    incident_rows,
    minimum_rows,
    table_rows,
)
from app.views.review_charts import ChartWidget

TILE = "QFrame#tile { background:#f6f7f9; border:1px solid #dde1e6; border-radius:6px; }"


class Tile(QFrame):
    def __init__(self, label: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.setStyleSheet(TILE)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 6)
        box.setSpacing(0)
        self.label = QLabel(label)
        self.label.setStyleSheet("color:#555; font-size:11px;")
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size:20px; font-weight:600;")
        self.baseline = QLabel("")
        self.baseline.setStyleSheet("color:#666; font-size:11px;")
        for w in (self.label, self.value, self.baseline):
            box.addWidget(w)


def _table(head: tuple[str, ...], *, fit: bool = False) -> QTableWidget:
    table = QTableWidget(0, len(head))
    table.setHorizontalHeaderLabels(head)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    # The long lists stretch rather than measure every cell of 100+ rows; the short list of
    # incidents is sized to its words.
    mode = QHeaderView.ResizeMode.ResizeToContents if fit else QHeaderView.ResizeMode.Stretch
    table.horizontalHeader().setSectionResizeMode(mode)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(cell))
    height = table.horizontalHeader().height() + sum(
        table.rowHeight(r) for r in range(table.rowCount())
    )
    table.setFixedHeight(height + 4)


class ReviewPanel(QWidget):
    history_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setStyleSheet("font-size:17px; font-weight:600;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#555;")
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        self.tile_grid, self.chart_grid = QGridLayout(), QGridLayout()
        self.tiles = {d.key: Tile(d.label) for d in KPIS}
        self.charts = {key: ChartWidget(None) for key in CHART_KEYS}
        self.arrange(compact=False)
        layout.addLayout(self.tile_grid)
        layout.addLayout(self.chart_grid)
        self.incidents = _table(INCIDENT_HEAD, fit=True)
        self.incidents.setToolTip("Double-click a line to see the booking's history.")
        self.incidents.cellDoubleClicked.connect(self._open_history)
        self.areas = _table(AREA_HEAD)
        self.tables = _table(TABLE_HEAD)
        self.minimums = _table(MINIMUM_HEAD, fit=True)
        self.minimums.setToolTip("Double-click a line to see the booking's history.")
        self.minimums.cellDoubleClicked.connect(self._open_minimum_history)
        for title, table in (
            (INCIDENTS, self.incidents),
            ("Minimum spends", self.minimums),
            ("Areas", self.areas),
            ("Tables", self.tables),
        ):
            heading = QLabel(title)
            heading.setStyleSheet("font-weight:600; margin-top:8px;")
            layout.addWidget(heading)
            layout.addWidget(table)
        layout.addStretch(1)
        self.reviewed: ReviewedNight | None = None
        self._incident_ids: list[str] = []
        self._minimum_ids: list[str] = []

    def arrange(self, *, compact: bool) -> None:
        """Six tiles and three charts a row; half that when two nights share the window."""
        columns, per_row = (3, 2) if compact else (6, 3)
        for i, tile in enumerate(self.tiles.values()):
            self.tile_grid.addWidget(tile, i // columns, i % columns)
        for i, chart in enumerate(self.charts.values()):
            self.chart_grid.addWidget(chart, i // per_row, i % per_row)

    def show_night(self, reviewed: ReviewedNight) -> None:
        self.reviewed = reviewed
        day = reviewed.day
        self.title.setText(f"{day:%A} {day.day} {day:%B %Y}")
        n = reviewed.history_nights
        if reviewed.review.empty:
            self.note.setText(
                "Nothing happened on this night: no bookings, walk-ins or waitlist entries. "
                "Pick another night above."
            )
        elif n == 0:
            self.note.setText(f"No earlier {day:%A}s to compare with yet ({NOT_ENOUGH}).")
        else:
            self.note.setText(
                f"Each figure beside the average of the previous {n} {day:%A}"
                f"{'s' if n > 1 else ''} with bookings (up to 12 weeks back)."
            )
        for k in reviewed.kpis:
            tile = self.tiles[k.key]
            tile.value.setText(k.text)
            tile.baseline.setText(k.baseline_text)
        for chart in charts(reviewed.review):
            self.charts[chart.key].set_chart(chart)
        _fill(self.incidents, incident_rows(reviewed))
        self._incident_ids = [i.booking_id for i in reviewed.review.incidents]
        _fill(self.minimums, minimum_rows(reviewed))
        self._minimum_ids = [m.booking_id for m in reviewed.review.minimums]
        _fill(self.areas, area_rows(reviewed.review))
        _fill(self.tables, table_rows(reviewed.review))

    def _open_history(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._incident_ids):
            self.history_requested.emit(self._incident_ids[row])

    def _open_minimum_history(self, row: int, _column: int) -> None:
        """Who recorded the party's spend, and when (its history)."""
        if 0 <= row < len(self._minimum_ids):
            self.history_requested.emit(self._minimum_ids[row])
