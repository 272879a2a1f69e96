"""GSM-7 (3GPP TS 23.038) against cases written out by hand from the standard's tables."""

import pytest

from app.domain.messages.gsm import BASIC, EXTENSION, is_gsm, not_gsm, septets, to_gsm


def test_the_basic_table_has_127_characters_and_the_extension_table_10():
    assert len(BASIC) == 127
    assert len(EXTENSION) == 10


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("Hello", 5),
        ("£40.00", 6),
        ("€40", 4),
        ("{ref}", 7),
        ("[1]", 5),
        ("a|b", 4),
        ("x^2", 4),
        ("back\\slash", 11),
        ("~", 2),
        ("Δ and Ω", 7),
        ("Zoe, Müller, Ångström, Niño, Søren, ¿qué?", 41),
        ("@$¥¤§¡¿", 7),
        ("", 0),
    ],
)
def test_a_message_counts_one_septet_per_character_and_two_for_the_extension(text, length):
    assert septets(text) == length


@pytest.mark.parametrize(
    "text",
    ["O’Brien", "don`t", "crêpe", "Zoë", "Łukasz", "–", "😀", "tab\there", "â", "ñandú"],
)
def test_characters_outside_gsm_are_refused(text):
    assert not is_gsm(text)
    with pytest.raises(ValueError):
        septets(text)


def test_the_characters_an_sms_cannot_carry_are_named_once_each_in_order():
    assert not_gsm("Zoë’s “party” – Zoë") == ["ë", "’", "“", "”", "–"]


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("Zoë", "Zoe"),
        ("O’Brien", "O'Brien"),
        ("Łukasz", "Lukasz"),
        ("François", "Francois"),
        ("José", "José"),
        ("Anna 😀", "Anna "),
        ("Chloë-Ann", "Chloe-Ann"),
    ],
)
def test_a_name_is_made_gsm_by_its_nearest_plain_letters(name, plain):
    assert to_gsm(name) == plain
