"""The one painter of the review's charts: the same calls draw the window, the PDF and the PNG.

Plain ``QPainter`` (QtCharts is not used: it is only in the add-ons and deprecated). Every
size is taken from the rectangle it is given, so a chart reads the same at screen size and
on an A4 page at 1200 dpi.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.domain.deposits import format_pence
from app.domain.review_charts import Chart, ChartKind

COLOURS = {
    "booked": QColor("#3f6fb5"),
    "walk_in": QColor("#e08a2c"),
    "waitlist": QColor("#3a9a6a"),
    "turn": QColor("#7a5aa6"),
    "money": QColor("#3f6fb5"),
    "down": QColor("#c0463c"),
    "owed": QColor("#9a9a9a"),
}
INK = QColor("#222222")
GRID = QColor("#d8d8d8")


def _label(chart: Chart, value: float) -> str:
    if chart.unit == "£":
        return format_pence(round(value))
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return f"{text} {chart.unit}".strip()


def paint_chart(painter: QPainter, rect: QRectF, chart: Chart) -> None:
    """Draw ``chart`` inside ``rect`` (in the painter's own units)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = rect.height() / 16
    font = QFont(painter.font())
    font.setPixelSize(max(1, round(unit * 0.9)))
    painter.setFont(font)
    painter.setPen(INK)
    title = QRectF(rect.left(), rect.top(), rect.width(), unit * 1.6)
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.drawText(title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, chart.title)
    painter.setFont(font)
    legend = unit * 1.4 if len(chart.series) > 1 else 0.0
    plot = QRectF(
        rect.left() + unit * 0.5,
        title.bottom() + unit * 1.2 + legend,
        rect.width() - unit,
        rect.height() - title.height() - unit * 3.6 - legend,
    )
    if legend:
        _legend(painter, QRectF(rect.left(), title.bottom(), rect.width(), legend), chart, unit)
    if not chart.categories or plot.height() <= 0:
        painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "nothing to show")
        painter.restore()
        return
    painter.setPen(QPen(GRID, 0))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    if chart.kind is ChartKind.WATERFALL:
        _waterfall(painter, plot, chart, unit)
    else:
        _bars(painter, plot, chart, unit)
    painter.restore()


def _legend(painter: QPainter, area: QRectF, chart: Chart, unit: float) -> None:
    x = area.left() + unit * 0.5
    for s in chart.series:
        painter.fillRect(
            QRectF(x, area.top() + unit * 0.3, unit * 0.8, unit * 0.8), COLOURS[s.colour]
        )
        painter.setPen(INK)
        width = painter.fontMetrics().horizontalAdvance(s.name) + unit * 2
        painter.drawText(
            QRectF(x + unit, area.top(), width, unit * 1.4),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            s.name,
        )
        x += width + unit


def _slots(plot: QRectF, count: int) -> tuple[float, float]:
    slot = plot.width() / count
    return slot, slot * 0.7


def _category_label(
    painter: QPainter, plot: QRectF, x: float, slot: float, text: str, unit: float
) -> None:
    painter.setPen(INK)
    painter.drawText(
        QRectF(x, plot.bottom() + unit * 0.2, slot, unit * 1.4),
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
        text,
    )


def _value_label(
    painter: QPainter, x: float, top: float, slot: float, text: str, unit: float
) -> None:
    painter.setPen(INK)
    painter.drawText(
        QRectF(x, top - unit * 1.3, slot, unit * 1.2),
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
        text,
    )


def _bars(painter: QPainter, plot: QRectF, chart: Chart, unit: float) -> None:
    """Stacked (or single) bars; a funnel is bars narrowing left to right."""
    count = len(chart.categories)
    top = max((chart.total(i) for i in range(count)), default=0) or 1
    slot, width = _slots(plot, count)
    for i, category in enumerate(chart.categories):
        x = plot.left() + i * slot
        base = plot.bottom()
        for s in chart.series:
            h = plot.height() * s.values[i] / top
            if h > 0:
                painter.fillRect(
                    QRectF(x + (slot - width) / 2, base - h, width, h), COLOURS[s.colour]
                )
            base -= h
        if chart.total(i):
            _value_label(painter, x, base, slot, _label(chart, chart.total(i)), unit)
        _category_label(painter, plot, x, slot, category, unit)


def _waterfall(painter: QPainter, plot: QRectF, chart: Chart, unit: float) -> None:
    values = chart.series[0].values
    taken, _refunded, kept, forfeited, outstanding = values
    top = max(taken, kept, forfeited, outstanding, 1)
    slot, width = _slots(plot, len(values))
    spans = [
        (0.0, taken, "money"),
        (kept, taken, "down"),
        (0.0, kept, "money"),
        (0.0, forfeited, "money"),
        (0.0, outstanding, "owed"),
    ]
    for i, ((low, high, colour), category) in enumerate(zip(spans, chart.categories, strict=True)):
        x = plot.left() + i * slot
        y_high = plot.bottom() - plot.height() * high / top
        y_low = plot.bottom() - plot.height() * low / top
        if y_low > y_high:
            painter.fillRect(
                QRectF(x + (slot - width) / 2, y_high, width, y_low - y_high), COLOURS[colour]
            )
        if i < 2:
            painter.setPen(QPen(GRID, 0, Qt.PenStyle.DashLine))
            level = plot.bottom() - plot.height() * (taken if i == 0 else kept) / top
            painter.drawLine(
                QPointF(x + (slot + width) / 2, level),
                QPointF(x + slot + (slot - width) / 2, level),
            )
        _value_label(painter, x, y_high, slot, _label(chart, values[i]), unit)
        _category_label(painter, plot, x, slot, category, unit)


class ChartWidget(QWidget):
    """One chart on the screen; ``chart`` is what it plots (tests read it)."""

    def __init__(self, chart: Chart | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setMinimumSize(300, 210)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_chart(self, chart: Chart) -> None:
        self.chart = chart
        self.setAccessibleName(chart.title)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """QWidget.paintEvent: the shared painter draws the chart in the widget's rectangle."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self.chart is not None:
            paint_chart(painter, QRectF(self.rect()).adjusted(8, 8, -8, -8), self.chart)
        painter.end()
