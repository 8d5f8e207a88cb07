"""A region's (or a zone's) gap report: the policy check, the matrix, the thresholds, the gaps and their
recommendations, in one place for the pages, the API, the exports and the CLI."""

from __future__ import annotations

from django.utils.translation import gettext as _

from xietong.chains import analysis, recommend, selectors
from xietong.chains.policies import ChainPolicy
from xietong.core.actor import Actor
from xietong.core.errors import Forbidden, Invalid
from xietong.regions import selectors as region_selectors


def _chains(chain_code: str):
    return [selectors.chain_get(code=chain_code)] if chain_code else list(selectors.chain_list())


def region_report(
    *, actor: Actor, zone_code: str, region_code: str, chain_code: str = "", with_recommendations: bool = True
) -> analysis.GapReport:
    """补链/强链/延链 of one zone member (``region_code`` may be any region inside it)."""
    zone = region_selectors.zone_get(zone_id_or_code=zone_code)
    member = analysis.member_of_zone(zone, region_code)
    if not member:
        raise Invalid(
            _("地区 %(region_code)s 不在%(name)s内") % {"region_code": region_code, "name": zone.name},
            field="region",
        )
    if not ChainPolicy.can(actor, "view_gaps", member):
        raise Forbidden(_("补链强链延链清单仅对该地区主管部门、协同区办公室和平台管理员开放"))
    chains = _chains(chain_code)
    matrix = analysis.zone_matrix(zone)
    thresholds = selectors.thresholds_for(zone)
    gaps = analysis.region_gaps(matrix, member, chains, thresholds)
    name = matrix.names[member]
    if with_recommendations:
        own = region_selectors.region_descendant_codes(member)
        context = recommend.Context(
            actor=actor, matrix=matrix, region_code=member, region_name=name, own_codes=own
        )
        recommend.recommend(context, gaps)
    return analysis.GapReport(
        zone=zone, region_code=member, region_name=name, thresholds=thresholds, gaps=gaps
    )


def zone_report(
    *, actor: Actor, zone_code: str, chain_code: str = "", with_recommendations: bool = True
) -> analysis.GapReport:
    """The zone as a whole against the whole platform; partners come from outside the zone."""
    zone = region_selectors.zone_get(zone_id_or_code=zone_code)
    if not ChainPolicy.can(actor, "view_zone_gaps", zone):
        raise Forbidden(_("协同区整体的补链清单仅对该协同区办公室、成员地区主管部门和平台管理员开放"))
    chains = _chains(chain_code)
    matrix = analysis.zone_matrix(zone)
    thresholds = selectors.thresholds_for(zone)
    gaps = analysis.zone_gaps(matrix, chains, thresholds)
    if with_recommendations:
        own = region_selectors.zone_region_codes(zone)
        context = recommend.Context(
            actor=actor, matrix=matrix, region_code="", region_name=zone.short_name, own_codes=own
        )
        recommend.recommend(context, gaps)
    return analysis.GapReport(
        zone=zone, region_code="", region_name=zone.name, thresholds=thresholds, gaps=gaps
    )


def zone_list(*, actor: Actor, zone_code: str, chain_code: str = "") -> analysis.ZoneList:
    """The whole zone's 补链/强链/延链 in one chain: per segment, which members lack it, who is strong in it and
    could fill it (with their organisations), who should extend into it. For the zone office, the bureaus of
    the zone's members and the platform. Without `chain_code`, the first chain."""
    zone = region_selectors.zone_get(zone_id_or_code=zone_code)
    if not ChainPolicy.can(actor, "view_zone_gaps", zone):
        raise Forbidden(_("协同区整体的补链强链延链清单仅对该协同区办公室、成员地区主管部门和平台管理员开放"))
    chain = selectors.chain_get(code=chain_code) if chain_code else selectors.chain_list().first()
    if chain is None:
        raise Invalid(_("平台上还没有产业链"), field="chain")
    matrix = analysis.zone_matrix(zone)
    result = analysis.zone_list(matrix, chain, selectors.thresholds_for(zone))
    recommend.zone_partners(actor, matrix, result.rows)
    return result
