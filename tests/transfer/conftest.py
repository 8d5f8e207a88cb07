"""Transfer tests: in-memory match indexes, synced at once (the on-commit path has its own test)."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, member
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.transfer import search


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Test users' passwords hash with a fast hasher (PBKDF2 costs ~0.3 s a user on this machine)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def memory_index(monkeypatch):
    search.reset_indexes()
    monkeypatch.setattr(search, "schedule_sync", search.sync)
    yield
    search.reset_indexes()


def reindex() -> None:
    for kind in search.INDEXED_KINDS:
        search.rebuild(kind)


@pytest.fixture
def world(db):
    """A 北京 university, a 天津 institute, a 河北 enterprise and a 嘉兴 enterprise, each with a member."""
    bj_uni = OrganisationFactory(name="北京测试大学", kind=OrgKind.UNIVERSITY, region_id="110108")
    tj_inst = OrganisationFactory(name="天津测试研究院", kind=OrgKind.INSTITUTE, region_id="120116")
    hb_ent = OrganisationFactory(name="河北测试汽车零部件有限公司", region_id="130102")
    jx_ent = OrganisationFactory(name="嘉兴测试电子有限公司", region_id="330402")
    return {
        "bj_uni": bj_uni,
        "tj_inst": tj_inst,
        "hb_ent": hb_ent,
        "jx_ent": jx_ent,
        "bj_user": member(Role.ORG_MEMBER, organisation=bj_uni, username="bj_user"),
        "tj_user": member(Role.ORG_MEMBER, organisation=tj_inst, username="tj_user"),
        "hb_user": member(Role.ORG_ADMIN, organisation=hb_ent, username="hb_user"),
        "jx_user": member(Role.ORG_ADMIN, organisation=jx_ent, username="jx_user"),
    }


ACHIEVEMENT = {
    "title": "动力电池液冷热管理系统",
    "keywords": "热管理、动力电池、液冷",
    "industry": "new_energy",
    "transfer_modes": ["assignment", "license"],
    "summary": "一种用于新能源汽车动力电池包的液冷热管理系统，通过微通道冷板均衡电芯温差。",
    "innovation_points": "微通道冷板；电芯温差小于 3℃",
    "trl": 7,
    "ip_type": "invention",
    "patent_numbers": "ZL202310000001.X",
    "price_wan": "80",
    "contact_name": "王老师",
    "contact_phone": "13900001111",
    "contact_email": "wang@bj-test.edu.cn",
}
DEMAND = {
    "title": "动力电池包散热与热管理技术需求",
    "keywords": "热管理、动力电池",
    "industry": "new_energy",
    "transfer_modes": ["assignment", "license"],
    "problem": "我司电池包在快充时电芯温差过大，需要液冷热管理方案。",
    "indicators": "电芯温差不超过 5℃",
    "basis": "已有电池包产线",
    "trl_min": 6,
    "budget_wan": "100",
    "deadline": "2027-12-31",
    "contact_name": "李经理",
    "contact_phone": "13800002222",
    "contact_email": "li@hb-test.com",
}
