import math
from collections import Counter

import pytest

from app.domain.errors import InvalidReference
from app.domain.references import (
    ALPHABET,
    LENGTH,
    RANDOM_BITS,
    check_character,
    format_reference,
    new_reference,
    parse_reference,
)


def test_a_reference_carries_at_least_fifty_random_bits():
    assert RANDOM_BITS >= 50
    assert (LENGTH - 1) * math.log2(len(ALPHABET)) >= 50


def test_ten_thousand_references_are_all_different_and_use_every_character_evenly():
    refs = [new_reference() for _ in range(10_000)]

    counts = Counter(ch for r in refs for ch in r[:-1])

    assert len(set(refs)) == len(refs)
    expected = 10_000 * (LENGTH - 1) / len(ALPHABET)
    assert set(counts) == set(ALPHABET)
    assert all(abs(n - expected) < 0.1 * expected for n in counts.values())


def test_a_new_reference_parses_back_to_itself():
    ref = new_reference()

    assert parse_reference(ref) == ref
    assert parse_reference(format_reference(ref)) == ref


def test_the_check_character_catches_every_single_character_typo():
    for ref in [new_reference() for _ in range(20)]:
        for position in range(LENGTH):
            for wrong in ALPHABET:
                if wrong == ref[position]:
                    continue
                typo = ref[:position] + wrong + ref[position + 1 :]
                with pytest.raises(InvalidReference):
                    parse_reference(typo)


@pytest.mark.parametrize(("zero", "one"), [("o", "l"), ("O", "i"), ("0", "I")])
def test_lower_case_hyphens_and_the_usual_confusions_are_read_as_meant(zero, one):
    data = "01" + new_reference()[2:-1]
    ref = data + check_character(data)
    heard = zero + one + ref[2:].lower()

    assert parse_reference(f"{heard[:4]}-{heard[4:8]} {heard[8:]}") == ref


@pytest.mark.parametrize("text", ["", "ABC", "ABCDEFGHJKMNP", "ABCDEFGHJKU", "ABCD*FGHJK0"])
def test_text_that_cannot_be_a_reference_is_refused_with_a_reason(text):
    with pytest.raises(InvalidReference) as refused:
        parse_reference(text)

    assert "reference" in str(refused.value)
