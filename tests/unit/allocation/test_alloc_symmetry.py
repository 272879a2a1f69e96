"""Which tables the search treats as interchangeable."""

from app.domain.allocation.options import Catalogue
from app.domain.allocation.symmetry import symmetry_of
from tests.unit.allocation.small_floor import small_floor


def groups_by_number(symmetry, catalogue):
    groups: dict[int, list[list[int]]] = {}
    for unit, members in enumerate(symmetry.members):
        numbers = sorted(catalogue.tables[p].number for p in members)
        groups.setdefault(symmetry.group_of[unit], []).append(numbers)
    return sorted(sorted(units) for units in groups.values())


def test_joinable_pairs_of_the_same_tables_are_twins_and_so_are_equal_tables():
    catalogue = Catalogue(small_floor(pairs=2))

    groups = groups_by_number(symmetry_of(catalogue), catalogue)

    assert groups == [[[1], [2]], [[3], [4], [5]], [[6], [7]], [[8, 9], [10, 11]]]


def test_a_table_a_booking_holds_by_hand_has_no_twin():
    catalogue = Catalogue(small_floor(pairs=2))
    four = catalogue.position["t4"]

    groups = groups_by_number(symmetry_of(catalogue, apart=[four]), catalogue)

    assert [[4]] in groups
    assert [[3], [5]] in groups


def test_tables_of_one_kind_are_the_same_role_in_twin_units():
    catalogue = Catalogue(small_floor(pairs=2))
    symmetry = symmetry_of(catalogue)
    kind = {catalogue.tables[p].number: k for p, k in enumerate(symmetry.kind)}

    assert kind[8] == kind[10] != kind[9] == kind[11]
    assert kind[6] == kind[7] != kind[8]
