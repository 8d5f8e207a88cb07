"""Who may see and change resources and service orders (default deny)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.core.acting import acts_for, acts_for_any, administers
from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.orgs.enums import OrgStatus
from xietong.resources.enums import OpenStatus
from xietong.resources.models import Resource, ServiceOrder


def _owner_admin(actor: Actor, resource: Resource) -> bool:
    return actor.is_platform_admin or administers(actor, resource.owner_id)


def _may_book(actor: Actor, resource: Resource) -> bool:
    return acts_for_any(actor) and resource.open_status == OpenStatus.OPEN


def _member_somewhere(actor: Actor, obj: object = None) -> bool:
    return bool(actor.organisation_ids)


def _administers_somewhere(actor: Actor, obj: object = None) -> bool:
    """An admin of at least one verified organisation (a pending one may not publish yet)."""
    return actor.is_platform_admin or bool(actor.acting_admin_organisation_ids)


def _administers(actor: Actor, owner) -> bool:
    return actor.is_platform_admin or administers(actor, owner.pk)


def _listed(resource: Resource) -> bool:
    return resource.open_status in (OpenStatus.OPEN, OpenStatus.PAUSED)


def _owner_or_reader(actor: Actor, resource: Resource) -> bool:
    return (
        actor.is_platform_admin
        or resource.owner_id in actor.organisation_ids
        or actor.reads_region(resource.region_id)
    )


class ResourcePolicy(Policy):
    model = Resource
    denied_message = gettext_lazy("您无权管理该资源")
    rules = {
        "manage": _owner_admin,  # edit, prices, calendar, photos
        "book": _may_book,
        "view_orders": lambda actor, r: actor.is_platform_admin or r.owner_id in actor.organisation_ids,
        "view": lambda actor, r: _listed(r) or _owner_or_reader(actor, r),  # the Python twin of `visible`
        # obj None: page-level questions
        "register": _administers_somewhere,  # bulk import (the platform imports for any organisation)
        # the "register a resource" form lists the organisations the actor administers: none for an operator
        "register_own": lambda actor, obj=None: bool(actor.acting_admin_organisation_ids),
        "console": lambda actor, obj=None: actor.is_platform_admin or _member_somewhere(actor),
        # obj None: the open-sharing statistics of a region's units (bureaus, zone offices, the platform)
        "region_statistics": lambda actor, obj=None: (
            actor.is_platform_admin or bool(actor.bureau_region_codes or actor.zone_region_codes)
        ),
        "quote": _member_somewhere,  # a customer's own price and the "recognised in my region" filter
        # obj: the owning organisation (admins of a verified organisation only)
        "register_for": _administers,
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


def _provider_acting(actor: Actor, order: ServiceOrder) -> bool:
    """The provider's member, its organisation verified (`core.acting`); work already accepted may go on."""
    return acts_for(actor, order.provider_id)


def _customer(actor: Actor, order: ServiceOrder) -> bool:
    return order.customer_id in actor.organisation_ids


class OrderPolicy(Policy):
    model = ServiceOrder
    denied_message = gettext_lazy("您无权处理该订单")
    rules = {
        # the provider's side of the workflow
        "confirm": _provider_acting,  # taking on new work: a suspended provider may not
        "reject": _provider,
        "start": _provider,
        "record_usage": _provider,
        "upload_report": _provider,
        "deliver": _provider,
        "mark_no_show": _provider,
        # the customer's side
        "complete": _customer,
        "cancel": _customer,
        "rate": _customer,  # after the service (resources.services.after_service)
        "track_sample": _provider,
        "list_mine": _member_somewhere,  # obj None: the "my orders" page
        "download_report": lambda actor, o: (
            _provider(actor, o) or _customer(actor, o) or actor.is_platform_admin
        ),
        # the customer's note is written for the provider: the two parties, the customer's own bureau and
        # the platform read it; a bureau or zone office that sees the order only through the provider's
        # region does not (the order is its business, the client's private remarks are not)
        "view_note": lambda actor, o: (
            _provider(actor, o)
            or _customer(actor, o)
            or actor.is_platform_admin
            or o.customer.region_id in actor.bureau_region_codes
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
