"""The run page's wording built in code (partial year, growth sentence, strengths) follows the request's
language: English through gettext, the Chinese unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from xietong.evaluation import reports

PARTIAL = {"year": 2025, "as_of": date(2025, 6, 30)}
ROWS = [{"name": "协同创新指数", "yoy": 3.25}, {"name": "创新投入", "yoy": 7.5, "fastest": True}]
RESULTS = {"labels": {"in": "创新投入"}, "names": {"510100": "成都市"},
           "strengths": {"510100": {"strengths": [["in", 1]], "weaknesses": []}}}  # fmt: skip


@pytest.mark.parametrize(
    ("language", "year", "growth", "strengths"),
    [
        ("en", "2025 (to 6/30)", "协同创新指数 grew by 3.2%; 创新投入 grew fastest, by 7.5%.", "创新投入 (rank 1)"),
        ("zh-hans", "2025（截至 6 月 30 日）", "协同创新指数增长 3.2%，其中创新投入增长最快，达到 7.5%。", "创新投入（第 1 名）"),
    ],
)  # fmt: skip
def test_run_page_wording_follows_the_language(language, year, growth, strengths):
    with translation.override(language):
        assert reports.year_label(2025, PARTIAL) == year
        assert reports.growth_sentence(ROWS) == growth
        assert reports.strength_rows(RESULTS) == [["成都市", strengths, "—"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label"), [("en", "Region: 四川省 (510000)"), ("zh-hans", "地区：四川省（510000）")]
)
def test_scope_choices_follow_the_language(language, label):
    from tests.factories import actor, member
    from xietong.core.roles import Role
    from xietong.evaluation.selectors import scope_choices

    bureau = actor(member(Role.REGION_BUREAU, region_id="510000"))
    with translation.override(language):
        assert ("region:510000", label) in scope_choices(actor=bureau)
