from xietong.core.ids import MAX_ID, is_valid_id


def test_ids_are_positive_64_bit_ints_and_nothing_else():
    # given candidate ids / when checked / then only ints in 1..2**63-1 pass (bools and strings never)
    assert [is_valid_id(v) for v in (1, MAX_ID, 0, -1, MAX_ID + 1, True, "5", 5.0, None)] == [
        True, True, False, False, False, False, False, False, False,
    ]  # fmt: skip
