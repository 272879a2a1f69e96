"""Packages a venue sells with a table: what a booking pre-orders, and its price in pence.

A package ("Prosecco package: a bottle between two and a sharing board, £30 a head") is
listed in the venue's deposit policy (``DepositPolicy.packages``), the venue's price
list for a booking: stored on the server, versioned, pulled by every desk
(docs/payments.md). A booking names its package by id and keeps the price it was sold
at (``Booking.package_pence``), worked out here when the package is chosen and when the
party's size changes, so a price list changed later changes no booking already sold.
Taking money up front stays the deposit's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from app.domain.booking import Booking
from app.domain.errors import InvalidInput
from app.domain.limits import MAX_PARTY, MAX_PENCE
from app.domain.money import format_pence
from app.domain.spend import SPENDING

# A package's id as an admin writes it in the policy file and a desk sends it.
PACKAGE_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
PACKAGE_ID = re.compile(PACKAGE_PATTERN)
MAX_PACKAGE_NAME = 80
MAX_PACKAGE_WORDS = 300


@dataclass(frozen=True, slots=True)
class Package:
    """One package: ``pence`` a head (``per_head``) or for the whole party."""

    id: str
    name: str
    pence: int
    per_head: bool = True
    min_party: int = 1
    max_party: int = MAX_PARTY
    # What it includes, for staff to read out on the phone.
    includes: str = ""

    def __post_init__(self) -> None:
        if not PACKAGE_ID.fullmatch(self.id):  # (match's $ would let a newline end it)
            raise InvalidInput(
                "package",
                f"A package's id is 1–40 lower-case letters, digits, - or _ ({self.id!r}).",
            )
        if not self.name.strip() or len(self.name) > MAX_PACKAGE_NAME:
            raise InvalidInput("package", f"A package's name is 1–{MAX_PACKAGE_NAME} characters.")
        if len(self.includes) > MAX_PACKAGE_WORDS:
            raise InvalidInput(
                "package", f"What a package includes is at most {MAX_PACKAGE_WORDS} characters."
            )
        if not 0 <= self.pence <= MAX_PENCE:
            raise InvalidInput("package", f"A package costs £0–£{MAX_PENCE // 100:,}.")
        if not 1 <= self.min_party <= self.max_party <= MAX_PARTY:
            raise InvalidInput(
                "package", f"A package is for parties of 1 to {MAX_PARTY}, smallest first."
            )

    def price(self, party_size: int) -> int:
        """What a party of ``party_size`` pays for it, in pence."""
        return self.pence * party_size if self.per_head else self.pence

    def fits(self, party_size: int) -> bool:
        return self.min_party <= party_size <= self.max_party

    def parties(self) -> str:
        if self.max_party >= MAX_PARTY:
            return f"parties of {self.min_party}+" if self.min_party > 1 else "any party"
        if self.min_party == self.max_party:
            return f"parties of {self.min_party}"
        return f"parties of {self.min_party}–{self.max_party}"

    def words(self) -> str:
        """ "Prosecco package: £30.00 a head, parties of 4–10 (a bottle between two…)"."""
        per = " a head" if self.per_head else " a party"
        said = f"{self.name}: {format_pence(self.pence)}{per}, {self.parties()}"
        return f"{said} ({self.includes})" if self.includes else said


class Sells(Protocol):
    """Whatever lists a venue's packages (its deposit policy)."""

    @property
    def packages(self) -> tuple[Package, ...]: ...


def check_packages(packages: tuple[Package, ...]) -> None:
    """A price list names each package once."""
    ids = [p.id for p in packages]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise InvalidInput("package", f"A package id is listed twice: {', '.join(twice)}.")


def new_package_id(name: str, taken: Iterable[str]) -> str:
    """An id for a package named ``name`` on a desk's price list ("Champagne tower" →
    "champagne-tower"), not one of ``taken``: bookings name a package by its id, which
    never changes once sold, so a renamed package keeps its old one."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    stem = "-".join(words)[:36].strip("-") or "package"
    taken = set(taken)
    found, n = stem, 1
    while found in taken:
        n += 1
        found = f"{stem}-{n}"
    return found


def as_kept(package_id: str | None) -> str | None:
    """A package as an edit names it ("" takes it off) as a booking keeps it (None: none)."""
    return package_id or None


def find_package(listed: Sells, package_id: str) -> Package | None:
    return next((p for p in listed.packages if p.id == package_id), None)


def package_price(listed: Sells, package_id: str, party_size: int) -> int:
    """The price of ``package_id`` for a party of ``party_size`` from the venue's list,
    or an InvalidInput in words staff can act on."""
    package = find_package(listed, package_id)
    if package is None:
        raise InvalidInput(
            "package",
            f"The venue does not sell a package called {package_id!r} now; choose another or none.",
        )
    if not package.fits(party_size):
        raise InvalidInput(
            "package",
            f"The {package.name} is for {package.parties()}; this party is {party_size}. "
            "Choose another package or none.",
        )
    pence = package.price(party_size)
    if pence > MAX_PENCE:
        raise InvalidInput("package", f"A booking's package costs at most £{MAX_PENCE // 100:,}.")
    return pence


def package_words(listed: Sells, b: Booking) -> str:
    """A booking's package as staff and its guest read it: "Prosecco package for 6,
    £180.00" (by its id where the venue's list no longer has it); "" for none."""
    if b.package_id is None:
        return ""
    package = find_package(listed, b.package_id)
    name = package.name if package is not None else f"Package {b.package_id}"
    return f"{name} for {b.party_size}, {format_pence(b.package_pence)}"


@dataclass(frozen=True, slots=True)
class NightPackages:
    """The packages of the parties that sat down: how many, and what they were sold for."""

    served: int = 0
    pence: int = 0


NO_PACKAGES = NightPackages()


def night_packages(bookings: Iterable[Booking]) -> NightPackages:
    served = [b for b in bookings if b.package_id is not None and b.status in SPENDING]
    return NightPackages(len(served), sum(b.package_pence for b in served))


def offered(listed: Sells, party_size: int) -> tuple[Package, ...]:
    """The packages a party of ``party_size`` can have, as the form lists them."""
    return tuple(p for p in listed.packages if p.fits(party_size))
