"""Framework and data validation: every bad input gets a Chinese message naming row and column."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from xietong.composite import DataError, Framework, FrameworkError, Node, dataset_from_table, gb2260_codes

META = """Level,iCode,iName,Direction,Weight,Parent,Type
1,a,指标A,1,1,P,Indicator
1,b,指标B,-1,2,P,Indicator
1,c,指标C,1,1,Q,Indicator
2,P,一级P,1,1,I,Aggregate
2,Q,一级Q,1,1,I,Aggregate
3,I,指数,1,1,,Aggregate
"""


def _meta(text: str = META, edits: dict | None = None) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    for (row, column), value in (edits or {}).items():
        frame.loc[row, column] = value
    return frame


def _error(frame, error=FrameworkError) -> str:
    with pytest.raises(error) as info:
        Framework.from_table(frame)
    return str(info.value)


def test_valid_framework_structure():
    fw = Framework.from_table(_meta())
    assert fw.indicators == ("a", "b", "c")
    assert fw.aggregates == ("P", "Q", "I")
    assert fw.children("P") == ("a", "b")
    assert fw.effective_weights().tolist() == pytest.approx([1 / 6, 2 / 6, 1 / 2])


def test_cycle_names_row_and_column():
    # given: P's parent is a, a's parent is P (file row 5 is P; data row index 3)
    frame = _meta(edits={(3, "Parent"): "a"})
    message = _error(frame)
    assert "row 2, column 'Parent': parents form a cycle" in message
    assert "a → P → a" in message


def test_unknown_parent_names_row_and_column():
    message = _error(_meta(edits={(2, "Parent"): "Z"}))
    assert "row 4, column 'Parent': parent Z does not exist" in message


def test_negative_weight_names_row_and_column_with_chinese_header():
    frame = _meta(edits={(3, "Weight"): "-1"}).rename(columns={"Weight": "权重"})
    message = _error(frame)
    assert "row 5, column '权重': weight must not be negative (-1)" in message


def test_non_numeric_cell_in_framework():
    message = _error(_meta(edits={(1, "Direction"): "正向"}))
    assert "row 3, column 'Direction': direction must be a number (got '正向')" in message


def test_all_problems_reported_at_once():
    with pytest.raises(FrameworkError) as info:
        Framework.from_table(_meta(edits={(0, "Weight"): "x", (1, "Weight"): "-3"}))
    assert [(i.row, i.column, i.code) for i in info.value.issues] == [
        (2, "Weight", "not_numeric"),
        (3, "Weight", "negative_weight"),
    ]
    assert info.value.as_dict()["detail"]["issues"][0]["row"] == 2


def test_orphan_and_duplicate():
    orphan = _meta(edits={(2, "Parent"): None})
    assert "c has no parent (orphan)" in _error(orphan)
    duplicate = _meta(edits={(1, "iCode"): "a"})
    assert "row 3, column 'iCode': code a repeats row 2" in _error(duplicate)


def test_aggregate_without_children_is_an_orphan():
    text = META + "2,R,空,1,1,I,Aggregate\n"
    assert "aggregate R has no children" in _error(_meta(text))


def test_programmatic_frameworks_are_validated_too():
    with pytest.raises(FrameworkError, match=r"row 2, column 'Weight': weight must not be negative \(-1\)"):
        Framework.from_nodes([Node("a", parent="I", weight=-1), Node("I", kind="Aggregate", level=2)])
    with pytest.raises(FrameworkError, match="direction must be 1 or -1"):
        Framework.from_nodes([Node("a", parent="I", direction=2), Node("I", kind="Aggregate", level=2)])


def test_with_weights_rejects_unknown_codes():
    fw = Framework.from_table(_meta())
    with pytest.raises(FrameworkError, match="unknown codes among the weights: zz"):
        fw.with_weights({"zz": 1.0})


# ------------------------------------------------------------------ data
def _framework() -> Framework:
    return Framework.from_nodes(
        [
            Node("x", parent="I"),
            Node("y", parent="I"),
            Node("I", kind="Aggregate", level=2),
        ]
    )


def test_non_numeric_data_cell_names_row_and_column():
    table = pd.DataFrame({"uCode": ["310000", "320000"], "x": ["1.5", "abc"], "y": ["2", "3"]})
    with pytest.raises(DataError) as info:
        dataset_from_table(table, _framework())
    assert "row 3, column 'x': must be a number (got 'abc')" in str(info.value)


def test_region_code_not_in_gbt2260():
    table = pd.DataFrame({"uCode": ["310000", "999999"], "x": [1.0, 2.0], "y": [2.0, 3.0]})
    with pytest.raises(DataError) as info:
        dataset_from_table(table, _framework(), region_codes=gb2260_codes())
    assert "row 3, column 'uCode': region code 999999 is not a GB/T 2260 division code" in str(info.value)
    assert info.value.issues[0].row == 3 and info.value.issues[0].column == "uCode"


def test_gbt2260_codes_loaded_without_django():
    codes = gb2260_codes()
    assert {"110000", "310000", "320500"} <= codes
    assert len(codes) == 34 + 333 + 2847 or len(codes) > 3000


def test_duplicate_unit_year_and_missing_indicator_column():
    table = pd.DataFrame({"uCode": ["a", "a"], "Time": [2020, 2020], "x": [1.0, 2.0], "y": [1.0, 1.0]})
    with pytest.raises(DataError, match="row 3, column 'uCode': unit a appears twice in 2020"):
        dataset_from_table(table, _framework())
    with pytest.raises(DataError, match="lacks these indicator columns: y"):
        dataset_from_table(pd.DataFrame({"uCode": ["a"], "x": [1.0]}), _framework())


def test_panel_cube_marks_missing_years_absent():
    table = pd.DataFrame(
        {"uCode": ["a", "b", "a"], "Time": [2020, 2020, 2021], "x": [1, 2, 3], "y": [1, 1, 1]}
    )
    data = dataset_from_table(table, _framework())
    assert data.times == (2020, 2021)
    assert data.present.tolist() == [[True, True], [True, False]]
    assert data.to_frame()["uCode"].tolist() == ["a", "b", "a"]
