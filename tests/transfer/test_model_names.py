"""An intent is called by who expressed it on which listing, in the reader's language, never by its id."""

from __future__ import annotations

import pytest
from django.utils import translation

from xietong.orgs.models import Organisation
from xietong.transfer.models import Achievement, Intent


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "河北精工汽车电子有限公司对“毫米波天线封装方法及装置”的合作意向（待答复）"),
        ("en", "Intent of 河北精工汽车电子有限公司 on “毫米波天线封装方法及装置” (Awaiting reply)"),
    ],
)
def test_an_intent_is_named_by_its_party_and_listing(language, expected):
    intent = Intent(
        pk=918273,
        from_org=Organisation(name="河北精工汽车电子有限公司"),
        achievement=Achievement(title="毫米波天线封装方法及装置"),
        status="pending",
    )
    with translation.override(language):
        assert str(intent) == expected
