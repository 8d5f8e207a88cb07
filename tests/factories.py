"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.orgs import credit_code
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Membership, Organisation

PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


def _code(n: int, region: str) -> str:
    serial = f"{n:08d}"
    return credit_code.make(region_code=region, serial=serial)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试机构{n}有限公司")
    kind = OrgKind.ENTERPRISE
    region_id = "330402"  # 嘉兴市南湖区
    credit_code = factory.LazyAttributeSequence(lambda o, n: _code(n + 1, o.region_id))
    status = OrgStatus.APPROVED
    industry = "equipment"
    contact_name = "张三"
    contact_phone = "13812345678"
    contact_email = "zhang@example.com"


def member(role: Role, *, username: str | None = None, **scope) -> object:
    """A user holding `role` in `scope` (organisation=…, region_id=…, zone=…)."""
    user = UserFactory(username=username) if username else UserFactory()
    if role == Role.PLATFORM_ADMIN:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    Membership.objects.create(user=user, role=role, **scope)
    return user


def actor(user):
    return actor_for(user)
