"""Tenancy matrix of the collaborative-innovation index: every role × the 长三角 office's framework and runs.

A framework scoped to the 长三角 zone is managed (and seen) only by the 长三角 office and the platform; its
unpublished run likewise; a published run is public statistics. Bureaus inside the zone do not manage a
zone's framework. Everyone else gets 404 (401 / the login page when a page needs a session), nothing written.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests import tenancy_matrix as m
from tests.evaluation.helpers import GOOD_FRAMEWORK, data_rows, xlsx
from tests.factories import OrganisationFactory
from xietong.core.actor import SYSTEM
from xietong.evaluation import excel, selectors, services

pytestmark = pytest.mark.django_db


def _run(framework, *, publish: bool):
    run = services.run_create(
        actor=SYSTEM, framework_id=framework.pk, options={"sensitivity_runs": 8}, background=False
    )
    run = services.run_execute(run_id=run.pk)
    return services.run_publish(actor=SYSTEM, run_id=run.pk) if publish else run


def build(world: m.World) -> None:
    frame, sources = excel.framework_frame(xlsx(GOOD_FRAMEWORK))
    framework = services.framework_import(
        actor=SYSTEM, name="矩阵测试指数", frame=frame, sources=sources, zone_code="yrd"
    )
    table = selectors.framework_table(actor=SYSTEM, framework_id=framework.pk)
    year = timezone.localdate().year
    rows = data_rows(years=(year - 1, year))
    for row in rows[1:]:
        if row[2] == year:
            row[5] = None  # this year's platform indicator "c": left for the platform to fill
    data, headers = excel.data_frame(xlsx(rows), table=table)
    services.dataset_import(actor=SYSTEM, framework_id=framework.pk, frame=data, headers=headers)
    # a new 上海 high-tech firm after the import, so that refreshing the platform indicator has a change to make
    OrganisationFactory(name="上海矩阵高新技术有限公司", region_id="310104", is_high_tech=True)
    world.objects.update(
        framework=framework, run=_run(framework, publish=False), published=_run(framework, publish=True)
    )


MANAGERS = ("platform_admin", "zone_yrd")


def outcome(allowed, status, anonymous, default=m.NOT_FOUND):
    return m.expect(default, anonymous=anonymous, **dict.fromkeys(allowed, status))


def api_write(status=m.CREATED):
    return outcome(MANAGERS, status, m.UNAUTHENTICATED)


PUBLIC_READ = outcome(MANAGERS, m.OK, m.NOT_FOUND)  # no session needed; hidden unless managed
PAGE_READ = outcome(MANAGERS, m.OK, m.LOGIN)
PAGE_WRITE = outcome(MANAGERS, m.REDIRECT, m.LOGIN)
EVERYONE = m.expect(m.OK)


def framework(w):
    return {"framework_id": w.framework}


def run(w):
    return {"run_id": w.run}


def published(w):
    return {"run_id": w.published}


def framework_file(w):
    return {"file": xlsx(GOOD_FRAMEWORK), "note": "矩阵测试第二版"}


def data_file(w):
    return {"file": xlsx(data_rows()), "name": "矩阵测试数据"}


CASES = [
    # the framework and its data
    m.Case("GET", "api/v1/evaluation/frameworks/<int:framework_id>", PUBLIC_READ, framework),
    m.Case("GET", "api/v1/evaluation/frameworks/<int:framework_id>/framework.xlsx", PUBLIC_READ, framework),
    m.Case(
        "GET", "api/v1/evaluation/frameworks/<int:framework_id>/data-template.xlsx", PUBLIC_READ, framework
    ),
    m.Case("GET", "api/v1/evaluation/frameworks/<int:framework_id>/datasets", PUBLIC_READ, framework),
    m.Case(
        "POST",
        "api/v1/evaluation/frameworks/<int:framework_id>/versions",
        api_write(),
        framework,
        framework_file,
    ),
    m.Case(
        "POST", "api/v1/evaluation/frameworks/<int:framework_id>/datasets", api_write(), framework, data_file
    ),
    m.Case(
        "POST",
        "api/v1/evaluation/frameworks/<int:framework_id>/datasets/refresh-platform",
        api_write(),
        framework,
    ),
    m.Case(
        "POST",
        "api/v1/evaluation/frameworks/<int:framework_id>/runs",
        api_write(),
        framework,
        lambda w: {"sensitivity_runs": 8},
    ),
    m.Case("GET", "evaluation/frameworks/<int:framework_id>/", PAGE_READ, framework),
    m.Case("GET", "evaluation/frameworks/<int:framework_id>/framework.xlsx", PAGE_READ, framework),
    m.Case("GET", "evaluation/frameworks/<int:framework_id>/data-template.xlsx", PAGE_READ, framework),
    m.Case(
        "POST",
        "evaluation/frameworks/<int:framework_id>/versions/import/",
        PAGE_WRITE,
        framework,
        framework_file,
    ),
    m.Case(
        "POST", "evaluation/frameworks/<int:framework_id>/datasets/import/", PAGE_WRITE, framework, data_file
    ),
    m.Case(
        "POST", "evaluation/frameworks/<int:framework_id>/datasets/refresh-platform/", PAGE_WRITE, framework
    ),
    m.Case(
        "POST",
        "evaluation/frameworks/<int:framework_id>/runs/",
        PAGE_WRITE,
        framework,
        lambda w: {"sensitivity_runs": "8"},
    ),
    # the unpublished run, and the published one everybody may read
    m.Case("GET", "api/v1/evaluation/runs/<int:run_id>", PUBLIC_READ, run),
    m.Case("GET", "api/v1/evaluation/runs/<int:run_id>", EVERYONE, published, name="published"),
    m.Case("GET", "api/v1/evaluation/runs/<int:run_id>/results", PUBLIC_READ, run),
    m.Case("GET", "api/v1/evaluation/runs/<int:run_id>/results", EVERYONE, published, name="published"),
    m.Case(
        "GET",
        "api/v1/evaluation/runs/<int:run_id>/compare/<int:other_id>",
        PUBLIC_READ,
        lambda w: {"run_id": w.published, "other_id": w.run},
    ),
    m.Case("GET", "api/v1/evaluation/runs/<int:run_id>/report.xlsx", PUBLIC_READ, run),
    m.Case("GET", "api/v1/evaluation/runs/<int:run_id>/report.pdf", PUBLIC_READ, run),
    m.Case("POST", "api/v1/evaluation/runs/<int:run_id>/rerun", api_write(), run),
    m.Case(
        "POST",
        "api/v1/evaluation/runs/<int:run_id>/publish",
        api_write(m.OK),
        run,
        lambda w: {"publish": True},
    ),
    m.Case(
        "POST",
        "api/v1/evaluation/runs/<int:run_id>/publish",
        outcome(MANAGERS, m.OK, m.UNAUTHENTICATED, default=m.FORBIDDEN),
        published,
        lambda w: {"publish": False},
        name="published",
    ),
    m.Case("GET", "evaluation/runs/<int:run_id>/", PUBLIC_READ, run),
    m.Case("GET", "evaluation/runs/<int:run_id>/", EVERYONE, published, name="published"),
    m.Case("GET", "evaluation/runs/<int:run_id>/progress/", PUBLIC_READ, run),
    m.Case("GET", "evaluation/runs/<int:run_id>/report.xlsx", PUBLIC_READ, run),
    m.Case("GET", "evaluation/runs/<int:run_id>/report.pdf", PUBLIC_READ, run),
    m.Case(
        "GET",
        "evaluation/runs/<int:run_id>/compare/",
        PUBLIC_READ,
        run,
        lambda w: {"other": w.published.pk},
    ),
    m.Case("POST", "evaluation/runs/<int:run_id>/rerun/", PAGE_WRITE, run),
    m.Case("POST", "evaluation/runs/<int:run_id>/publish/", PAGE_WRITE, run, lambda w: {"publish": "1"}),
]

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_another_zones_evaluation(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_evaluation_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("evaluation", CASES)
