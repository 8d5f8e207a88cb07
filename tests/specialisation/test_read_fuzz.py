"""Whatever the file holds, reading and computing end in a table or a `SpecialisationError`, never anything else."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xietong.specialisation import SpecialisationError, matrices_by_year, read_long, specialise

cells = st.one_of(
    st.sampled_from(
        ["", " ", "0", "1", "-1", "1e308", "1e-320", "nan", "inf", "2024", "2024.5", "1e30", "成都", '"']
    ),
    st.text(max_size=6),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=5), max_size=8)
headers = st.sampled_from(
    ["region,segment,value", "region,segment,value,year", "segment,value", "region,segment,value,value", ""]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers, rows)
def test_any_file_is_read_or_refused_in_chinese(tmp_path, header, body):
    path = tmp_path / "m.csv"
    text = header + "\n" + "\n".join(",".join(row) for row in body)
    path.write_text(text, encoding="utf-8")
    try:
        for matrix in matrices_by_year(read_long(path)).values():
            table = specialise(matrix).table()
            numbers = table.drop(columns=["region", "segment", "lq_class", "lq_class_label"]).to_numpy(
                np.float64
            )
            assert np.isfinite(numbers).all()
    except SpecialisationError as error:
        assert str(error)
        assert not str(error).isascii()  # Chinese


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("region,segment,value\n成都,电池,1e308\n重庆,电池,1e308\n", "数值过大"),
        ("region,segment,value,year\n成都,电池,1,1e30\n", "第 2 行“year”列：年份“1e30”不在 1000—9999 之间"),
    ],
)
def test_extreme_numbers_are_refused(tmp_path, text, message):
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecialisationError, match=message):
        for matrix in matrices_by_year(read_long(path)).values():
            specialise(matrix)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(min_value=0, max_value=1e15, allow_subnormal=True), min_size=3, max_size=3),
        min_size=1,
        max_size=6,
    )
)
def test_any_non_negative_float_matrix_gives_finite_results(values):
    x = pd.DataFrame(values, columns=["a", "b", "c"], index=[f"r{i}" for i in range(len(values))])
    try:
        table = specialise(x).table()
    except SpecialisationError as error:
        assert not str(error).isascii()
        return
    numbers = table.drop(columns=["region", "segment", "lq_class", "lq_class_label"]).to_numpy(np.float64)
    assert np.isfinite(numbers).all()
