"""The management commands behind `xietong setup`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from xietong.regions.models import Region, Zone, ZoneMember

pytestmark = pytest.mark.django_db


def test_load_regions_and_zones_are_idempotent():
    out = io.StringIO()
    call_command("load_regions", stdout=out)
    call_command("load_zones", stdout=out)
    call_command("load_zones", stdout=out)
    assert "已载入 3214 个行政区划" in out.getvalue()
    assert "已载入 6 个预置协同区" in out.getvalue()
    assert (Region.objects.count(), Zone.objects.count(), ZoneMember.objects.count()) == (3214, 6, 38)


def test_load_regions_from_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法载入区划数据"):
        call_command("load_regions", path=str(tmp_path / "missing.json.gz"))


def test_load_zones_without_regions_says_what_to_do():
    ZoneMember.objects.all().delete()
    Zone.objects.all().delete()
    Region.objects.filter(code="310114").delete()  # 嘉定区, a 嘉昆太 member
    with pytest.raises(CommandError, match=r"310114.*load_regions"):
        call_command("load_zones")
