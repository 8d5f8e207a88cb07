"""Every write to organisations and memberships: one function per use case, transactional, audited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xietong.core import audit, clock, usernames
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.core.excel import ImportReport, RowError
from xietong.core.roles import Role
from xietong.orgs import selectors
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Membership, Organisation
from xietong.orgs.policies import MembershipPolicy, OrganisationPolicy
from xietong.orgs.signals import organisation_status_changed
from xietong.orgs.validation import FIELD_LABELS, OrgData, RegionResolver, clean_org, require_clean

User = get_user_model()
UPDATABLE_FIELDS = (
    "name", "industry", "is_high_tech", "is_tech_sme", "is_little_giant", "address", "website",
    "description", "contact_name", "contact_phone", "contact_email",
)  # fmt: skip


def _ensure_code_free(code: str) -> None:
    if Organisation.objects.filter(
        credit_code=code
    ).exists():  # tenancy-ok: uniqueness check, nothing returned
        raise Conflict(_("统一社会信用代码 %(code)s 已被其他机构注册") % {"code": code}, field="credit_code")


def _ensure_username_free(username: str) -> None:
    """`username` is canonical; `iexact` also catches accounts stored before usernames were canonical."""
    if User.objects.filter(username__iexact=username).exists():
        raise usernames.username_taken_error(username)


def _clean_display_name(display_name: str) -> str:
    """Blank keeps the username as the shown name; otherwise no role claim and no copy of another user's."""
    if not (display_name or "").strip():
        return ""
    name = usernames.clean_display_name(display_name)
    if User.objects.filter(first_name__iexact=name).exists():
        raise Conflict(
            _("姓名“%(name)s”与平台上另一位用户相同，请在姓名后注明单位或部门以示区分") % {"name": name},
            field="display_name",
        )
    return name


@transaction.atomic
def organisation_register(
    *, username: str, password: str, display_name: str, email: str, raw: dict[str, Any]
) -> Organisation:
    """Self-registration of an enterprise: a new user becomes its admin; the bureau of its region reviews it.

    The username is compared and stored in its canonical form (core.usernames), so `ADMIN` or `admin` with
    a zero-width space is "taken" when `admin` exists, and a full-width name is refused before any write.
    """
    data = require_clean(raw)
    if data.kind != OrgKind.ENTERPRISE:
        raise Invalid(_("自助注册仅面向企业；高校、院所等机构请联系所在地科技主管部门开通"), field="kind")
    username = usernames.clean_new_username(username)
    _ensure_username_free(username)
    display_name = _clean_display_name(display_name)
    try:
        validate_password(password)
    except ValidationError as exc:
        raise Invalid(
            _("密码不符合要求：%(messages)s") % {"messages": _("；").join(exc.messages)}, field="password"
        ) from exc
    _ensure_code_free(data.credit_code)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, password=password, email=email.strip(), first_name=display_name
            )
    except IntegrityError as exc:  # a concurrent registration took the name after the check
        raise usernames.username_taken_error(username) from exc
    org = Organisation.objects.create(**data.model_fields(), status=OrgStatus.PENDING, registered_by=user)
    Membership.objects.create(user=user, role=Role.ORG_ADMIN, organisation=org)
    actor = Actor(user_id=user.pk, username=user.username)
    audit.record(actor=actor, verb="org.registered", target=org, data={"credit_code": org.credit_code})
    return org


@transaction.atomic
def organisation_create(*, actor: Actor, raw: dict[str, Any]) -> Organisation:
    """A bureau (or platform admin) enters an organisation of its own region directly as approved."""
    data = require_clean(raw)
    OrganisationPolicy.require(actor, "create_in_region", data.region_code)
    _ensure_code_free(data.credit_code)
    org = Organisation.objects.create(
        **data.model_fields(),
        status=OrgStatus.APPROVED,
        reviewed_by_id=actor.user_id,
        reviewed_at=clock.now(),
    )
    audit.record(actor=actor, verb="org.created", target=org, data={"credit_code": org.credit_code})
    return org


@transaction.atomic
def organisation_review(*, actor: Actor, org_id: int, approve: bool, note: str = "") -> Organisation:
    """Approve or reject a pending registration; rejecting needs a reason the applicant can act on."""
    org = selectors.organisation_get(actor=actor, org_id=org_id)
    OrganisationPolicy.require(actor, "review", org)
    # re-read under lock after the policy check
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if org.status != OrgStatus.PENDING:
        raise Conflict(_("该机构当前状态为“%(status)s”，不能重复审核") % {"status": org.get_status_display()})
    note = note.strip()
    if not approve and not note:
        raise Invalid(_("驳回时请填写理由"), field="note")
    if len(note) > 300:
        raise Invalid(_("审核意见不能超过 300 个字符"), field="note")
    org.status = OrgStatus.APPROVED if approve else OrgStatus.REJECTED
    org.reviewed_by_id = actor.user_id
    org.reviewed_at = clock.now()
    org.review_note = note
    org.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    audit.record(
        actor=actor, verb="org.approved" if approve else "org.rejected", target=org, data={"note": note}
    )
    if approve:
        organisation_status_changed.send(sender=Organisation, organisation=org, previous=OrgStatus.PENDING)
    return org


@transaction.atomic
def organisation_suspend(*, actor: Actor, org_id: int, suspend: bool, note: str = "") -> Organisation:
    """Suspend an approved organisation (it drops out of directories, chains and figures, keeping its orders
    and ledgers, which is why organisations are never deleted) or reinstate a suspended one.

    Suspending needs a reason: it is stored on the organisation (`review_note`) and shown to its members,
    who can still log in and read their records but no longer act for it (`core.acting`). Reinstating takes
    an optional note, which replaces the reason.
    """
    org = selectors.organisation_get(actor=actor, org_id=org_id)
    OrganisationPolicy.require(actor, "suspend", org)
    # tenancy-ok: re-read under lock after the policy check
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    before, after = (
        (OrgStatus.APPROVED, OrgStatus.SUSPENDED) if suspend else (OrgStatus.SUSPENDED, OrgStatus.APPROVED)
    )
    if org.status != before:
        message = (
            _("该机构当前状态为“%(status)s”，不能暂停")
            if suspend
            else _("该机构当前状态为“%(status)s”，不能恢复")
        )
        raise Conflict(message % {"status": org.get_status_display()})
    note = note.strip()
    if suspend and not note:
        raise Invalid(_("暂停时请填写理由"), field="note")
    if len(note) > 300:
        too_long = _("暂停理由不能超过 300 个字符") if suspend else _("恢复说明不能超过 300 个字符")
        raise Invalid(too_long, field="note")
    org.status = after
    org.review_note = note
    org.suspended_at = clock.now() if suspend else None
    org.save(update_fields=["status", "review_note", "suspended_at", "updated_at"])
    data: dict[str, Any] = {"note": note}
    if suspend and (bureau := selectors.acting_bureau(actor=actor, region_code=org.region_id)):
        data["bureau"] = (
            bureau  # whom the members' banner names (the bureau that suspended, not their district's)
        )
    audit.record(actor=actor, verb="org.suspended" if suspend else "org.reinstated", target=org, data=data)
    organisation_status_changed.send(sender=Organisation, organisation=org, previous=before)
    return org


@transaction.atomic
def organisation_update(*, actor: Actor, org_id: int, changes: dict[str, Any]) -> Organisation:
    """Edit an organisation's profile; the credit code, type and region are fixed once registered.

    A verified organisation's own admin cannot rename it at will (to "清华大学", say): the new name waits
    in `pending_name` for the bureau (`organisation_rename_review`) and the public keeps the old one.
    """
    org = selectors.organisation_get(actor=actor, org_id=org_id)
    OrganisationPolicy.require(actor, "update", org)
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise Invalid(
            _("以下字段不可修改：%(items)s")
            % {"items": _("、").join(FIELD_LABELS.get(k, k) for k in sorted(unknown))}
        )
    current = {f: getattr(org, f) for f in UPDATABLE_FIELDS}
    merged = {**current, **changes, "credit_code": org.credit_code, "kind": org.kind, "region": org.region_id}
    data = require_clean(merged)
    changed = {f: getattr(data, f) for f in UPDATABLE_FIELDS if getattr(data, f) != current[f]}
    if "name" in changed and _rename_needs_review(actor, org):
        _rename_request(actor, org, changed.pop("name"))
    if changed:
        for field, value in changed.items():
            setattr(org, field, value)
        org.save(update_fields=[*changed, "updated_at"])
        audit.record(actor=actor, verb="org.updated", target=org, data={"fields": sorted(changed)})
    return org


def _rename_needs_review(actor: Actor, org: Organisation) -> bool:
    # A pending registration is under review with whatever name it carries; the reviewer renames directly.
    return org.status == OrgStatus.APPROVED and not OrganisationPolicy.can(actor, "review", org)


def _rename_request(actor: Actor, org: Organisation, new_name: str) -> None:
    org.pending_name = new_name
    org.save(update_fields=["pending_name", "updated_at"])
    audit.record(
        actor=actor, verb="org.rename_requested", target=org, data={"from": org.name, "to": new_name}
    )


@transaction.atomic
def organisation_rename_review(*, actor: Actor, org_id: int, approve: bool, note: str = "") -> Organisation:
    """The bureau governing the organisation approves (the new name goes public) or rejects a rename."""
    org = selectors.organisation_get(actor=actor, org_id=org_id)
    OrganisationPolicy.require(actor, "review", org)
    # tenancy-ok: re-read under lock after the policy check
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if not org.pending_name:
        raise Conflict(_("该机构没有待审核的更名申请"))
    note = (note or "").strip()
    if not approve and not note:
        raise Invalid(_("驳回时请填写理由"), field="note")
    if len(note) > 300:
        raise Invalid(_("审核意见不能超过 300 个字符"), field="note")
    old_name, new_name = org.name, org.pending_name
    if approve:
        org.name = new_name
    org.pending_name = ""
    org.save(update_fields=["name", "pending_name", "updated_at"])
    audit.record(
        actor=actor,
        verb="org.rename_approved" if approve else "org.rename_rejected",
        target=org,
        data={"from": old_name, "to": new_name, "note": note},
    )
    return org


def _validate_import_rows(
    actor: Actor, rows: Sequence[tuple[int, dict[str, str]]]
) -> tuple[list[OrgData], list[RowError]]:
    resolver = RegionResolver()
    errors: list[RowError] = []
    cleaned: list[OrgData] = []
    seen_codes: dict[str, int] = {}
    for number, raw in rows:
        data, field_errors = clean_org(raw, resolve_region=resolver)
        for field, message in field_errors.items():
            errors.append(RowError(number, FIELD_LABELS.get(field, field), message))
        if data is None:
            continue
        if not OrganisationPolicy.can(actor, "create_in_region", data.region_code):
            errors.append(
                RowError(
                    number,
                    "所在地区",
                    _("您无权在地区 %(region_code)s 登记机构（仅限本辖区）")
                    % {"region_code": data.region_code},
                )
            )
        if data.credit_code in seen_codes:
            errors.append(
                RowError(
                    number,
                    "统一社会信用代码",
                    _("与第 %(seen_codes)s 行重复：%(credit_code)s")
                    % {"seen_codes": seen_codes[data.credit_code], "credit_code": data.credit_code},
                )
            )
        seen_codes.setdefault(data.credit_code, number)
        cleaned.append(data)
    existing = Organisation.objects.filter(
        credit_code__in=list(seen_codes)
    )  # tenancy-ok: uniqueness check against the whole platform
    taken = set(existing.values_list("credit_code", flat=True))
    for code in sorted(taken, key=seen_codes.get):
        errors.append(
            RowError(
                seen_codes[code],
                "统一社会信用代码",
                _("%(code)s 已在平台登记，不能重复导入") % {"code": code},
            )
        )
    errors.sort(key=lambda e: (e.row, e.column))
    return cleaned, errors


def organisations_import(*, actor: Actor, rows: Sequence[tuple[int, dict[str, str]]]) -> ImportReport:
    """Validate every row first, then write all of them or none; the report lists each bad row in Chinese."""
    if not OrganisationPolicy.can(actor, "import"):
        raise Forbidden(_("只有地区科技主管部门或平台管理员可以批量导入机构"))
    report = ImportReport(total_rows=len(rows))
    if not rows:
        report.errors.append(RowError(0, "", _("工作簿中没有数据行")))
        return report
    cleaned, report.errors = _validate_import_rows(actor, rows)
    if report.errors:
        return report
    now = clock.now()
    with transaction.atomic():
        try:
            created = Organisation.objects.bulk_create(
                [
                    Organisation(
                        **d.model_fields(),
                        status=OrgStatus.APPROVED,
                        reviewed_by_id=actor.user_id,
                        reviewed_at=now,
                    )
                    for d in cleaned
                ],
                batch_size=500,
            )
        except IntegrityError as exc:  # a concurrent import took a code between validation and write
            raise Conflict(_("导入期间有统一社会信用代码被占用，请重新导入")) from exc
        created_ids = [o.pk for o in created]
        if any(pk is None for pk in created_ids):  # backends that do not return ids from bulk_create
            codes = [d.credit_code for d in cleaned]
            just_written = Organisation.objects.filter(
                credit_code__in=codes
            )  # tenancy-ok: the rows just written
            created_ids = list(just_written.values_list("pk", flat=True))
        audit.record_many(actor=actor, verb="org.imported", model=Organisation, target_ids=created_ids)
    report.created = len(created)
    return report


@transaction.atomic
def membership_grant(
    *, actor: Actor, user, role: Role, organisation: Organisation | None = None, region_code: str | None = None,
    zone_id: int | None = None, title: str = "",
) -> Membership:  # fmt: skip
    """Give a user a role in a scope. Platform admins grant anything; an org admin grants roles in its org."""
    candidate = Membership(
        user=user, role=role, organisation=organisation, region_id=region_code, zone_id=zone_id
    )
    MembershipPolicy.require(actor, "grant", candidate)
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, organisation=organisation, region_id=region_code, zone_id=zone_id,
        defaults={"title": title},
    )  # fmt: skip
    if created:
        audit.record(actor=actor, verb="membership.granted", target=membership, data={"role": str(role)})
    return membership
