"""Writes of the talent library: profiles, experts, zone sharing, schemes and cards, agreements, appointments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xietong.core import audit, clock
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Forbidden
from xietong.core.excel import ImportReport, RowError
from xietong.orgs import selectors as org_selectors
from xietong.regions import selectors as region_selectors
from xietong.talent import errors, selectors
from xietong.talent.enums import AppointmentStatus, SchemeKind
from xietong.talent.excel import AGREEMENT_COLUMNS, EXPERT_COLUMNS, PROFILE_COLUMNS
from xietong.talent.models import (
    Agreement,
    AgreementVersion,
    Appointment,
    CardHolding,
    ExpertEntry,
    Scheme,
    SchemeService,
    SchemeTier,
    TalentProfile,
    VersionGrant,
    ZoneSharing,
)
from xietong.talent.policies import (
    AgreementPolicy,
    AppointmentPolicy,
    ExpertPolicy,
    SchemePolicy,
    TalentProfilePolicy,
    ZoneSharingPolicy,
)
from xietong.talent.validation import Cleaner, clean_profile


def _invalid(cleaner: Cleaner) -> errors.TalentInvalid:
    return errors.TalentInvalid("；".join(cleaner.errors.values()), errors=cleaner.errors)


def _org(actor: Actor, org_id: Any):
    return org_selectors.organisation_get(actor=actor, org_id=org_id)


# ---------------------------------------------------------------- profiles


@transaction.atomic
def profile_create(*, actor: Actor, organisation_id: int, raw: dict[str, Any]) -> TalentProfile:
    org = _org(actor, organisation_id)
    TalentProfilePolicy.require(actor, "create_for", org)
    cleaner = clean_profile(raw)
    if cleaner.errors:
        raise _invalid(cleaner)
    profile = TalentProfile.objects.create(organisation=org, region_id=org.region_id, **cleaner.data)
    audit.record(actor=actor, verb="talent.profile_created", target=profile)
    return profile


@transaction.atomic
def profile_update(*, actor: Actor, profile_id: int, raw: dict[str, Any]) -> TalentProfile:
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    TalentProfilePolicy.require(actor, "update", profile)
    merged = {f: getattr(profile, f) for f in ("name", "discipline", "title_rank", "tier", "position",
                                                 "expertise", "keywords", "phone", "email")}  # fmt: skip
    merged.update({k: v for k, v in raw.items() if v is not None})
    cleaner = clean_profile(merged)
    if cleaner.errors:
        raise _invalid(cleaner)
    changed = [k for k, v in cleaner.data.items() if getattr(profile, k) != v]
    for key in changed:
        setattr(profile, key, cleaner.data[key])
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
        audit.record(actor=actor, verb="talent.profile_updated", target=profile, data={"fields": changed})
    return profile


@transaction.atomic
def profile_link_achievements(
    *, actor: Actor, profile_id: int, achievement_ids: Sequence[int]
) -> TalentProfile:
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    TalentProfilePolicy.require(actor, "update", profile)
    _, achievements = selectors.review_sources(
        actor=actor, applications=[], achievements=list(achievement_ids)
    )
    profile.achievements.set(achievements)
    profile.save(update_fields=["updated_at"])
    audit.record(actor=actor, verb="talent.achievements_linked", target=profile,
                 data={"achievements": [a.pk for a in achievements]})  # fmt: skip
    return profile


def _header(columns, key: str) -> str:
    """The workbook header of a cleaned field, so a row error names the column the user sees in the file."""
    return next((c.header for c in columns if c.key == key), key)


def profiles_import(*, actor: Actor, rows: Sequence[tuple[int, dict[str, str]]]) -> ImportReport:
    """Validate every row, then create every profile or none; each bad row is reported in Chinese."""
    if not TalentProfilePolicy.can(actor, "import"):
        raise Forbidden(gettext("只有地区科技主管部门或平台管理员可以导入人才档案"))
    report = ImportReport(total_rows=len(rows))
    if not rows:
        report.errors.append(RowError(0, "", gettext("工作簿中没有数据行")))
        return report
    orgs = selectors.organisations_by_credit_code(
        actor=actor, codes=[r.get("credit_code", "").strip().upper() for _, r in rows]
    )
    cleaned = []
    for number, row in rows:
        cleaner = clean_profile(row)
        org = orgs.get(row.get("credit_code", "").strip().upper())
        if org is None:
            cleaner.errors["credit_code"] = gettext("所在单位的统一社会信用代码在平台上找不到")
        elif not TalentProfilePolicy.can(actor, "create_for", org):
            cleaner.errors["credit_code"] = gettext("%(name)s 不在您的辖区内") % {"name": org.name}
        for key, message in cleaner.errors.items():
            report.errors.append(RowError(number, _header(PROFILE_COLUMNS, key), message))
        if not cleaner.errors:
            cleaned.append(TalentProfile(organisation=org, region_id=org.region_id, **cleaner.data))
    if report.errors:
        return report
    with transaction.atomic():
        created = TalentProfile.objects.bulk_create(cleaned, batch_size=500)
        ids = [p.pk for p in created if p.pk is not None]
        audit.record_many(actor=actor, verb="talent.profile_imported", model=TalentProfile, target_ids=ids)
    report.created = len(created)
    return report


# ---------------------------------------------------------------- expert library


def _clean_expert(raw: dict[str, Any]) -> Cleaner:
    c = Cleaner(raw)
    c.day("term_start", "聘期开始")
    c.day("term_end", "聘期结束")
    c.words("fields", "评审领域", limit=8)
    c.integer("yearly_cap", "年度评审上限", low=1, high=200, default=20)
    if c.data.get("term_start") and c.data.get("term_end") and c.data["term_end"] < c.data["term_start"]:
        c.errors["term_end"] = gettext("聘期结束不能早于聘期开始")
    return c


@transaction.atomic
def expert_admit(*, actor: Actor, profile_id: int, region_code: str, raw: dict[str, Any]) -> ExpertEntry:
    """入库: a bureau admits a profile into its region's library for a term."""
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    region = region_selectors.region_get(region_code)
    ExpertPolicy.require(actor, "admit_in", region.code)
    cleaner = _clean_expert(raw)
    if cleaner.errors:
        raise _invalid(cleaner)
    if ExpertEntry.objects.filter(profile=profile).exists():  # tenancy-ok: uniqueness check before a write
        raise Conflict(gettext("%(name)s 已在专家库中") % {"name": profile.name})
    expert = ExpertEntry.objects.create(profile=profile, region=region, **cleaner.data)
    audit.record(actor=actor, verb="talent.expert_admitted", target=expert, data={"region": region.code})
    return expert


@transaction.atomic
def expert_update(
    *, actor: Actor, expert_id: int, is_available: bool | None = None, status: str | None = None,
    yearly_cap: int | None = None,
) -> ExpertEntry:  # fmt: skip
    expert = selectors.expert_get(actor=actor, expert_id=expert_id)
    ExpertPolicy.require(actor, "update", expert)
    from xietong.talent.enums import ExpertStatus

    if status is not None and status not in ExpertStatus.values:
        raise errors.TalentInvalid(gettext("专家状态无效"))
    if yearly_cap is not None and not 1 <= yearly_cap <= 200:
        raise errors.TalentInvalid(gettext("年度评审上限应在 1 到 200 之间"))
    changes = {k: v for k, v in (("is_available", is_available), ("status", status), ("yearly_cap", yearly_cap))
               if v is not None}  # fmt: skip
    for key, value in changes.items():
        setattr(expert, key, value)
    if changes:
        expert.save(update_fields=[*changes, "updated_at"])
        audit.record(
            actor=actor,
            verb="talent.expert_updated",
            target=expert,
            data={k: str(v) for k, v in changes.items()},
        )
    return expert


@transaction.atomic
def expert_declare(
    *, actor: Actor, expert_id: int, org_ids: Sequence[int], profile_ids: Sequence[int]
) -> ExpertEntry:
    """The expert (or their bureau) declares the organisations and persons they must not review."""
    expert = selectors.expert_get(actor=actor, expert_id=expert_id)
    ExpertPolicy.require(actor, "declare", expert)
    orgs = [_org(actor, pk) for pk in dict.fromkeys(org_ids)]
    people = [selectors.profile_get(actor=actor, profile_id=pk) for pk in dict.fromkeys(profile_ids)]
    expert.avoid_orgs.set(orgs)
    expert.avoid_profiles.set(people)
    expert.save(update_fields=["updated_at"])
    audit.record(actor=actor, verb="talent.expert_declared", target=expert,
                 data={"orgs": [o.pk for o in orgs], "profiles": [p.pk for p in people]})  # fmt: skip
    return expert


def experts_import(*, actor: Actor, rows: Sequence[tuple[int, dict[str, str]]]) -> ImportReport:
    """Admit experts from a workbook (profile by name + unit credit code), all or nothing."""
    if not ExpertPolicy.can(actor, "import"):
        raise Forbidden(gettext("只有地区科技主管部门或平台管理员可以导入专家"))
    report = ImportReport(total_rows=len(rows))
    if not rows:
        report.errors.append(RowError(0, "", gettext("工作簿中没有数据行")))
        return report
    pending = []
    for number, row in rows:
        cleaner = _clean_expert(row)
        region_code = (row.get("region") or "").strip()
        if not ExpertPolicy.can(actor, "admit_in", region_code):
            cleaner.errors["region"] = gettext("入库地区“%(region_code)s”不在您的辖区内") % {
                "region_code": region_code
            }
        profile = selectors.profile_by_name(
            actor=actor,
            name=(row.get("name") or "").strip(),
            credit_code=(row.get("credit_code") or "").strip().upper(),
        )
        if profile is None:
            cleaner.errors["name"] = gettext("找不到该姓名与单位对应的人才档案")
        elif ExpertEntry.objects.filter(
            profile=profile
        ).exists():  # tenancy-ok: uniqueness check before a write
            cleaner.errors["name"] = gettext("%(name)s 已在专家库中") % {"name": profile.name}
        elif any(p is profile or p.pk == profile.pk for p, _, _ in pending):
            cleaner.errors["name"] = gettext("同一人在表中出现多次")
        for key, message in cleaner.errors.items():
            report.errors.append(RowError(number, _header(EXPERT_COLUMNS, key), message))
        if not cleaner.errors:
            pending.append((profile, region_code, cleaner.data))
    if report.errors:
        return report
    with transaction.atomic():
        created = [ExpertEntry.objects.create(profile=p, region_id=code, **data) for p, code, data in pending]
        audit.record_many(
            actor=actor, verb="talent.expert_imported", model=ExpertEntry, target_ids=[e.pk for e in created]
        )
    report.created = len(created)
    return report


@transaction.atomic
def zone_sharing_set(*, actor: Actor, zone_code: str, shares_experts: bool) -> ZoneSharing:
    zone = region_selectors.zone_get(zone_id_or_code=zone_code)
    ZoneSharingPolicy.require(actor, "set", zone)
    sharing, _ = ZoneSharing.objects.update_or_create(zone=zone, defaults={"shares_experts": shares_experts})
    audit.record(actor=actor, verb="talent.zone_sharing_set", target=sharing, data={"shares": shares_experts})
    return sharing


# ---------------------------------------------------------------- schemes, cards, agreements


@transaction.atomic
def scheme_create(
    *,
    actor: Actor,
    name: str,
    region_code: str,
    kind: str = SchemeKind.TALENT_CARD,
    tiers: Sequence[tuple[str, str]],
    services: Sequence[dict[str, Any]] = (),
    description: str = "",
    is_illustrative: bool = False,
) -> Scheme:
    """A scheme with its tiers (code, name; the first is the highest) and its home services."""
    region = region_selectors.region_get(region_code)
    SchemePolicy.require(actor, "manage_in", region.code)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise errors.TalentInvalid(gettext("制度名称不能为空，且不超过 60 个字"))
    if kind not in SchemeKind.values:
        raise errors.TalentInvalid(gettext("制度类型无效"))
    codes = [c.strip() for c, _ in tiers]
    if not tiers or len(set(codes)) != len(codes) or not all(codes) or len(tiers) > 10:
        raise errors.TalentInvalid(gettext("等级不能为空（至多 10 个），代码不能重复"))
    if Scheme.objects.filter(name=name).exists():  # tenancy-ok: uniqueness of the scheme name
        raise Conflict(gettext("已有名为“%(name)s”的制度") % {"name": name})
    scheme = Scheme.objects.create(name=name, region=region, kind=kind, description=description[:2000],
                                   is_illustrative=is_illustrative)  # fmt: skip
    by_code = {}
    for rank, (code, tier_name) in enumerate(tiers, start=1):
        by_code[code.strip()] = SchemeTier.objects.create(
            scheme=scheme, code=code.strip()[:10], name=(tier_name or code).strip()[:30], rank=rank
        )
    seen = set()
    for service in services:
        label = str(service.get("name", "")).strip()
        lowest = by_code.get(str(service.get("min_tier", "")).strip())
        if not label or label in seen or len(label) > 40:
            raise errors.TalentInvalid(gettext("服务名称“%(label)s”为空、过长或重复") % {"label": label})
        if lowest is None:
            raise errors.TalentInvalid(
                gettext("服务“%(label)s”的适用最低等级不是本制度的等级") % {"label": label}
            )
        seen.add(label)
        SchemeService.objects.create(scheme=scheme, name=label, detail=str(service.get("detail", ""))[:300],
                                     max_rank=lowest.rank, article=str(service.get("article", ""))[:120])  # fmt: skip
    audit.record(actor=actor, verb="talent.scheme_created", target=scheme)
    return scheme


@transaction.atomic
def card_issue(*, actor: Actor, profile_id: int, scheme_id: int, tier_code: str, number: str = "",
               issued_on: date | None = None, expires_on: date | None = None) -> CardHolding:  # fmt: skip
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    scheme = selectors.scheme_get(actor=actor, scheme_id=scheme_id)
    SchemePolicy.require(actor, "issue_card", scheme)
    tier = selectors.tier_get(actor=actor, scheme=scheme, code=tier_code)
    issued_on = issued_on or clock.today()
    number = (number or "").strip()
    if len(number) > 40:
        raise errors.TalentInvalid(gettext("证号不超过 40 个字符"), field="number")
    if expires_on and expires_on < issued_on:
        raise errors.TalentInvalid(gettext("有效期不能早于发放日期"), field="expires_on")
    if CardHolding.objects.filter(profile=profile, tier__scheme=scheme).exists():  # tenancy-ok: uniqueness
        raise Conflict(gettext("%(name)s 已持有%(name2)s") % {"name": profile.name, "name2": scheme.name})
    card = CardHolding.objects.create(profile=profile, tier=tier, number=number[:40], issued_on=issued_on,
                                      expires_on=expires_on)  # fmt: skip
    audit.record(actor=actor, verb="talent.card_issued", target=card, data={"tier": tier.code})
    return card


@transaction.atomic
def agreement_create(
    *, actor: Actor, scheme_id: int, host_region_code: str, title: str, document: str = ""
) -> Agreement:
    scheme = selectors.scheme_get(actor=actor, scheme_id=scheme_id)
    region = region_selectors.region_get(host_region_code)
    AgreementPolicy.require(actor, "manage_in", region.code)
    title = (title or "").strip()
    if not title or len(title) > 120:
        raise errors.TalentInvalid(gettext("协议名称不能为空，且不超过 120 个字"))
    if region.code == scheme.region_id:
        raise errors.TalentInvalid(gettext("服务地区就是该制度的发放地区，无需互认协议"))
    if Agreement.objects.filter(scheme=scheme, host_region=region).exists():  # tenancy-ok: uniqueness
        raise Conflict(
            gettext("%(name)s 已有认可%(name2)s的协议，请为它增加新版本")
            % {"name": region.name, "name2": scheme.name}
        )
    agreement = Agreement.objects.create(
        scheme=scheme, host_region=region, title=title, document=document[:200]
    )
    audit.record(actor=actor, verb="talent.agreement_created", target=agreement)
    return agreement


def _overlaps(agreement: Agreement, start: date, end: date | None) -> AgreementVersion | None:
    far = date(9999, 12, 31)
    for version in (
        AgreementVersion.objects.select_for_update().filter(agreement=agreement).order_by("effective_from")
    ):
        if start <= (version.effective_to or far) and version.effective_from <= (end or far):
            return version
    return None


@transaction.atomic
def agreement_version_add(
    *,
    actor: Actor,
    agreement_id: int,
    effective_from: date,
    effective_to: date | None,
    min_tier: str,
    grants: Sequence[tuple[str, str]],
    note: str = "",
) -> AgreementVersion:
    """A new version of the terms; a version whose dates overlap an existing one is refused (409), so the
    answer for any day is one version. A version that starts next month leaves today's answer as it is."""
    agreement = selectors.agreement_get(actor=actor, agreement_id=agreement_id)
    AgreementPolicy.require(actor, "update", agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if effective_to is not None and effective_to < effective_from:
        raise errors.TalentInvalid(gettext("失效日期不能早于生效日期"))
    scheme = selectors.scheme_get(actor=actor, scheme_id=agreement.scheme_id)
    tier = selectors.tier_get(actor=actor, scheme=scheme, code=min_tier)
    cleaned = [(str(s).strip(), str(a).strip()) for s, a in grants]
    if not cleaned or any(not s or not a or len(s) > 40 or len(a) > 120 for s, a in cleaned):
        raise errors.TalentInvalid(gettext("每项服务都要写明服务名称（≤40 字）和授予它的条款（≤120 字）"))
    if len({s for s, _ in cleaned}) != len(cleaned):
        raise errors.TalentInvalid(gettext("同一版本中服务名称不能重复"))
    clash = _overlaps(agreement, effective_from, effective_to)
    if clash is not None:
        until = clash.effective_to.isoformat() if clash.effective_to else gettext("长期")
        raise errors.OverlappingVersion(
            gettext(
                "新版本的有效期与第 %(number)s 版（%(effective_from)s 至 %(until)s）重叠；请先为旧版本设定失效日期，或调整新版本的生效日期"
            )
            % {"number": clash.number, "effective_from": clash.effective_from.isoformat(), "until": until}
        )
    number = (agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = AgreementVersion.objects.create(agreement=agreement, number=number, effective_from=effective_from,
                                              effective_to=effective_to, max_rank=tier.rank, note=note[:300])  # fmt: skip
    version.grant_list = VersionGrant.objects.bulk_create(
        [VersionGrant(version=version, service=s, article=a) for s, a in cleaned]
    )
    audit.record(actor=actor, verb="talent.agreement_version_added", target=version,
                 data={"agreement": agreement.pk, "from": effective_from.isoformat()})  # fmt: skip
    return version


@transaction.atomic
def agreement_version_close(
    *, actor: Actor, agreement_id: int, number: int, effective_to: date
) -> AgreementVersion:
    """Set the last day of an open-ended version (so a successor can start the day after)."""
    agreement = selectors.agreement_get(actor=actor, agreement_id=agreement_id)
    AgreementPolicy.require(actor, "update", agreement)
    version = AgreementVersion.objects.select_for_update().filter(agreement=agreement, number=number).first()
    if version is None:
        raise errors.AgreementNotFound(gettext("第 %(number)s 版不存在") % {"number": number})
    if effective_to < version.effective_from:
        raise errors.TalentInvalid(gettext("失效日期不能早于生效日期"))
    later = AgreementVersion.objects.select_for_update().filter(
        agreement=agreement, effective_from__gt=version.effective_from, effective_from__lte=effective_to
    )
    if version.effective_to is not None and effective_to > version.effective_to and later.exists():
        raise errors.OverlappingVersion(gettext("延长后的有效期会与后续版本重叠"))
    version.effective_to = effective_to
    version.save(update_fields=["effective_to"])
    audit.record(
        actor=actor,
        verb="talent.agreement_version_closed",
        target=version,
        data={"to": effective_to.isoformat()},
    )
    return version


def agreements_import(*, actor: Actor, rows: Sequence[tuple[int, dict[str, str]]]) -> ImportReport:
    """Agreement versions from a workbook, one row per granted service; all rows or none are written."""
    if not AgreementPolicy.can(actor, "import"):
        raise Forbidden(gettext("只有地区科技主管部门或平台管理员可以导入互认协议"))
    report = ImportReport(total_rows=len(rows))
    if not rows:
        report.errors.append(RowError(0, "", gettext("工作簿中没有数据行")))
        return report
    groups: dict[tuple, dict] = {}
    for number, row in rows:
        c = Cleaner(row)
        c.text("title", "协议名称", 120, required=True)
        c.text("scheme", "被认可制度", 60, required=True)
        c.text("host_region", "服务地区", 6, required=True)
        c.text("min_tier", "适用最低等级", 10, required=True)
        c.day("effective_from", "生效日期")
        c.day("effective_to", "失效日期", required=False)
        c.text("service", "服务", 40, required=True)
        c.text("article", "条款", 120, required=True)
        scheme = selectors.scheme_by_name(actor=actor, name=c.data.get("scheme", ""))
        if "scheme" not in c.errors and scheme is None:
            c.errors["scheme"] = gettext("制度“%(scheme)s”不存在") % {"scheme": c.data["scheme"]}
        if "host_region" not in c.errors and not AgreementPolicy.can(
            actor, "manage_in", c.data["host_region"]
        ):
            c.errors["host_region"] = gettext("服务地区“%(host_region)s”不在您的辖区内") % {
                "host_region": c.data["host_region"]
            }
        for key, message in c.errors.items():
            report.errors.append(RowError(number, _header(AGREEMENT_COLUMNS, key), message))
        if not c.errors:
            key = (scheme.pk, c.data["host_region"], c.data["effective_from"])
            group = groups.setdefault(key, {**c.data, "scheme_id": scheme.pk, "grants": [], "row": number})
            group["grants"].append((c.data["service"], c.data["article"]))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for group in groups.values():
                agreement = selectors.agreement_for(
                    actor=actor, scheme_id=group["scheme_id"], host_region=group["host_region"]
                )
                if agreement is None:
                    agreement = agreement_create(actor=actor, scheme_id=group["scheme_id"],
                                                 host_region_code=group["host_region"], title=group["title"])  # fmt: skip
                agreement_version_add(actor=actor, agreement_id=agreement.pk, effective_from=group["effective_from"],
                                      effective_to=group["effective_to"], min_tier=group["min_tier"],
                                      grants=group["grants"])  # fmt: skip
                report.created += 1
    except (errors.TalentInvalid, errors.OverlappingVersion, Conflict) as exc:
        report.created = 0
        report.errors.append(
            RowError(group["row"], _header(AGREEMENT_COLUMNS, "effective_from"), exc.message)
        )
    return report


# ---------------------------------------------------------------- appointments


@transaction.atomic
def appointment_offer(
    *,
    actor: Actor,
    profile_id: int,
    host_org_id: int,
    role: str,
    start_on: date,
    end_on: date,
    time_share: int,
) -> Appointment:
    """A host organisation offers a part-time post; it waits for the home organisation's consent."""
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    host = _org(actor, host_org_id)
    AppointmentPolicy.require(actor, "offer_from", host)
    role = (role or "").strip()
    if not role or len(role) > 60:
        raise errors.TalentInvalid(gettext("岗位不能为空，且不超过 60 个字"))
    if host.pk == profile.organisation_id:
        raise errors.TalentInvalid(gettext("聘用单位不能是本人所在单位"))
    if end_on < start_on:
        raise errors.TalentInvalid(gettext("结束日期不能早于开始日期"))
    if not 1 <= time_share <= 50:
        raise errors.TalentInvalid(gettext("兼职工作时间占比应在 1% 到 50% 之间（保留原单位身份）"))
    appt = Appointment.objects.create(profile=profile, host_org=host, home_org_id=profile.organisation_id,
                                      role=role, start_on=start_on, end_on=end_on, time_share=time_share)  # fmt: skip
    audit.record(actor=actor, verb="talent.appointment_offered", target=appt)
    return appt


@transaction.atomic
def appointment_answer(*, actor: Actor, appointment_id: int, consent: bool) -> Appointment:
    appt = selectors.appointment_get(actor=actor, appointment_id=appointment_id)
    AppointmentPolicy.require(actor, "consent", appt)
    appt = Appointment.objects.select_for_update().get(pk=appt.pk)
    if appt.status != AppointmentStatus.OFFERED:
        raise Conflict(gettext("该聘用已答复"))
    appt.status = AppointmentStatus.ACTIVE if consent else AppointmentStatus.REFUSED
    appt.answered_at = clock.now()
    appt.save(update_fields=["status", "answered_at"])
    audit.record(actor=actor, verb="talent.appointment_answered", target=appt, data={"consent": consent})
    return appt


@transaction.atomic
def appointment_end(*, actor: Actor, appointment_id: int) -> Appointment:
    appt = selectors.appointment_get(actor=actor, appointment_id=appointment_id)
    AppointmentPolicy.require(actor, "end", appt)
    if appt.status != AppointmentStatus.ACTIVE:
        raise Conflict(gettext("只有履职中的聘用可以结束"))
    appt.status = AppointmentStatus.ENDED
    appt.end_on = min(appt.end_on, max(appt.start_on, clock.today()))
    appt.save(update_fields=["status", "end_on"])
    audit.record(actor=actor, verb="talent.appointment_ended", target=appt)
    return appt
