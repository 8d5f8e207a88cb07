"""The crawl's finder of Chinese UI text left on English pages (`tests/web/ui_text.py`), on planted pages."""

from __future__ import annotations

from tests.web.ui_text import fragments, untranslated


def test_a_sentence_filled_from_a_chinese_template_is_found_by_its_wording():
    # a gap's reason filled in Chinese on an English page (an f-string, or stored text shown as stored)
    page = "<td>成都市在该环节较为薄弱（区位熵 0.31 &lt; 0.50），而重庆市（区位熵 2.06）在该环节具有优势，可跨区域补链</td>"
    assert "在该环节具有优势，可跨区域补链" in fragments()
    [found] = untranslated(page)
    assert found.startswith("成都市在该环节较为薄弱") and found.endswith("]")


def test_data_and_names_are_not_wording():
    page = "<td>嘉兴禾城精密模具有限公司</td><td>从事精密注塑模具、冲压模具的设计与制造。</td><td>嘉兴市科技局</td>"
    assert untranslated(page) == set()
    reason = "成都市在该环节较为薄弱（区位熵 0.31 &lt; 0.50），而重庆市在该环节具有优势，可跨区域补链"
    assert untranslated(f"<td>{reason}</td>", names=frozenset({reason.replace("&lt;", "<")})) == set()


def test_a_template_argument_msgid_shown_as_is_is_found():
    # {% include … with title=_("本机构的挂链") %}: a msgid the templates declare outside {% translate %}
    assert untranslated("<h2>本机构的挂链</h2>") == {"本机构的挂链"}
