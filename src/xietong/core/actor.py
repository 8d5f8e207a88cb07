"""Who is asking: the user plus every scope their memberships give them, resolved once per request."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from xietong.core.roles import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    username: str = ""
    display_name: str = ""
    roles: frozenset[str] = frozenset()
    is_platform_admin: bool = False
    organisation_ids: frozenset[int] = frozenset()
    admin_organisation_ids: frozenset[int] = frozenset()
    # The subset of the two above whose organisation is verified (approved): only these may act (core.acting).
    acting_organisation_ids: frozenset[int] = frozenset()
    acting_admin_organisation_ids: frozenset[int] = frozenset()
    # Region codes (the governed region and all its descendants) where the actor is the sci-tech bureau.
    bureau_region_codes: frozenset[str] = frozenset()
    zone_ids: frozenset[int] = frozenset()
    # Region codes (zone members and their descendants) the actor may read as a zone office.
    zone_region_codes: frozenset[str] = frozenset()
    labels: tuple[str, ...] = field(default=())

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def label(self) -> str:
        return self.username or "anonymous"

    def has_role(self, role: Role | str) -> bool:
        return self.is_platform_admin or str(role) in self.roles

    @property
    def is_bureau(self) -> bool:
        return Role.REGION_BUREAU in self.roles

    @property
    def is_zone_office(self) -> bool:
        return Role.ZONE_OFFICE in self.roles

    def governs_region(self, region_code: str | None) -> bool:
        return self.is_platform_admin or (region_code is not None and region_code in self.bureau_region_codes)

    def reads_region(self, region_code: str | None) -> bool:
        return self.governs_region(region_code) or (
            region_code is not None and region_code in self.zone_region_codes
        )


ANONYMOUS = Actor()
# Operators' command-line work (loading reference data, the demo) acts as the platform itself.
SYSTEM = Actor(username="system", display_name="系统", is_platform_admin=True)


def actor_for(user) -> Actor:
    """Build the actor for a Django user (anonymous users get ANONYMOUS).

    The builder is named by the `XIETONG_ACTOR_BUILDER` setting (like `AUTHENTICATION_BACKENDS`): the app
    that owns memberships provides it, and the kernel does not import that app.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    return _builder(settings.XIETONG_ACTOR_BUILDER)(user=user)


@functools.cache
def _builder(path: str) -> Callable[..., Actor]:
    return import_string(path)
