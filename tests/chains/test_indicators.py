"""Platform indicators: chain completeness and inter-member complementarity per evaluated unit and year."""

from __future__ import annotations

import pytest

from xietong.chains.models import Attachment, Segment
from xietong.evaluation import platform_indicators

pytestmark = pytest.mark.django_db
UNITS = ("500000", "510100", "510700")


def test_completeness_is_the_share_of_segments_with_a_link(chengyu):
    year = Attachment.objects.first().created_at.year
    values = platform_indicators.compute("chains.completeness", units=UNITS, years=[year])[year]
    total = Segment.objects.count()
    # 重庆: M07 and M01; 成都: M01, D01, M07 (配套); 绵阳: U07 and M07
    assert values == pytest.approx({"500000": 200 / total, "510100": 300 / total, "510700": 200 / total})
    assert platform_indicators.compute("chains.completeness", units=UNITS, years=[year - 1]) == {}


def test_complementarity_counts_what_partners_are_specialised_in(chengyu):
    year = Attachment.objects.first().created_at.year
    values = platform_indicators.compute("chains.complementarity", units=UNITS, years=[year])[year]
    lacking = Segment.objects.count() - 2  # each unit is specialised (RCA ≥ 1) in two segments
    # 成都 lacks M07 (重庆) and U07 (绵阳): 2 of its non-specialised segments are a partner's specialisation
    assert values["510100"] == pytest.approx(2 * 100 / lacking)
