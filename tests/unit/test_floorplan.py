"""What tables seat together: one table its covers, a combination its largest party."""


def test_a_joined_pair_seats_its_combinations_largest_party_not_one_tables(plan):
    one = (plan.table_by_number(5).id,)
    pair = tuple(plan.table_by_number(n).id for n in (15, 16))
    loose = tuple(plan.table_by_number(n).id for n in (1, 2))  # not a combination

    assert plan.seats(one) == 4
    assert plan.seats(pair) == 12  # 15 + 16 combine for parties of 7–12
    assert plan.seats(loose) == 4  # two 2-tops side by side: their covers
