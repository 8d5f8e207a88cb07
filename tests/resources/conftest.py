import pytest

from tests.conftest import _ensure_reference_data
from tests.factories import OrganisationFactory, member
from tests.resources.factories import ResourceFactory, with_prices
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind


def ensure_categories() -> None:
    from xietong.resources.models import Category
    from xietong.resources.services import categories_ensure

    if not Category.objects.exists():
        categories_ensure()


@pytest.fixture(autouse=True)
def _categories(request):
    """The category tree comes from a data migration; transactional tests flush it, so put it back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        if marker.kwargs.get("transaction"):
            request.getfixturevalue("transactional_db")
            _ensure_reference_data()  # a previous transactional test may have flushed the regions too
        else:
            request.getfixturevalue("db")
        ensure_categories()
    yield


@pytest.fixture(autouse=True)
def _fast_passwords_and_private_media(settings, tmp_path):
    """A cheap hasher keeps the matrix fast (login still checks it); uploads go to a temporary directory."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIETONG_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def provider():
    """A Shanghai university with an admin and a member."""
    org = OrganisationFactory(name="上海示例大学", kind=OrgKind.UNIVERSITY, region_id="310104")
    return {
        "org": org,
        "admin": member(Role.ORG_ADMIN, organisation=org, username="sh_uni_admin"),
        "staff": member(Role.ORG_MEMBER, organisation=org, username="sh_uni_staff"),
    }


@pytest.fixture
def customer():
    """A 嘉兴 enterprise (same zone 长三角 as Shanghai, different city)."""
    org = OrganisationFactory(name="嘉兴示例智能装备有限公司", region_id="330402")
    return {"org": org, "admin": member(Role.ORG_ADMIN, organisation=org, username="jx_firm_admin")}


@pytest.fixture
def instrument(provider):
    resource = ResourceFactory(owner=provider["org"], name="场发射扫描电子显微镜")
    with_prices(resource)
    return resource
