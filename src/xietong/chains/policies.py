"""Who may see and change chains, attachments, measures, thresholds and roadmaps.

Chains, their segments, the active attachments (organisation names only), the specialisation maps and
the roadmaps are public: they are the platform's published 产业链图谱. A suggested or rejected
attachment is seen by its organisation, the bureau governing its region, the zone offices reading it
and the platform. Yearly measures (revenue, employees, output) are seen by the same people except the
public: the organisation itself, its bureau, the zone offices and the platform. A region's gap list with
recommended partners is read by those who read the region (its bureau, zone offices, the platform).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.chains.enums import AttachmentStatus
from xietong.chains.models import Attachment, AttachmentMeasure, Chain, GapThresholds, Milestone
from xietong.core.acting import acts_for
from xietong.core.actor import Actor
from xietong.core.policies import Policy


def _acts_for(actor: Actor, org_id: int | None) -> bool:
    return actor.is_platform_admin or acts_for(actor, org_id)


def _governs(actor: Actor, region_code: str | None) -> bool:
    return actor.governs_region(region_code)


def _zone_office(actor: Actor, zone) -> bool:
    return actor.is_platform_admin or (zone is not None and zone.pk in actor.zone_ids)


def _bureau_in(actor: Actor, zone) -> bool:
    """A bureau governing a region of the zone's area (a member, or a province holding members)."""
    from xietong.regions import selectors as region_selectors

    return bool(
        zone is not None
        and actor.bureau_region_codes
        and actor.bureau_region_codes & region_selectors.zone_region_codes(zone)
    )


class ChainPolicy(Policy):
    model = Chain
    denied_message = gettext_lazy("只有平台管理员可以维护产业链结构")
    rules = {
        "manage": lambda actor, obj=None: actor.is_platform_admin,  # obj None: the import page
        # obj: a region code — its gap list, with recommended partners, is for those who read the region
        "view_gaps": lambda actor, code: actor.reads_region(code),
        # obj: a zone — the zone-wide gap lists (the zone against the platform; every member at once): its
        # office and the bureaus governing part of it, who plan the cross-member filling together
        "view_zone_gaps": lambda actor, zone: _zone_office(actor, zone) or _bureau_in(actor, zone),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()


def _org_region(obj) -> str | None:
    return getattr(obj, "region_id", None)


class AttachmentPolicy(Policy):
    model = Attachment
    denied_message = gettext_lazy("您无权处理该机构的挂链信息")
    rules = {
        # obj: organisation — a verified member declares its own organisation's segments
        "declare": lambda actor, org: _acts_for(actor, getattr(org, "pk", None)),
        # obj: organisation — its bureau registers (and thereby confirms) a link for it
        "register": lambda actor, org: _governs(actor, _org_region(org)),
        # obj: organisation — run the matching suggestions for it
        "suggest": lambda actor, org: (
            _acts_for(actor, getattr(org, "pk", None)) or _governs(actor, _org_region(org))
        ),
        # obj None: the "my attachments" page link
        "manage_any": lambda actor, obj=None: bool(
            actor.is_platform_admin or actor.acting_organisation_ids or actor.bureau_region_codes
        ),
        "confirm": lambda actor, att: (
            _governs(actor, att.region_id)
            or (att.status == AttachmentStatus.PENDING and _acts_for(actor, att.organisation_id))
        ),
        "reject": lambda actor, att: (
            _governs(actor, att.region_id)
            or (att.status == AttachmentStatus.PENDING and _acts_for(actor, att.organisation_id))
        ),
        "withdraw": lambda actor, att: (
            _governs(actor, att.region_id) or _acts_for(actor, att.organisation_id)
        ),
        "view_measures": lambda actor, att: (
            actor.reads_region(att.region_id) or att.organisation_id in actor.organisation_ids
        ),
        "edit_measures": lambda actor, att: (
            _governs(actor, att.region_id) or _acts_for(actor, att.organisation_id)
        ),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        q = Q(status=AttachmentStatus.ACTIVE, organisation__status="approved")
        if actor.organisation_ids:
            q |= Q(organisation_id__in=actor.organisation_ids)
        codes = actor.bureau_region_codes | actor.zone_region_codes
        if codes:
            q |= Q(region_id__in=codes)
        return q


class MeasurePolicy(Policy):
    model = AttachmentMeasure
    denied_message = gettext_lazy("年度经营数据仅对本机构、主管部门和协同区办公室开放")
    rules = {"import": lambda actor, obj=None: actor.is_platform_admin or bool(actor.bureau_region_codes)}

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        q = Q(pk__in=[])
        if actor.organisation_ids:
            q |= Q(attachment__organisation_id__in=actor.organisation_ids)
        codes = actor.bureau_region_codes | actor.zone_region_codes
        if codes:
            q |= Q(attachment__region_id__in=codes)
        return q


class ThresholdsPolicy(Policy):
    model = GapThresholds
    denied_message = gettext_lazy("只有该协同区办公室或平台管理员可以修改缺链判定阈值")
    rules = {"update": _zone_office}  # obj: zone

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()  # the thresholds behind a published map are public


class MilestonePolicy(Policy):
    model = Milestone
    denied_message = gettext_lazy("只有该协同区办公室或平台管理员可以编制技术路线图")
    rules = {
        "create": _zone_office,  # obj: zone
        "delete": lambda actor, milestone: _zone_office(actor, milestone.zone),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()
