"""`core.policies`: the one "get inside an actor-scoped queryset" helper and the default-deny base."""

import pytest

from tests.factories import OrganisationFactory
from xietong.core.actor import ANONYMOUS, SYSTEM
from xietong.core.errors import Forbidden, NotFound
from xietong.core.ids import MAX_ID
from xietong.core.policies import get_visible
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation
from xietong.orgs.policies import OrganisationPolicy

pytestmark = pytest.mark.django_db


def test_get_visible_returns_the_object_inside_the_scope():
    org = OrganisationFactory(region_id="330402")
    assert get_visible(Organisation.objects.all(), "机构不存在", pk=org.pk) == org


@pytest.mark.parametrize("pk", [0, -1, MAX_ID + 1, 2**64, "1", True, None, 1.0])
def test_get_visible_treats_impossible_ids_as_missing(pk):
    OrganisationFactory(region_id="330402")
    with pytest.raises(NotFound) as raised:
        get_visible(Organisation.objects.all(), "机构不存在", pk=pk)
    assert raised.value.message == "机构不存在"


def test_get_visible_hides_what_the_scope_leaves_out():
    pending = OrganisationFactory(region_id="330402", status=OrgStatus.PENDING)
    with pytest.raises(NotFound):
        get_visible(OrganisationPolicy.visible_qs(ANONYMOUS), "机构不存在", pk=pending.pk)
    assert get_visible(OrganisationPolicy.visible_qs(SYSTEM), "机构不存在", pk=pending.pk) == pending


def test_an_undeclared_action_is_denied_even_for_the_platform():
    org = OrganisationFactory(region_id="330402")
    assert OrganisationPolicy.can(SYSTEM, "review", org)
    assert not OrganisationPolicy.can(SYSTEM, "no-such-action", org)
    with pytest.raises(Forbidden):
        OrganisationPolicy.require(SYSTEM, "no-such-action", org)
