"""The demo has an account of a pending enterprise, to show the organisation-state gate."""

import pytest
from django.contrib.auth import get_user_model

from tests.clients import client_for
from xietong.orgs import demo
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Membership

pytestmark = pytest.mark.django_db


def test_demo_pending_account_belongs_to_a_pending_enterprise_and_cannot_act():
    # given the demo
    demo.load()
    user = get_user_model().objects.get(username="org_pending")
    membership = Membership.objects.select_related("organisation").get(user=user)
    assert membership.organisation.status == OrgStatus.PENDING
    # then the account sees its organisation but is not verified to act for it
    client = client_for(user)
    me = client.get("/api/v1/me").json()
    assert me["organisation_ids"] == [membership.organisation_id]
    assert me["verified_organisation_ids"] == []
    assert 'id="org-not-verified"' in client.get("/me/").content.decode()
