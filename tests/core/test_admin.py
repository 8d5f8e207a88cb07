"""Records that only services may change are read-only in the operator screens, for every app alike."""

import pytest

from tests.clients import client_for

pytestmark = pytest.mark.django_db

READ_ONLY = ["core/auditevent", "ledger/account", "ledger/entry", "resources/resource"]


@pytest.fixture
def operator(admin_user):
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    return admin_user


@pytest.mark.parametrize("model", READ_ONLY)
def test_a_superuser_reads_but_cannot_add(operator, model):
    client = client_for(operator)
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 403
