"""The "我的评审" tab and menu entry are shown to people who may be invited to review, not to agency accounts.

Invitations go to experts (a person's talent profile, linked to that person's account); a bureau, zone office
or platform account organises reviews and is never invited, so it is not offered an always-empty page.
"""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory, UserFactory, actor, member
from xietong.core.roles import Role
from xietong.talent.policies import ReviewSeatPolicy

pytestmark = pytest.mark.django_db
REVIEWS = 'href="/talent/reviews/"'


@pytest.fixture
def accounts():
    university = OrganisationFactory(name="四川测试大学", region_id="510100")
    return {
        "bureau": member(Role.REGION_BUREAU, region_id="510000"),
        "platform": member(Role.PLATFORM_ADMIN),
        "org_member": member(Role.ORG_MEMBER, organisation=university),
        "person": UserFactory(),  # an expert's own account: no agency role
    }


@pytest.mark.parametrize(
    ("who", "shown"), [("bureau", False), ("platform", False), ("org_member", True), ("person", True)]
)
def test_the_policy_answers_who_may_have_review_invitations(accounts, who, shown):
    assert ReviewSeatPolicy.can(actor(accounts[who]), "list_mine") is shown


@pytest.mark.parametrize(
    ("who", "shown"), [("bureau", False), ("platform", False), ("org_member", True), ("person", True)]
)
def test_the_tab_and_the_menu_entry_follow_the_policy(accounts, who, shown):
    # when the account opens the talent pages (tabs and top menu)
    body = client_for(accounts[who]).get("/talent/").content.decode()
    # then the link to "my reviews" is there only for those who may be invited
    assert (REVIEWS in body) is shown
    assert ("我的评审" in body) is shown
