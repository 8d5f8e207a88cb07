"""`core.explanations`: the matching engine's explanation in the reader's language, live or from stored parts;
in Chinese exactly the engine's own line."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from xietong.core import explanations
from xietong.matching import features
from xietong.matching.types import Contribution, Explanation, FieldMatch


def _why() -> Explanation:
    reasons = [
        features.field_overlap({"fields": ["装备制造"]}, {"fields": ["装备制造"]})[1],
        features.same_zone({"zones": ["长三角"]}, {"zones": ["长三角"]})[1],
        features.maturity({"trl_min": 6}, {"trl": 8})[1],
        features.budget({"budget_fen": 80_000_000}, {"price_fen": 50_000_000})[1],
        features.track_record({}, {"track_record": 3})[1],
    ]
    return Explanation(
        text_score=1.0, lexical_score=1.0, semantic_score=0.2,
        matched=(FieldMatch("title", ("数控", "机床")), FieldMatch("body", ("数控",))),
        features=tuple(Contribution(name=f"f{i}", value=1.0, weight=0.1, contribution=0.1, reason=r)
                       for i, r in enumerate(reasons)),
    )  # fmt: skip


def test_in_chinese_the_line_is_the_engines_own_live_and_from_stored_parts():
    why = _why()
    stored = json.loads(json.dumps(explanations.parts(why)))
    with translation.override("zh-hans"):
        assert explanations.text(why) == why.render_zh()
        assert explanations.text(stored) == why.render_zh()


def test_in_english_the_wording_labels_and_amounts_follow_the_reader():
    stored = json.loads(json.dumps(explanations.parts(_why())))
    with translation.override("en"):
        line = explanations.text(stored)
    assert line == (
        "Title matches: 数控, 机床; Text matches: 数控; Same field: Equipment manufacturing; Both in Yangtze River Delta;"
        " Maturity TRL 8 meets the need; Price 500,000.00 yuan within the budget of 800,000.00 yuan;"
        " 3 earlier transfers"
    )


@pytest.mark.parametrize("template", features.TEMPLATES)
def test_every_feature_template_has_english(template):
    with translation.override("en"):
        assert translation.gettext(template) != template


def test_a_reason_stored_as_plain_text_is_shown_as_stored():
    with translation.override("en"):
        assert (
            explanations.text({"matched": [], "semantic": False, "features": ["同属长三角"]}) == "同属长三角"
        )
