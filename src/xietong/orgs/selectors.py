"""Actor-scoped reads of organisations and the actor itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Invalid, NotFound
from xietong.core.models import AuditEvent
from xietong.core.policies import get_visible
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.masking import mask_email, mask_name, mask_phone
from xietong.orgs.models import Membership, Organisation
from xietong.orgs.policies import MembershipPolicy, OrganisationPolicy
from xietong.regions import selectors as region_selectors


def actor_build(*, user) -> Actor:
    """Resolve every scope the user's active memberships grant, in one query plus cached region trees."""
    memberships = list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("zone", "organisation")
        .only("role", "organisation_id", "organisation__status", "region_id", "zone_id", "zone__code")
    )
    roles = {m.role for m in memberships}
    org_roles = (Role.ORG_ADMIN, Role.ORG_MEMBER)
    member_of = {m.organisation_id: m for m in memberships if m.organisation_id and m.role in org_roles}
    verified = {pk for pk, m in member_of.items() if m.organisation.status == OrgStatus.APPROVED}
    admin_of = {m.organisation_id for m in memberships if m.role == Role.ORG_ADMIN}
    bureau_codes: set[str] = set()
    zone_codes: set[str] = set()
    for m in memberships:
        if m.role == Role.REGION_BUREAU and m.region_id:
            bureau_codes |= region_selectors.region_descendant_codes(m.region_id)
        if m.role == Role.ZONE_OFFICE and m.zone_id:
            zone_codes |= region_selectors.zone_region_codes(m.zone)
    return Actor(
        user_id=user.pk,
        username=user.get_username(),
        display_name=user.get_full_name() or user.get_username(),
        roles=frozenset(roles),
        is_platform_admin=user.is_superuser or Role.PLATFORM_ADMIN in roles,
        organisation_ids=frozenset(member_of),
        admin_organisation_ids=frozenset(admin_of),
        acting_organisation_ids=frozenset(verified),
        acting_admin_organisation_ids=frozenset(admin_of & verified),
        bureau_region_codes=frozenset(bureau_codes),
        zone_ids=frozenset(m.zone_id for m in memberships if m.role == Role.ZONE_OFFICE),
        zone_region_codes=frozenset(zone_codes),
    )


@dataclass(frozen=True)
class OrgFilters:
    q: str = ""
    region: str = ""
    kind: str = ""
    industry: str = ""
    zone: str = ""
    status: str = ""
    is_high_tech: bool | None = None
    is_tech_sme: bool | None = None
    is_little_giant: bool | None = None


def organisation_list(*, actor: Actor, filters: OrgFilters) -> QuerySet[Organisation]:
    """The directory: what the actor may see, narrowed by the filters; newest registrations last."""
    qs = OrganisationPolicy.visible_qs(actor).select_related("region", "region__parent")
    text = filters.q.strip()
    if text:
        code = text.upper()
        qs = (
            qs.filter(Q(name__contains=text) | Q(credit_code=code))
            if len(code) == 18
            else qs.filter(name__contains=text)
        )
    if filters.region:
        qs = qs.filter(region_id__in=region_selectors.region_descendant_codes(filters.region))
    if filters.zone:
        zone = region_selectors.zone_get(zone_id_or_code=filters.zone)
        qs = qs.filter(region_id__in=region_selectors.zone_region_codes(zone))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    if filters.status:
        qs = qs.filter(status=filters.status)
    for flag in ("is_high_tech", "is_tech_sme", "is_little_giant"):
        value = getattr(filters, flag)
        if value is not None:
            qs = qs.filter(**{flag: value})
    return qs.order_by("id")


def organisation_get(*, actor: Actor, org_id: int) -> Organisation:
    qs = OrganisationPolicy.visible_qs(actor).select_related("region", "region__parent")
    return get_visible(qs, _("机构不存在或您无权查看"), pk=org_id)


def organisation_find(*, actor: Actor, text: str) -> Organisation:
    """One organisation by its exact credit code or exact name (operators type either on the command line)."""
    text = (text or "").strip()
    if not text:
        raise Invalid(_("请填写机构的统一社会信用代码或全称"))
    qs = OrganisationPolicy.visible_qs(actor).filter(Q(credit_code=text.upper()) | Q(name=text))
    found = list(qs.select_related("region").order_by("id")[:5])
    if not found:
        raise NotFound(_("找不到机构“%(text)s”（请填写统一社会信用代码或全称）") % {"text": text})
    if len(found) > 1:
        codes = _("、").join(o.credit_code for o in found)
        raise Conflict(
            _("名称“%(text)s”对应多家机构（%(codes)s），请改用统一社会信用代码")
            % {"text": text, "codes": codes}
        )
    return found[0]


def organisation_contact(*, actor: Actor, org: Organisation) -> dict[str, str]:
    """Contact details, masked unless the actor may see personal data of this organisation."""
    if OrganisationPolicy.can(actor, "view_contact", org):
        return {
            "name": org.contact_name,
            "phone": org.contact_phone,
            "email": org.contact_email,
            "masked": "",
        }
    return {
        "name": mask_name(org.contact_name),
        "phone": mask_phone(org.contact_phone) if org.contact_phone else "",
        "email": mask_email(org.contact_email) if org.contact_email else "",
        "masked": "1",
    }


def review_queue(*, actor: Actor) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(OrganisationPolicy.review_queue(actor))
        .select_related("region", "region__parent")
        .order_by("created_at", "id")
    )


def suspended_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Suspended organisations the actor governs, most recently changed first (the review page's list)."""
    return (
        Organisation.objects.filter(OrganisationPolicy.suspended(actor))
        .select_related("region", "region__parent")
        .order_by("-updated_at", "-id")
    )


def suspension_of(*, actor: Actor) -> list[dict]:
    """The actor's own suspended organisations, each with the reason, the date and the governing region.

    Shown to their members on every page (the banner): they may still log in and read their records, and
    should learn why they cannot act and whom to ask. No query unless the actor belongs to an organisation
    that cannot act (pending, rejected or suspended).
    """
    held = actor.organisation_ids - actor.acting_organisation_ids
    if not held:
        return []
    orgs = list(
        OrganisationPolicy.visible_qs(actor)
        .filter(pk__in=held, status=OrgStatus.SUSPENDED)
        .select_related("region", "region__parent")
        .order_by("id")
    )
    if not orgs:
        return []
    recorded = _suspending_bureaus([o.pk for o in orgs])
    return [
        {
            "org": o,
            "since": o.suspended_at,
            "reason": o.review_note,
            "region": f"{o.region.parent.name if o.region.parent else ''}{o.region.name}",
            "bureau": _bureau_name(recorded.get(o.pk) or _nearest_bureau(region_code=o.region_id)),
        }
        for o in orgs
    ]


def _suspending_bureaus(org_ids: list[int]) -> dict[int, dict]:
    """Per organisation, the bureau its latest suspension was recorded with (`organisation_suspend` keeps it in
    the audit event's data); organisations suspended by the platform, or before it was kept, are missing."""
    events = (
        AuditEvent.objects.filter(  # tenancy-ok: the suspension events of organisations the caller resolved
            verb="org.suspended",
            target_type=Organisation._meta.label_lower,
            target_id__in=[str(i) for i in org_ids],
        )
        .order_by("created_at", "id")
        .values_list("target_id", "data")
    )
    out: dict[int, dict] = {}
    for target_id, data in events:
        bureau = (data or {}).get("bureau")
        out[int(target_id)] = bureau if isinstance(bureau, dict) and bureau.get("region") else None
    return {pk: b for pk, b in out.items() if b}


def _bureau_memberships(region_codes: tuple[str, ...], user_id: int | None = None) -> list[Membership]:
    qs = Membership.objects.filter(  # tenancy-ok: bureaus' names are public (whom a suspended member asks)
        role=Role.REGION_BUREAU, is_active=True, region_id__in=region_codes
    )
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    return list(qs.select_related("region").order_by("id"))


def _nearest(region_code: str, user_id: int | None = None) -> dict | None:
    codes = (region_code, *region_selectors.region_ancestor_codes(region_code))
    found = _bureau_memberships(codes, user_id)
    for code in codes:  # nearest first; of several memberships of one region, the first with a title
        here = sorted((m for m in found if m.region_id == code), key=lambda m: (not m.title, m.pk))
        if here:
            return {"region": code, "region_name": here[0].region.name, "title": here[0].title}
    return None


def acting_bureau(*, actor: Actor, region_code: str) -> dict | None:
    """The bureau the actor acts as for `region_code`: its bureau role nearest to that region (None for the
    platform acting without one), as recorded with a suspension: region code, region name, title."""
    if actor.user_id is None or not actor.governs_region(region_code) or not actor.bureau_region_codes:
        return None
    return _nearest(region_code, actor.user_id)


def _nearest_bureau(*, region_code: str) -> dict | None:
    """The nearest bureau that exists (has an active account) governing `region_code`: itself, then upwards."""
    return _nearest(region_code)


def _bureau_name(bureau: dict | None) -> str:
    """A bureau as its members know it: its account's title (嘉兴市科技局), else the region's sci-tech bureau;
    "" when there is none."""
    if not bureau:
        return ""
    return bureau.get("title") or gettext("%(region)s科技主管部门") % {
        "region": bureau.get("region_name", "")
    }


def rename_queue(*, actor: Actor) -> QuerySet[Organisation]:
    """Renames of verified organisations waiting for the actor's review, oldest request first."""
    return (
        Organisation.objects.filter(OrganisationPolicy.rename_queue(actor))
        .select_related("region", "region__parent")
        .order_by("updated_at", "id")
    )


def counts_by_kind(*, region_codes: frozenset[str]) -> list[dict]:
    """Public (`OrganisationPolicy.public`): approved organisations in the regions, counted by kind."""
    labels = dict(OrgKind.choices)
    rows = approved_in_regions(region_codes).order_by().values("kind").annotate(n=Count("id")).order_by("-n")
    return [
        {
            "kind": r["kind"],
            "label": gettext(labels[r["kind"]]) if r["kind"] in labels else r["kind"],
            "count": r["n"],
        }
        for r in rows
    ]


def approved_in_regions(region_codes: frozenset[str]) -> QuerySet[Organisation]:
    """Public (`OrganisationPolicy.public`): approved organisations located in the given regions."""
    return Organisation.objects.filter(OrganisationPolicy.public(), region_id__in=region_codes)


def approved_by_ids(*, ids: list[int]) -> list[Organisation]:
    """Public (`OrganisationPolicy.public`): the approved organisations among these ids, in id order."""
    return list(Organisation.objects.filter(OrganisationPolicy.public(), pk__in=ids).order_by("id"))


def memberships_of(*, actor: Actor) -> QuerySet[Membership]:
    """The actor's own active memberships (the "me" page)."""
    return (
        MembershipPolicy.visible_qs(actor)
        .filter(user_id=actor.user_id, is_active=True)
        .select_related("organisation", "region", "zone")
    )


def own_organisations(*, actor: Actor) -> list[Organisation]:
    """The organisations the actor is a member of, for "act on behalf of" choices on forms."""
    return list(OrganisationPolicy.visible_qs(actor).filter(pk__in=actor.organisation_ids).order_by("id"))
