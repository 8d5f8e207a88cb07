"""Who may see and change resources and service orders (default deny)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q

from xietong.core.acting import acts_for_any, administers
from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.orgs.enums import OrgStatus
from xietong.resources.enums import OpenStatus
from xietong.resources.models import Resource, ServiceOrder


def _owner_admin(actor: Actor, resource: Resource) -> bool:
    return actor.is_platform_admin or administers(actor, resource.owner_id)


def _may_book(actor: Actor, resource: Resource) -> bool:
    return acts_for_any(actor) and resource.open_status == OpenStatus.OPEN


class ResourcePolicy(Policy):
    model = Resource
    denied_message = "您无权管理该资源"
    rules = {
        "create_for": lambda actor, org: actor.is_platform_admin or administers(actor, org.pk),  # obj: owner
        "manage": _owner_admin,  # edit, prices, calendar, photos
        "book": _may_book,
        "view_orders": lambda actor, r: actor.is_platform_admin or r.owner_id in actor.organisation_ids,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """Open and paused listings of verified owners are public; the rest only to the owner and those who
        govern or read it."""
        if actor.is_platform_admin:
            return Q()
        q = Q(open_status__in=[OpenStatus.OPEN, OpenStatus.PAUSED], owner__status=OrgStatus.APPROVED)
        if actor.organisation_ids:
            q |= Q(owner_id__in=actor.organisation_ids)
        if actor.bureau_region_codes or actor.zone_region_codes:
            q |= Q(region_id__in=actor.bureau_region_codes | actor.zone_region_codes)
        return q


def _provider(actor: Actor, order: ServiceOrder) -> bool:
    return order.provider_id in actor.organisation_ids


def _customer(actor: Actor, order: ServiceOrder) -> bool:
    return order.customer_id in actor.organisation_ids


class OrderPolicy(Policy):
    model = ServiceOrder
    denied_message = "您无权处理该订单"
    rules = {
        # the provider's side of the workflow
        "confirm": _provider,
        "reject": _provider,
        "start": _provider,
        "record_usage": _provider,
        "upload_report": _provider,
        "deliver": _provider,
        "mark_no_show": _provider,
        # the customer's side
        "complete": _customer,
        "cancel": _customer,
        "download_report": lambda actor, o: (
            _provider(actor, o) or _customer(actor, o) or actor.is_platform_admin
        ),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """Both parties see an order; bureaus and zone offices read orders touching their regions."""
        if actor.is_platform_admin:
            return Q()
        q = Q(pk__in=[])
        if actor.organisation_ids:
            q |= Q(customer_id__in=actor.organisation_ids) | Q(provider_id__in=actor.organisation_ids)
            # Firms the customer invited to put their own vouchers on the order (bundling) read it too.
            # A subquery, not a join: no duplicate rows, no extra query, no import of the vouchers app.
            partners = apps.get_model("vouchers", "BundlePartner").objects
            invited = partners.filter(enterprise_id__in=actor.organisation_ids).values("order_id")
            q |= Q(pk__in=invited)
        codes = actor.bureau_region_codes | actor.zone_region_codes
        if codes:
            q |= Q(customer__region_id__in=codes) | Q(provider__region_id__in=codes)
        return q
