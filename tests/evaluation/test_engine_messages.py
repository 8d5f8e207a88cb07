"""The engine's English messages reach users in Chinese: every engine template has a catalogue entry."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from xietong import composite as engine
from xietong.core.errors import Invalid
from xietong.evaluation.engine_errors import remap_error
from xietong.evaluation.engine_messages import ZH, error_zh, warning_zh

ENGINE = Path(engine.__file__).resolve().parent
CALLS = {
    "CompositeError",
    "FrameworkError",
    "DataError",
    "StepError",
    "CompositeWarning",
    "Issue",
    "_issue",
    "_cell",
}
TABLES = {"NOT_A_NUMBER", "NOT_FINITE", "NOT_POSITIVE", "UNKNOWN_OPTION", "BAD_NUMBER_OPTION"}


def engine_templates() -> set[str]:
    """Every message template in the engine's source: first arguments of error/issue/warning calls,
    the per-column tables and the shared option templates."""
    found: set[str] = set()
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name in CALLS or name == "raise_issues":
                    found.update(
                        a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                    )
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") in TABLES for t in node.targets):
                values = node.value.values if isinstance(node.value, ast.Dict) else [node.value]
                found.update(v.value for v in values if isinstance(v, ast.Constant))
    return {t for t in found if " " in t}


def test_every_engine_template_has_a_chinese_entry_and_no_entry_is_stale():
    templates = engine_templates()
    assert len(templates) > 60
    assert sorted(templates - set(ZH)) == []
    assert sorted(set(ZH) - templates) == []


def test_catalogue_entries_use_the_same_placeholders():
    import string

    def names(text):
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    assert [t for t, zh in ZH.items() if names(t) != names(zh)] == []


def test_engine_text_has_no_chinese_outside_data_tables():
    chinese = [
        (path.name, node.lineno)
        for path in ENGINE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in CALLS
        for arg in node.args
        if isinstance(arg, ast.Constant)
        and isinstance(arg.value, str)
        and any("\u4e00" <= ch <= "\u9fff" for ch in arg.value)
    ]
    assert chinese == []


def test_framework_error_in_chinese_with_the_spreadsheet_row():
    # given: a negative weight on the first data row (spreadsheet row 2)
    with pytest.raises(engine.FrameworkError) as info:
        engine.Framework.from_nodes(
            [engine.Node("a", parent="I", weight=-1), engine.Node("I", kind="Aggregate", level=2)]
        )
    # when
    invalid = remap_error(info.value, headers={"Weight": "权重"})
    # then
    assert isinstance(invalid, Invalid)
    assert invalid.message == "指标框架有误：第 2 行「权重」列：权重不能为负数（-1）"
    assert invalid.as_dict()["detail"]["issues"][0]["row"] == 2


def test_list_parameters_are_joined_the_chinese_way():
    error = engine.StepError(
        "the data lack these indicators: {codes}", code="missing_indicator", codes=["a", "b"]
    )
    assert str(error) == "the data lack these indicators: a, b"
    assert error_zh(error) == "数据中缺少指标：a、b"


def test_unknown_option_in_chinese():
    with pytest.raises(engine.StepError) as info:
        engine.Normaliser(method="magic").fit(
            engine.Dataset.from_arrays([[1.0]], units="a", columns=["x"]), None
        )
    assert remap_error(info.value).message.startswith("参数 method 的值“magic”无效，可选：minmax、zscore")


def test_warnings_in_chinese():
    fw = engine.Framework.from_nodes(
        [
            engine.Node("a", parent="I"),
            engine.Node("b", parent="I"),
            engine.Node("I", kind="Aggregate", level=2),
        ]
    )
    data = engine.Dataset.from_arrays(
        [[1.0, np.inf], [2.0, 3.0], [3.0, 1.0]], units="xyz", columns=["a", "b"]
    )
    result = engine.preset_pipeline("coinr").run(data, fw)
    assert [warning_zh(w) for w in result.warnings] == ["b 中有 1 个无穷大值，已按缺失处理"]


def test_every_chinese_entry_has_english_with_the_same_placeholders():
    import string

    from django.utils import translation

    def names(text):
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    with translation.override("en"):
        english = {zh: translation.gettext(zh) for zh in ZH.values()}
    assert [zh for zh, en in english.items() if en == zh] == []
    assert [zh for zh, en in english.items() if names(en) != names(zh)] == []


def test_framework_error_in_english_names_the_column_in_english_and_chinese():
    from django.utils import translation

    with pytest.raises(engine.FrameworkError) as info:
        engine.Framework.from_nodes(
            [engine.Node("a", parent="I", weight=-1), engine.Node("I", kind="Aggregate", level=2)]
        )
    with translation.override("en"):
        invalid = remap_error(info.value, headers={"Weight": "权重"})
        message = invalid.message
    assert (
        message
        == "The framework is invalid: Row 2, column 「Weight (权重)」: Weight must not be negative (-1)"
    )
    assert invalid.as_dict()["detail"]["issues"][0]["column_label"] == "Weight (权重)"


def test_stored_warnings_are_shown_in_the_language_of_the_page():
    from django.utils import translation

    from xietong.evaluation.engine_errors import warnings_shown, warnings_zh

    fw = engine.Framework.from_nodes(
        [
            engine.Node("a", parent="I"),
            engine.Node("b", parent="I"),
            engine.Node("I", kind="Aggregate", level=2),
        ]
    )
    data = engine.Dataset.from_arrays(
        [[1.0, np.inf], [2.0, 3.0], [3.0, 1.0]], units="xyz", columns=["a", "b"]
    )
    stored = warnings_zh(engine.preset_pipeline("coinr").run(data, fw))
    assert [w["message"] for w in stored] == ["b 中有 1 个无穷大值，已按缺失处理"]  # the audit trail's text
    with translation.override("en"):
        assert [w["message"] for w in warnings_shown(stored)] == [
            "1 infinite values in b were treated as missing"
        ]
    assert [w["message"] for w in warnings_shown(stored)] == ["b 中有 1 个无穷大值，已按缺失处理"]
    old = [{"code": "infinite", "message": "旧的提示"}]  # a run stored before templates were kept
    with translation.override("en"):
        assert warnings_shown(old) == old
