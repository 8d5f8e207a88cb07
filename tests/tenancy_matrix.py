"""The tenancy matrix shared by every app's `test_tenancy_matrix.py`: who the actors are, which endpoints take an
object id, and how a request is judged (one expected status per role; a refused write leaves no trace).

Every request runs inside a savepoint that is rolled back afterwards, so one module-scoped world serves every
role × endpoint case, and an allowed write can be performed for real (proving the body is valid) without
disturbing the next case.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import OrganisationFactory, member
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.regions.models import Zone

# ------------------------------------------------------------------------------------------------ the actors

# Objects under test belong to the 长三角 side: enterprise A in 嘉兴 (330402) and provider P in 上海 (310104).
# The "other" side is enterprise B in 成都 (510107, 成渝), the 四川 bureau and the 京津冀 office.
ROLES = (
    "anonymous",
    "platform_admin",
    "zone_yrd",  # office of 长三角, the zone holding 嘉兴 and 上海
    "zone_jjj",  # office of 京津冀, a zone holding neither
    "bureau_jx",  # 嘉兴 bureau: governs A
    "bureau_sh",  # 上海 bureau: governs P
    "bureau_sc",  # 四川 bureau: governs B only
    "a_admin",
    "a_member",
    "p_admin",  # admin of the 上海 provider
    "b_admin",
    "b_member",
    "expert",
)

# What a role sees; a page's 302 to the login form is told apart from any other redirect.
OK, CREATED, NO_CONTENT, REDIRECT = 200, 201, 204, 302
UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT = 401, 403, 404, 409
LOGIN = "login"


def expect(default: int | str, **per_role: int | str) -> dict[str, int | str]:
    """One outcome per role: `default` for every role not named."""
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: per_role.get(role, default) for role in ROLES}


@dataclass
class World:
    """The people and organisations every matrix shares, plus each app's objects in `objects`."""

    orgs: dict[str, Any]
    users: dict[str, Any]
    sessions: dict[str, str] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    media_root: str = ""
    private_root: str = ""

    def __getattr__(self, name: str):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def client(self, role: str) -> Client:
        """A fresh client carrying the role's session (made once per module), so no cookie leaks between cases."""
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def build_people() -> World:
    a = OrganisationFactory(name="嘉兴南湖矩阵智造有限公司", region_id="330402", is_tech_sme=True)
    p = OrganisationFactory(name="上海徐汇矩阵检测研究院", region_id="310104", kind=OrgKind.TESTING)
    b = OrganisationFactory(name="成都武侯矩阵科技有限公司", region_id="510107", is_tech_sme=True)
    users = {
        "platform_admin": member(Role.PLATFORM_ADMIN, username="m_admin"),
        "zone_yrd": member(Role.ZONE_OFFICE, username="m_zone_yrd", zone=Zone.objects.get(code="yrd")),
        "zone_jjj": member(Role.ZONE_OFFICE, username="m_zone_jjj", zone=Zone.objects.get(code="jjj")),
        "bureau_jx": member(Role.REGION_BUREAU, username="m_bureau_jx", region_id="330400"),
        "bureau_sh": member(Role.REGION_BUREAU, username="m_bureau_sh", region_id="310000"),
        "bureau_sc": member(Role.REGION_BUREAU, username="m_bureau_sc", region_id="510000"),
        "a_admin": member(Role.ORG_ADMIN, username="m_a_admin", organisation=a),
        "a_member": member(Role.ORG_MEMBER, username="m_a_member", organisation=a),
        "p_admin": member(Role.ORG_ADMIN, username="m_p_admin", organisation=p),
        "b_admin": member(Role.ORG_ADMIN, username="m_b_admin", organisation=b),
        "b_member": member(Role.ORG_MEMBER, username="m_b_member", organisation=b),
        "expert": member(Role.EXPERT, username="m_expert"),
    }
    return World(orgs={"a": a, "p": p, "b": b}, users=users)


def _log_everyone_in(world: World) -> None:
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value


def world_fixture(build: Callable[[World], None]):
    """A module-scoped fixture: the people, then `build(world)` adds the app's objects; all rolled back at the end."""

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker, tmp_path_factory):
        from tests.conftest import _ensure_reference_data

        media = tmp_path_factory.mktemp("matrix-media")
        private = tmp_path_factory.mktemp("matrix-private")
        roots = {"MEDIA_ROOT": str(media), "XIETONG_PRIVATE_ROOT": str(private)}
        with django_db_blocker.unblock(), override_settings(**roots):
            with transaction.atomic():
                _ensure_reference_data()
                world = build_people()
                world.media_root = str(media)
                world.private_root = str(private)
                build(world)
                _log_everyone_in(world)
                yield world
                transaction.set_rollback(True)

    return world


# ------------------------------------------------------------------------------------------------ the endpoints

API_PREFIX = "api/v1"
# The API's mount points whose app is not their own name.
API_APPS = {"zones": "regions", "me": "core"}
PAGE_APPS = {"zones": "regions", "orgs": "orgs", "me": "core"}
# The admin (staff only); public media (resource photos, public by design); the password-reset link, which names
# an account by Django's signed one-time token, not by an id another tenant could try.
NOT_ENDPOINTS = ("admin/", "media/", "accounts/password/reset/")


def _ninja_route(prefix: str, path: str) -> str:
    route = f"{API_PREFIX}{prefix}{path}"
    return re.sub(r"\{([^}]+)\}", r"<\1>", route)


def _page_methods(view) -> tuple[str, ...]:
    """The methods a page accepts, read from its `require_http_methods` decorator (GET when undecorated)."""
    fn = view
    while fn is not None:
        if fn.__closure__:
            methods = inspect.getclosurevars(fn).nonlocals.get("request_method_list")
            if methods:
                return tuple(methods)
        fn = getattr(fn, "__wrapped__", None)
    return ("GET",)


def _walk(patterns, prefix: str = "") -> Iterable[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def app_of(route: str) -> str:
    parts = route.split("/")
    if route.startswith(API_PREFIX + "/"):
        return API_APPS.get(parts[2], parts[2])
    return PAGE_APPS.get(parts[0], parts[0])


def id_endpoints() -> set[tuple[str, str]]:
    """(method, route) of every page and API operation whose path names an object."""
    from xietong.api import api

    found: set[tuple[str, str]] = set()
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            route = _ninja_route(prefix, path)
            if "<" in route:
                found |= {(m, route) for op in view.operations for m in op.methods}
    for route, pattern in _walk(get_resolver().url_patterns):
        if "<" in route and not route.startswith((API_PREFIX, *NOT_ENDPOINTS)):
            found |= {(m, route) for m in _page_methods(pattern.callback)}
    return found


def id_endpoints_of(app: str) -> set[tuple[str, str]]:
    return {(m, r) for m, r in id_endpoints() if app_of(r) == app}


# ------------------------------------------------------------------------------------------------ the cases


@dataclass(frozen=True)
class Case:
    """One endpoint called on one object: the outcome per role, and how to build the path and a valid body."""

    method: str
    route: str
    expect: Mapping[str, int | str]
    # the value of each path parameter: a model instance (its row is watched for in-place updates) or a str
    path: Callable[[World], dict[str, Any]]
    body: Callable[[World], dict[str, Any]] | None = None
    name: str = ""  # tells apart two cases of one endpoint (e.g. a closed and an open resource)
    # For endpoints that answer everyone but filter what they show (an export of a programme's grants): text
    # of the other tenant's object that must not appear in a 200 answer to any role outside `shown_to`.
    secret: Callable[[World], str] | None = None
    shown_to: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}" + (f" [{self.name}]" if self.name else "")

    @property
    def is_api(self) -> bool:
        return self.route.startswith(API_PREFIX + "/")

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    def url(self, world: World) -> str:
        kwargs = self.path(world)
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(_key(kwargs.pop(m.group(1)))), self.route)
        assert not kwargs, f"{self.id}: unused path values {kwargs}"
        return "/" + url


def _key(value: Any) -> Any:
    return value.pk if hasattr(value, "_meta") else value


def params(cases: list[Case]) -> list:
    """pytest parameters (case, role): every case names one expected outcome for every role."""
    out = []
    for case in cases:
        assert set(case.expect) == set(ROLES), f"{case.id}: every role needs an expected outcome"
        out += [pytest.param(case, role, id=f"{case.id} | {role}") for role in ROLES]
    return out


def assert_covers(app: str, cases: list[Case]) -> None:
    """Every endpoint of `app` that takes an object id has a case, and every case names a real endpoint."""
    endpoints = id_endpoints_of(app)
    covered = {(c.method, c.route) for c in cases}
    assert endpoints - covered == set(), "endpoints with an id missing from the tenancy matrix"
    assert covered - endpoints == set(), "matrix cases naming no endpoint"


# ------------------------------------------------------------------------------------------------ the judging


def _project_models() -> list:
    return [m for m in apps.get_models() if m.__module__.startswith("xietong.")]


def _row_counts() -> dict[str, int]:
    """Rows of every table of the project (ledger postings and audit events included), in one query."""
    models = _project_models()
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, row, strict=True)}


def _files() -> dict[str, int]:
    """Every file under MEDIA_ROOT and under each file-system storage (the private one included)."""
    from django.core.files.storage import storages

    roots = {Path(settings.MEDIA_ROOT)}
    for alias in settings.STORAGES:
        location = getattr(storages[alias], "location", None)
        if location and alias != "staticfiles":
            roots.add(Path(location))
    return {
        str(path): path.stat().st_size
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.is_file()
    }


def _queued_tasks() -> int:
    from huey.contrib.djhuey import HUEY

    return len(connection.run_on_commit) + HUEY.pending_count()


def _rows_named(world: World, case: Case) -> dict[str, Any]:
    """The full rows of the objects the path names (an in-place update leaves the row counts alone)."""
    out = {}
    for key, obj in case.path(world).items():
        if hasattr(obj, "_meta"):
            row = type(obj)._base_manager.filter(pk=obj.pk).first()
            out[key] = None if row is None else model_to_dict(row)
    return out


def snapshot(world: World, case: Case) -> dict[str, Any]:
    return {
        "rows": _row_counts(),
        "named": _rows_named(world, case),
        "files": _files(),
        "tasks": _queued_tasks(),
    }


def _request(client: Client, case: Case, world: World):
    url = case.url(world)
    body = case.body(world) if case.body else {}
    method = case.method.lower()
    has_files = isinstance(body, dict) and any(hasattr(v, "read") for v in body.values())
    if case.is_api and not has_files:
        if case.method == "GET":
            return client.get(url, body)
        return getattr(client, method)(url, body, content_type="application/json")
    return getattr(client, method)(url, body)


def _outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
        return LOGIN
    return response.status_code


def check(world: World, case: Case, role: str, settings_fixture) -> None:
    """Call the endpoint as `role`; assert the one expected outcome; refused → nothing written, allowed write → written."""
    settings_fixture.MEDIA_ROOT = world.media_root
    settings_fixture.XIETONG_PRIVATE_ROOT = world.private_root
    expected = case.expect[role]
    client = world.client(role)
    with transaction.atomic():
        before = snapshot(world, case)
        response = _request(client, case, world)
        after = snapshot(world, case)
        transaction.set_rollback(True)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content[:400].decode(errors="replace")
    assert _outcome(response) == expected, f"{case.id} as {role}: {response.status_code} {body}"
    allowed = expected in (OK, CREATED, NO_CONTENT, REDIRECT)
    if case.secret is not None and expected == OK:
        shown = case.secret(world) in response_text(content)
        assert shown == (role in case.shown_to), f"{case.id} as {role}: the other tenant's row shown={shown}"
    if not allowed:
        assert after == before, f"{case.id} as {role} was refused but wrote: {_diff(before, after)}"
        if case.is_api:
            assert response.json()["message"], "a refusal says why"
    elif case.writes:
        assert after != before, f"{case.id} as {role} was allowed but wrote nothing: {body}"


def response_text(content: bytes) -> str:
    """What a reader of the answer sees: the cells of a workbook, else the decoded body."""
    if content[:2] == b"PK":
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(content), read_only=True)
        return "\n".join(
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
        )
    return content.decode(errors="replace")


def _diff(before: dict, after: dict) -> dict:
    out = {}
    for key in before:
        if isinstance(before[key], dict):
            out[key] = {k: (before[key].get(k), after[key].get(k)) for k in before[key] | after[key]}
            out[key] = {k: v for k, v in out[key].items() if v[0] != v[1]}
        elif before[key] != after[key]:
            out[key] = (before[key], after[key])
    return out
