"""The zone matrix after a change: every write that moves the data stamp schedules a background recompute on
commit, which leaves the matrix and its relatedness density on disk; the next page loads them instead of
computing, and gets exactly what a computation gives."""

from __future__ import annotations

import numpy as np
import pytest

from tests.chains.conftest import seg
from tests.factories import OrganisationFactory, member
from xietong.chains import analysis, matrix_store, selectors, services
from xietong.chains.enums import AttachmentStatus
from xietong.chains.models import Attachment
from xietong.core.actor import actor_for
from xietong.core.errors import Forbidden
from xietong.core.roles import Role
from xietong.orgs import services as org_services

pytestmark = pytest.mark.django_db


def _frames(matrix):
    return [matrix.counts, matrix.rca, matrix.m, matrix.density]


def _no_computing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the matrix was computed in the request instead of read from disk")

    monkeypatch.setattr(analysis, "_compute", refuse)


def test_a_declared_link_refreshes_the_matrix_on_disk_before_the_next_page(
    chengyu, django_capture_on_commit_callbacks, monkeypatch
):
    # given 成都's bureau and a 成都 organisation not yet on the chain
    zone = chengyu["zone"]
    org = OrganisationFactory(name="成都新挂链热管理有限公司", region_id="510107")
    bureau = actor_for(chengyu["cd_bureau"])
    before = analysis.zone_matrix(zone)
    # when the bureau registers it in 热管理系统 and the transaction commits (the task runs: tests' huey is immediate)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.attachment_add(actor=bureau, org_id=org.pk, segment_id=seg("M07").pk)
    assert len(callbacks) == 1
    # then the file on disk holds the new matrix with its density, and a fresh process reads it without computing
    stamp = (selectors.links_stamp(), selectors.zone_member_codes(zone))
    assert matrix_store.has_density(zone, stamp)
    fresh = analysis._compute(zone)
    analysis._CACHE.clear()
    _no_computing(monkeypatch)
    loaded = analysis.zone_matrix(zone)
    assert loaded.counts.at["510100", seg("M07").pk] == before.counts.at["510100", seg("M07").pk] + 1
    for got, want in zip(_frames(loaded), _frames(fresh), strict=True):
        assert list(got.index) == list(want.index) and list(got.columns) == list(want.columns)
        assert np.array_equal(got.to_numpy(), want.to_numpy())
    assert loaded.names == fresh.names
    # and the gaps read from it are the ones a computation gives
    chain = selectors.chain_get(code="nev")
    thresholds = selectors.thresholds_for(zone)
    got = analysis.region_gaps(loaded, "510100", [chain], thresholds)
    want = analysis.region_gaps(fresh, "510100", [chain], thresholds)
    assert [(g.kind, g.segment_code, g.reason) for g in got] == [
        (g.kind, g.segment_code, g.reason) for g in want
    ]


@pytest.mark.parametrize("action", ["confirm", "reject", "withdraw"])
def test_every_decision_on_a_link_moves_the_stamp_and_schedules_a_refresh(
    chengyu, action, django_capture_on_commit_callbacks
):
    # given a suggested link of a 成都 organisation (confirm) or an active one (reject, withdraw)
    org = chengyu["cd"][0]
    status = AttachmentStatus.PENDING if action == "confirm" else AttachmentStatus.ACTIVE
    att = Attachment.objects.create(organisation=org, segment=seg("M02"), region_id=org.region_id, role="primary",
                                    source="suggested", status=status)  # fmt: skip
    bureau = actor_for(chengyu["cd_bureau"])
    stamp = selectors.links_stamp()
    # when the bureau decides it
    service = {"confirm": services.attachment_confirm, "reject": services.attachment_reject,
               "withdraw": services.attachment_withdraw}[action]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service(actor=bureau, pk=att.pk)
    # then the stamp the cached matrices are kept under moved, and a recompute waits for the commit
    assert selectors.links_stamp() != stamp
    assert len(callbacks) == 1


def test_a_refused_write_schedules_nothing(chengyu, django_capture_on_commit_callbacks):
    # given a 重庆 bureau and a 成都 organisation
    outsider = actor_for(member(Role.REGION_BUREAU, username="cq_bureau_2", region_id="500000"))
    org = chengyu["cd"][1]
    # when it tries to register the organisation's link
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(Forbidden):
        services.attachment_add(actor=outsider, org_id=org.pk, segment_id=seg("M02").pk)
    # then nothing is scheduled
    assert callbacks == []


def test_a_stale_or_damaged_file_is_never_read_as_current(chengyu, settings, tmp_path, monkeypatch):
    # given a matrix kept on disk for the current data
    settings.XIETONG_CHAINS_DIR = str(tmp_path)
    zone = chengyu["zone"]
    analysis._CACHE.clear()
    analysis.zone_matrix(zone)
    stamp = (selectors.links_stamp(), selectors.zone_member_codes(zone))
    assert matrix_store.load(zone, stamp) is not None
    # when the data changes, the file is stale: not loaded
    link_org = OrganisationFactory(name="重庆另一热管理有限公司", region_id="500106")
    Attachment.objects.create(organisation=link_org, segment=seg("M07"), region_id="500106", role="primary",
                              source="bureau", status="active")  # fmt: skip
    new_stamp = (selectors.links_stamp(), selectors.zone_member_codes(zone))
    assert new_stamp != stamp
    assert matrix_store.load(zone, new_stamp) is None
    # and a damaged file is ignored (recomputed), never trusted
    (tmp_path / f"zone-{zone.pk}.npz").write_bytes(b"not a matrix")
    assert matrix_store.load(zone, new_stamp) is None
    analysis._CACHE.clear()
    assert analysis.zone_matrix(zone).counts.at["500000", seg("M07").pk] == 4.0


def test_suspending_or_approving_an_organisation_refreshes_the_matrix_though_orgs_knows_no_chains(
    chengyu, django_capture_on_commit_callbacks, monkeypatch
):
    # given 成都's bureau, a 成都 battery maker counted in M01 and a pending 成都 registration
    zone = chengyu["zone"]
    bureau = actor_for(chengyu["cd_bureau"])
    before = analysis.zone_matrix(zone).counts.at["510100", seg("M01").pk]
    pending = OrganisationFactory(name="成都待审电池有限公司", region_id="510107", status="pending")
    # when the bureau suspends the battery maker and the transaction commits (tests' huey runs the task at once)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org_services.organisation_suspend(
            actor=bureau, org_id=chengyu["cd"][0].pk, suspend=True, note="资质过期"
        )
    # then the recompute ran and left the matrix without it on disk: the next page reads it without computing
    assert len(callbacks) == 1
    analysis._CACHE.clear()
    with monkeypatch.context() as patched:
        _no_computing(patched)
        assert analysis.zone_matrix(zone).counts.at["510100", seg("M01").pk] == before - 1
    # and approving a registration or reinstating schedules the refresh too
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        org_services.organisation_review(actor=bureau, org_id=pending.pk, approve=True)
        org_services.organisation_suspend(actor=bureau, org_id=chengyu["cd"][0].pk, suspend=False)
    assert len(callbacks) == 2


def test_a_refused_suspension_schedules_nothing(chengyu, django_capture_on_commit_callbacks):
    # given 重庆's bureau, which does not govern 成都's organisations
    outsider = actor_for(chengyu["cq_bureau"])
    # when it tries to suspend one
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(Forbidden):
        org_services.organisation_suspend(actor=outsider, org_id=chengyu["cd"][0].pk, suspend=True, note="x")
    # then nothing is scheduled
    assert callbacks == []
