"""The review on paper: the same pages go to a PDF (``QPdfWriter``, A4), a printer, or a PNG.

``paint_report`` lays the night out on pages of any size; the charts are drawn by
``app.views.review_charts.paint_chart``, the painter the window uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from app.domain.review_breakdown import INCIDENTS
from app.domain.review_charts import charts
from app.services import review_export as export
from app.services.review import ReviewedNight
from app.views.offscreen import drawing_app
from app.views.review_charts import paint_chart

INK = QColor("#222222")
MUTED = QColor("#666666")


def night_title(reviewed: ReviewedNight) -> str:
    day = reviewed.day
    return f"{reviewed.rules.venue.name} — night review, {day:%A} {day.day} {day:%B %Y}"


class _Pages:
    """A cursor down the page that starts a new page when the next block will not fit."""

    def __init__(self, painter: QPainter, page: QRectF, new_page: Callable[[], None]) -> None:
        self.p, self.page, self.new_page = painter, page, new_page
        self.line = page.height() / 52
        self.y = page.top()
        self.font = QFont(painter.font())
        self.font.setPixelSize(max(1, round(self.line * 0.62)))
        painter.setFont(self.font)

    def room(self, height: float) -> None:
        if self.y + height > self.page.bottom():
            self.new_page()
            self.y = self.page.top()
            self.p.setFont(self.font)

    def text(
        self, words: str, *, size: float = 1.0, bold: bool = False, colour: QColor = INK
    ) -> None:
        height = self.line * size * 1.3
        self.room(height)
        font = QFont(self.font)
        font.setPixelSize(max(1, round(self.line * 0.62 * size)))
        font.setBold(bold)
        self.p.setFont(font)
        self.p.setPen(colour)
        self.p.drawText(
            QRectF(self.page.left(), self.y, self.page.width(), height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            words,
        )
        self.p.setFont(self.font)
        self.y += height

    def table(
        self, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        self._row(head, widths, bold=True)
        for row in rows:
            self._row(row, widths)
        self.y += self.line * 0.5

    def _row(self, cells: Sequence[str], widths: Sequence[float], *, bold: bool = False) -> None:
        self.room(self.line)
        font = QFont(self.font)
        font.setBold(bold)
        self.p.setFont(font)
        self.p.setPen(INK)
        x = self.page.left()
        for cell, share in zip(cells, widths, strict=True):
            w = self.page.width() * share
            align = Qt.AlignmentFlag.AlignLeft if share >= 0.2 else Qt.AlignmentFlag.AlignRight
            self.p.drawText(
                QRectF(x, self.y, w - self.line * 0.3, self.line),
                align | Qt.AlignmentFlag.AlignVCenter,
                cell,
            )
            x += w
        self.p.setFont(self.font)
        self.y += self.line

    def charts(self, reviewed: ReviewedNight) -> None:
        width = self.page.width() / 2
        height = self.page.height() / 4.2
        for i, chart in enumerate(charts(reviewed.review)):
            if i % 2 == 0:
                self.room(height)
            x = self.page.left() + (i % 2) * width
            paint_chart(self.p, QRectF(x, self.y, width * 0.96, height * 0.94), chart)
            if i % 2 == 1 or i == 4:
                self.y += height


def paint_report(
    painter: QPainter, page: QRectF, reviewed: ReviewedNight, new_page: Callable[[], None]
) -> None:
    pages = _Pages(painter, page, new_page)
    pages.text(night_title(reviewed), size=1.6, bold=True)
    if reviewed.review.empty:
        pages.text("No bookings, walk-ins or waitlist entries on this night.", colour=MUTED)
    n = reviewed.history_nights
    pages.text(
        f"Compared with the same weekday over the previous 12 weeks ({n} with bookings).",
        colour=MUTED,
    )
    pages.y += pages.line * 0.5
    pages.table(
        ("Figure", "This night", "Same weekday, 12 weeks"),
        [(k.label, k.text, k.baseline_text) for k in reviewed.kpis],
        (0.4, 0.2, 0.4),
    )
    pages.charts(reviewed)
    pages.text("Areas", size=1.2, bold=True)
    pages.table(
        export.AREA_HEAD, export.area_rows(reviewed.review), (0.5, 0.125, 0.125, 0.125, 0.125)
    )
    pages.text("Tables", size=1.2, bold=True)
    pages.table(
        export.TABLE_HEAD,
        export.table_rows(reviewed.review),
        (0.2, 0.3, 0.125, 0.125, 0.125, 0.125),
    )
    pages.text(INCIDENTS, size=1.2, bold=True)
    incidents = export.incident_rows(reviewed)
    if incidents:
        pages.table(export.INCIDENT_HEAD, incidents, (0.1, 0.17, 0.15, 0.2, 0.06, 0.32))
    else:
        pages.text("None.", colour=MUTED)
    pages.text("Minimum spends", size=1.2, bold=True)
    minimums = export.minimum_rows(reviewed)
    if minimums:
        pages.table(export.MINIMUM_HEAD, minimums, (0.08, 0.16, 0.2, 0.12, 0.14, 0.16, 0.14))
    else:
        pages.text("No party sat at a table sold with a minimum spend.", colour=MUTED)


def write_pdf(reviewed: ReviewedNight, path: Path) -> None:
    """An A4 PDF of the review (off-screen when no window is open: a script, cron)."""
    drawing_app()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(night_title(reviewed))
    writer.setCreator("Backroom")
    painter = QPainter(writer)
    page = QRectF(0, 0, writer.width(), writer.height())
    paint_report(painter, page, reviewed, writer.newPage)
    painter.end()


def write_png(reviewed: ReviewedNight, path: Path, size: QSizeF | None = None) -> None:
    """The charts of the review as one image (the same painter as the window and the PDF)."""
    width, height = (size.width(), size.height()) if size else (1600.0, 1200.0)
    image = QImage(round(width), round(height), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    cell_w, cell_h = width / 2, height / 3
    for i, chart in enumerate(charts(reviewed.review)):
        x, y = (i % 2) * cell_w, (i // 2) * cell_h
        paint_chart(painter, QRectF(x + 12, y + 12, cell_w - 24, cell_h - 24), chart)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"Could not write {path}.")
