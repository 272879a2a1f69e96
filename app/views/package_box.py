"""A package chooser: the packages a party of this size can have, and what one costs them."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from app.domain.booking import Booking
from app.domain.errors import InvalidInput
from app.domain.money import format_pence
from app.domain.packages import Sells, find_package, offered, package_price, package_words

NONE = "No package"


class PackageBox(QComboBox):
    """ "No package" first, then each package the venue sells to a party of the size shown.

    A package chosen stays chosen while the party grows or shrinks within its range; one
    the booking already has but the list no longer offers (retired, or not for this many)
    stays listed, marked, so opening a booking never changes its package unasked.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setToolTip("A package the party pre-orders (the venue's deposit policy lists them)")

    def show_for(self, listed: Sells, party_size: int, current: str | None = None) -> None:
        keep = self.chosen() if current is None else current
        self.blockSignals(True)
        self.clear()
        self.addItem(NONE, "")
        for p in offered(listed, party_size):
            self.addItem(f"{p.name} — {format_pence(p.price(party_size))}", p.id)
        if keep and self.findData(keep) < 0:
            package = find_package(listed, keep)
            said = "no longer sold" if package is None else f"not offered for {party_size}"
            self.addItem(f"{package.name if package else keep} ({said})", keep)
        self.setCurrentIndex(max(0, self.findData(keep or "")))
        self.blockSignals(False)

    def chosen(self) -> str | None:
        """The package's id, or None for none."""
        return str(self.currentData() or "") or None


def package_line(
    listed: Sells, package_id: str | None, party_size: int, kept: Booking | None = None
) -> str:
    """What the form says of the package chosen, in words (a refusal if it cannot be had).

    ``kept``: the booking being edited. Its own package keeps the price it was sold at
    while its party stays the same, and for good once the venue no longer sells it, as
    the kernel keeps it (app.domain.kernel.packaged)."""
    if package_id is None:
        return ""
    if kept is not None and package_id == kept.package_id:
        if find_package(listed, package_id) is None:
            return f"{package_words(listed, kept)} (no longer sold: kept at its price)."
        if party_size == kept.party_size:
            return f"{package_words(listed, kept)}."
    try:
        pence = package_price(listed, package_id, party_size)
    except InvalidInput as refused:
        return f"⚠ {refused}"
    package = find_package(listed, package_id)
    assert package is not None
    includes = f" ({package.includes})" if package.includes else ""
    return f"{package.name} for {party_size}: <b>{format_pence(pence)}</b>{includes}."
