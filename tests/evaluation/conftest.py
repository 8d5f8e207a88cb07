"""Fixtures of the evaluation tests: users per role and a 长三角 framework with demo data."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.factories import OrganisationFactory, member
from xietong.core.actor import SYSTEM, actor_for
from xietong.core.roles import Role
from xietong.evaluation import demo, services
from xietong.evaluation.presets import FRAMEWORK_PRESETS
from xietong.regions.models import Zone


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db):
    org = OrganisationFactory(region_id="310104")
    return {
        "anonymous": None,
        "yrd_office": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="yrd")),
        "jjj_office": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="jjj")),
        "sh_bureau": member(Role.REGION_BUREAU, region_id="310000"),
        "hb_bureau": member(Role.REGION_BUREAU, region_id="130000"),
        "org_admin": member(Role.ORG_ADMIN, organisation=org),
        "platform_admin": member(Role.PLATFORM_ADMIN),
    }


def demo_frame(preset: str = "yrd", years=None) -> pd.DataFrame:
    frame = demo.generate(FRAMEWORK_PRESETS[preset])
    if years is not None:
        frame = frame[frame["Time"].isin(list(years))]
    frame = frame.reset_index(drop=True)
    frame.index = pd.Index(range(2, len(frame) + 2), name="row")
    return frame


@pytest.fixture
def yrd_framework(db):
    return services.framework_create_from_preset(actor=SYSTEM, preset="yrd")


@pytest.fixture
def yrd_dataset(yrd_framework):
    return services.dataset_import(
        actor=SYSTEM, framework_id=yrd_framework.pk, frame=demo_frame("yrd", years=range(2011, 2016))
    )


@pytest.fixture
def yrd_run(yrd_dataset):
    run = services.run_create(
        actor=SYSTEM,
        framework_id=yrd_dataset.framework_id,
        options={"sensitivity_runs": 16},
        background=False,
    )
    return services.run_execute(run_id=run.pk)


@pytest.fixture
def actor_of():
    return actor_for
