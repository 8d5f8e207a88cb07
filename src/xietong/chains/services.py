"""Every write of the chains app: chain structure (import, presets, versions), attachments and their
measures, gap thresholds and roadmap milestones. Each checks the policy and records an audit event."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xietong.chains import selectors, structure, suggest
from xietong.chains.enums import AttachmentRole, AttachmentSource, AttachmentStatus, Stage
from xietong.chains.models import (
    Attachment,
    AttachmentMeasure,
    Chain,
    ChainVersion,
    GapThresholds,
    Milestone,
    Segment,
    SegmentEdge,
)
from xietong.chains.policies import (
    AttachmentPolicy,
    ChainPolicy,
    MeasurePolicy,
    MilestonePolicy,
    ThresholdsPolicy,
)
from xietong.chains.presets import CHAIN_PRESETS, SOURCE
from xietong.core import audit, clock, explanations
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Invalid
from xietong.core.excel import ImportReport, RowError
from xietong.core.money import FEN_PER_WAN_YUAN, MAX_FEN
from xietong.orgs import selectors as org_selectors
from xietong.orgs.enums import Industry, OrgStatus
from xietong.regions import selectors as region_selectors

# ---------------------------------------------------------------- the zone matrices after a change


def schedule_refresh() -> None:
    """After the current transaction commits, recompute the zone matrices in the background (tasks.py), so the
    first page after a change of links or structure reads them from disk instead of computing them."""
    from xietong.chains import tasks

    transaction.on_commit(tasks.refresh_zone_matrices)


def refresh_after_status_change(sender, **kwargs) -> None:
    """Receiver of `orgs.signals.organisation_status_changed`: only approved organisations' links count in a
    zone's matrix, so an approval, suspension or reinstatement changes it like a link would."""
    schedule_refresh()


# ---------------------------------------------------------------- chain structure


def _chain_fields(code: str, name: str, industry: str) -> None:
    if not structure.CODE_RE.match(code or "") or len(code) > 40:
        raise Invalid(gettext("产业链代码应为 1–40 位字母、数字、点、横线或下划线"), field="code")
    if not name or len(name) > 60:
        raise Invalid(gettext("产业链名称不能为空，且不超过 60 字"), field="name")
    if industry and industry not in Industry.values:
        raise Invalid(gettext("所属领域无效"), field="industry")


def chain_import(
    *, actor: Actor, code: str, name: str, rows: Sequence[tuple[int, dict[str, str]]], industry: str = "",
    description: str = "", note: str = "",
) -> ImportReport:  # fmt: skip
    """Validate every row as one graph, then write the chain's new structure (a new version) or nothing.

    Segments keep their identity by code, so attachments to a kept segment survive; removing a segment
    that organisations are attached to is refused (detach them first).
    """
    ChainPolicy.require(actor, "manage")
    _chain_fields(code, name, industry)
    report = ImportReport(total_rows=len(rows))
    cleaned, report.errors = structure.validate_rows(rows)
    if report.errors:
        return report
    chain = Chain.objects.filter(code=code).first()  # the import names its chain by code
    if chain is not None:
        kept = {s.code for s in cleaned}
        attached = selectors.attached_segment_codes(chain=chain)
        for lost in sorted(attached - kept):
            report.errors.append(
                RowError(
                    0, "环节代码", gettext("环节“%(lost)s”已有机构挂链，不能在导入中删除") % {"lost": lost}
                )
            )
        if report.errors:
            return report
    with transaction.atomic():
        chain = _write_structure(actor=actor, chain=chain, code=code, name=name, industry=industry,
                                 description=description, segments=cleaned, note=note or "Excel 导入")  # fmt: skip
    report.created = len(cleaned)
    return report


def _write_structure(*, actor: Actor, chain: Chain | None, code: str, name: str, industry: str, description: str,
                     segments: list[structure.SegmentRow], note: str, source: str = "", is_preset: bool = False) -> Chain:  # fmt: skip
    if chain is None:
        if Chain.objects.filter(name=name).exists():  # tenancy-ok: chains are public; a name is unique
            raise Conflict(gettext("已存在名为“%(name)s”的产业链") % {"name": name})
        chain = Chain.objects.create(code=code, name=name, industry=industry, description=description,
                                     source=source, is_preset=is_preset, version=1)  # fmt: skip
    else:
        chain = Chain.objects.select_for_update().get(pk=chain.pk)
        chain.name, chain.industry, chain.version = name, industry or chain.industry, chain.version + 1
        chain.description = description or chain.description
        chain.save(update_fields=["name", "industry", "version", "description", "updated_at"])
    existing = {s.code: s for s in Segment.objects.filter(chain=chain)}
    kept = {s.code for s in segments}
    Segment.objects.filter(chain=chain).exclude(code__in=kept).delete()
    SegmentEdge.objects.filter(chain=chain).delete()
    by_code: dict[str, Segment] = {}
    for position, row in enumerate(segments):
        seg = existing.get(row.code) or Segment(chain=chain, code=row.code)
        seg.name, seg.stage, seg.description, seg.position = row.name, row.stage, row.description, position
        seg.keywords, seg.tech_fields, seg.parent = list(row.keywords), list(row.tech_fields), None
        seg.save()
        by_code[row.code] = seg
    for row in segments:
        if row.parent:
            Segment.objects.filter(pk=by_code[row.code].pk).update(parent=by_code[row.parent])
    SegmentEdge.objects.bulk_create(
        [
            SegmentEdge(chain=chain, upstream=by_code[up], downstream=by_code[row.code])
            for row in segments
            for up in row.upstream
        ]
    )
    version = ChainVersion.objects.create(chain=chain, number=chain.version, note=note[:200], created_by_id=actor.user_id,
                                          snapshot={"segments": [_snapshot(r) for r in segments]})  # fmt: skip
    audit.record(
        actor=actor,
        verb="chain.structure_saved",
        target=chain,
        data={"version": version.number, "segments": len(segments)},
    )
    schedule_refresh()
    return chain


def _snapshot(row: structure.SegmentRow) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "stage": row.stage, "parent": row.parent, "upstream": list(row.upstream),
            "keywords": list(row.keywords), "tech_fields": list(row.tech_fields)}  # fmt: skip


def chain_presets_load(*, actor: Actor) -> int:
    """Create the preset chains that do not exist yet (idempotent); returns how many were created."""
    ChainPolicy.require(actor, "manage")
    created = 0
    for preset in CHAIN_PRESETS:
        if selectors.chain_exists(code=preset.code):
            continue
        rows = [
            (i + 2, {"code": s.code, "name": s.name, "stage": s.stage, "parent": s.parent, "upstream": ",".join(s.upstream),
                     "keywords": "、".join(s.keywords), "tech_fields": "、".join(s.tech_fields)})
            for i, s in enumerate(preset.segments)
        ]  # fmt: skip
        cleaned, errors = structure.validate_rows(rows)
        assert not errors, errors  # presets are checked by their own test
        with transaction.atomic():
            _write_structure(actor=actor, chain=None, code=preset.code, name=preset.name, industry=preset.industry,
                             description=preset.description, segments=cleaned, note="平台预置", source=SOURCE, is_preset=True)  # fmt: skip
        created += 1
    return created


# ---------------------------------------------------------------- attachments


@transaction.atomic
def attachment_add(
    *, actor: Actor, org_id: int, segment_id: int, role: str = AttachmentRole.PRIMARY
) -> Attachment:
    """An organisation declares a segment it works in (its members), or its bureau registers one (confirmed)."""
    org = org_selectors.organisation_get(actor=actor, org_id=org_id)
    if role not in AttachmentRole.values:
        raise Invalid(gettext("挂链角色应为 主营环节 或 配套环节"), field="role")
    segment = selectors.segment_by_id(segment_id=segment_id)
    by_bureau = AttachmentPolicy.can(actor, "register", org)
    if not by_bureau:
        AttachmentPolicy.require(actor, "declare", org)
    if org.status != OrgStatus.APPROVED:
        raise Conflict(gettext("该机构尚未通过认证，暂不能挂链"))
    now = clock.now()
    att = Attachment.objects.filter(organisation=org, segment=segment).select_for_update().first()
    if att is not None and att.status == AttachmentStatus.ACTIVE:
        raise Conflict(gettext("%(name)s已挂在“%(name2)s”环节") % {"name": org.name, "name2": segment.name})
    att = att or Attachment(organisation=org, segment=segment)
    att.region_id, att.role, att.created_by_id = org.region_id, role, actor.user_id
    att.source = AttachmentSource.BUREAU if by_bureau else AttachmentSource.DECLARED
    att.status, att.is_bureau_confirmed = AttachmentStatus.ACTIVE, by_bureau
    att.confirmed_by_id, att.confirmed_at = (actor.user_id, now) if by_bureau else (None, None)
    att.save()
    audit.record(
        actor=actor,
        verb="chain.attachment_added",
        target=att,
        data={"segment": segment.code, "source": att.source},
    )
    schedule_refresh()
    return att


def _locked(actor: Actor, pk: int) -> Attachment:
    att = selectors.attachment_get(actor=actor, pk=pk)
    return Attachment.objects.select_for_update().select_related("organisation", "segment").get(pk=att.pk)


@transaction.atomic
def attachment_confirm(*, actor: Actor, pk: int) -> Attachment:
    """A suggestion becomes active (its organisation or its bureau); a bureau's confirmation is marked as such."""
    att = _locked(actor, pk)
    AttachmentPolicy.require(actor, "confirm", att)
    by_bureau = actor.governs_region(att.region_id)
    if att.status == AttachmentStatus.ACTIVE and (att.is_bureau_confirmed or not by_bureau):
        raise Conflict(gettext("该挂链已确认"))
    att.status = AttachmentStatus.ACTIVE
    att.is_bureau_confirmed = att.is_bureau_confirmed or by_bureau
    att.confirmed_by_id, att.confirmed_at = actor.user_id, clock.now()
    att.save(update_fields=["status", "is_bureau_confirmed", "confirmed_by", "confirmed_at", "updated_at"])
    audit.record(actor=actor, verb="chain.attachment_confirmed", target=att, data={"by_bureau": by_bureau})
    schedule_refresh()
    return att


@transaction.atomic
def attachment_reject(*, actor: Actor, pk: int) -> Attachment:
    att = _locked(actor, pk)
    AttachmentPolicy.require(actor, "reject", att)
    if att.status == AttachmentStatus.REJECTED:
        raise Conflict(gettext("该挂链已驳回"))
    att.status, att.is_bureau_confirmed = AttachmentStatus.REJECTED, False
    att.confirmed_by_id, att.confirmed_at = actor.user_id, clock.now()
    att.save(update_fields=["status", "is_bureau_confirmed", "confirmed_by", "confirmed_at", "updated_at"])
    audit.record(actor=actor, verb="chain.attachment_rejected", target=att)
    schedule_refresh()
    return att


@transaction.atomic
def attachments_suggest(*, actor: Actor, org_id: int) -> list[Attachment]:
    """Suggest segments from the organisation's name and business scope; they wait for confirmation."""
    org = org_selectors.organisation_get(actor=actor, org_id=org_id)
    AttachmentPolicy.require(actor, "suggest", org)
    known = selectors.attached_segment_ids(actor=actor, org_id=org.pk)
    created = []
    for hit in suggest.suggest_segments(org):
        segment_id = int(hit.id)
        if segment_id in known:
            continue
        att = Attachment.objects.create(
            organisation=org, segment_id=segment_id, region_id=org.region_id, role=AttachmentRole.PRIMARY,
            source=AttachmentSource.SUGGESTED, status=AttachmentStatus.PENDING, score=round(hit.score, 4),
            reason=("根据机构名称与简介匹配：" + hit.explanation.render_zh())[:300],
            why=explanations.parts(hit.explanation), created_by_id=actor.user_id,
        )  # fmt: skip
        created.append(att)
    if created:
        audit.record_many(
            actor=actor,
            verb="chain.attachment_suggested",
            model=Attachment,
            target_ids=[a.pk for a in created],
        )
        schedule_refresh()  # suggestions count for nothing yet, but they move the data stamp
    return created


# ---------------------------------------------------------------- measures


def _wan_to_fen(text: Any, label: str) -> int | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        amount = Decimal(str(text).replace(",", "").strip())
    except InvalidOperation as exc:
        raise Invalid(gettext("%(label)s“%(text)s”不是有效数字") % {"label": label, "text": text}) from exc
    if not amount.is_finite():
        raise Invalid(gettext("%(label)s“%(text)s”不是有效数字") % {"label": label, "text": text})
    if amount < 0:
        raise Invalid(gettext("%(label)s不能为负数（%(text)s）") % {"label": label, "text": text})
    fen = amount * FEN_PER_WAN_YUAN
    if fen != fen.to_integral_value():
        raise Invalid(gettext("%(label)s“%(text)s”万元无法精确到分") % {"label": label, "text": text})
    if fen > MAX_FEN:
        raise Invalid(gettext("%(label)s“%(text)s”超出允许范围") % {"label": label, "text": text})
    return int(fen)


def _employees(text: Any) -> int | None:
    if text is None or str(text).strip() == "":
        return None
    value = str(text).strip()
    if not value.lstrip("-").isdigit():
        raise Invalid(gettext("从业人员“%(text)s”应为整数") % {"text": text})
    n = int(value)
    if n < 0:
        raise Invalid(gettext("从业人员不能为负数（%(text)s）") % {"text": text})
    if n > 10_000_000:
        raise Invalid(gettext("从业人员“%(text)s”超出允许范围") % {"text": text})
    return n


def _year(text: Any) -> int:
    value = str(text).strip() if text is not None else ""
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise Invalid(gettext("年度应为 1990–2100 之间的四位年份"))
    return int(value)


def clean_measure(raw: dict[str, Any]) -> dict[str, Any]:
    """Pure: year, revenue and output (万元 → 分), employees; a negative or non-numeric value is an Invalid."""
    out = {"year": _year(raw.get("year")), "revenue_fen": _wan_to_fen(raw.get("revenue_wan"), "营业收入"),
           "employees": _employees(raw.get("employees")), "output_fen": _wan_to_fen(raw.get("output_wan"), "产值")}  # fmt: skip
    if out["revenue_fen"] is None and out["employees"] is None and out["output_fen"] is None:
        raise Invalid(gettext("请至少填写营业收入、从业人员或产值中的一项"))
    return out


@transaction.atomic
def measure_set(*, actor: Actor, attachment_id: int, raw: dict[str, Any]) -> AttachmentMeasure:
    att = _locked(actor, attachment_id)
    AttachmentPolicy.require(actor, "edit_measures", att)
    values = clean_measure(raw)
    measure, _ = AttachmentMeasure.objects.update_or_create(
        attachment=att, year=values.pop("year"), defaults={**values, "updated_by_id": actor.user_id}
    )
    audit.record(actor=actor, verb="chain.measure_set", target=measure, data={"year": measure.year})
    return measure


def attachments_import(*, actor: Actor, rows: Sequence[tuple[int, dict[str, str]]]) -> ImportReport:
    """Bureaus register their region's links (and optional yearly measures) in bulk: all rows or none."""
    MeasurePolicy.require(actor, "import")
    report = ImportReport(total_rows=len(rows))
    if not rows:
        report.errors.append(RowError(0, "", gettext("工作簿中没有数据行")))
        return report
    orgs = selectors.organisations_by_credit_code(
        actor=actor, codes={r.get("credit_code", "").strip().upper() for _, r in rows}
    )
    segments = selectors.segment_lookup(
        (r.get("chain", "").strip(), r.get("segment", "").strip()) for _, r in rows
    )
    cleaned = []
    for number, raw in rows:
        bad = len(report.errors)
        org = orgs.get(raw.get("credit_code", "").strip().upper())
        if org is None:
            report.errors.append(
                RowError(number, "统一社会信用代码", gettext("平台上没有该机构，或它不在您的辖区"))
            )
        elif not AttachmentPolicy.can(actor, "register", org):
            report.errors.append(
                RowError(number, "统一社会信用代码", gettext("%(name)s不在您的辖区内") % {"name": org.name})
            )
        segment = segments.get((raw.get("chain", "").strip(), raw.get("segment", "").strip()))
        if segment is None:
            report.errors.append(RowError(number, "环节代码", gettext("产业链代码或环节代码不存在")))
        role = {"主营": AttachmentRole.PRIMARY, "主营环节": AttachmentRole.PRIMARY, "": AttachmentRole.PRIMARY,
                "配套": AttachmentRole.SECONDARY, "配套环节": AttachmentRole.SECONDARY}.get(raw.get("role", "").strip())  # fmt: skip
        if role is None:
            report.errors.append(RowError(number, "角色", gettext("角色应为 主营 或 配套")))
        measure = None
        if any(raw.get(k, "").strip() for k in ("year", "revenue_wan", "employees", "output_wan")):
            try:
                measure = clean_measure(raw)
            except Invalid as exc:
                report.errors.append(RowError(number, "年度数据", exc.message))
        if len(report.errors) == bad:
            cleaned.append((org, segment, role, measure))
    if report.errors:
        return report
    with transaction.atomic():
        touched = []
        for org, segment, role, measure in cleaned:
            att, _ = Attachment.objects.update_or_create(
                organisation=org, segment=segment,
                defaults={"region_id": org.region_id, "role": role, "source": AttachmentSource.BUREAU,
                          "status": AttachmentStatus.ACTIVE, "is_bureau_confirmed": True, "confirmed_by_id": actor.user_id,
                          "confirmed_at": clock.now(), "created_by_id": actor.user_id},
            )  # fmt: skip
            if measure:
                year = measure.pop("year")
                AttachmentMeasure.objects.update_or_create(
                    attachment=att, year=year, defaults={**measure, "updated_by_id": actor.user_id}
                )
            touched.append(att.pk)
        audit.record_many(actor=actor, verb="chain.attachment_imported", model=Attachment, target_ids=touched)
        schedule_refresh()
    report.created = len(cleaned)
    return report


# ---------------------------------------------------------------- thresholds and roadmaps


THRESHOLD_FIELDS = ("strong_rca", "strong_min_orgs", "weak_rca", "extend_density_quantile")


@transaction.atomic
def thresholds_update(*, actor: Actor, zone_code: str, values: dict[str, float]) -> GapThresholds:
    zone = region_selectors.zone_get(zone_id_or_code=zone_code)
    ThresholdsPolicy.require(actor, "update", zone)
    current = selectors.thresholds_for(zone)
    new = {f: float(values.get(f, getattr(current, f))) for f in THRESHOLD_FIELDS}
    if not new["strong_rca"] > 0:
        raise Invalid(gettext("强链区位熵下限应大于 0"), field="strong_rca")
    if not 0 <= new["weak_rca"] < new["strong_rca"]:
        raise Invalid(gettext("薄弱区位熵上限应不小于 0，且小于强链区位熵下限"), field="weak_rca")
    if new["strong_min_orgs"] < 0:
        raise Invalid(gettext("强链最少机构数不能为负"), field="strong_min_orgs")
    if not 0 <= new["extend_density_quantile"] <= 1:
        raise Invalid(gettext("延链关联密度分位数应在 0 到 1 之间"), field="extend_density_quantile")
    row, _ = GapThresholds.objects.update_or_create(
        zone=zone, defaults={**new, "updated_by_id": actor.user_id}
    )
    audit.record(actor=actor, verb="chain.thresholds_updated", target=row, data=new)
    return row


@transaction.atomic
def milestone_create(*, actor: Actor, chain_code: str, zone_code: str, raw: dict[str, Any]) -> Milestone:
    chain = selectors.chain_get(code=chain_code)
    zone = region_selectors.zone_get(zone_id_or_code=zone_code)
    MilestonePolicy.require(actor, "create", zone)
    title = str(raw.get("title") or "").strip()
    if not title or len(title) > 120:
        raise Invalid(gettext("里程碑名称不能为空，且不超过 120 字"), field="title")
    year = raw.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise Invalid(gettext("年度应为 2000–2100 之间的年份"), field="year")
    segment = None
    if raw.get("segment_code"):
        segment = selectors.segment_get(chain=chain, code=str(raw["segment_code"]))
    members = {r.code for r in region_selectors.zone_members(zone)}
    responsible = [str(c) for c in raw.get("responsible") or []]
    outside = [c for c in responsible if c not in members]
    if not responsible or outside:
        raise Invalid(
            gettext("牵头成员应为该协同区的成员（填写成员的区划代码）"), field="responsible", unknown=outside
        )
    milestone = Milestone.objects.create(chain=chain, zone=zone, segment=segment, year=year, title=title,
                                         description=str(raw.get("description") or "")[:2000], created_by_id=actor.user_id)  # fmt: skip
    milestone.responsible.set(responsible)
    audit.record(actor=actor, verb="chain.milestone_created", target=milestone, data={"year": year})
    return milestone


@transaction.atomic
def milestone_delete(*, actor: Actor, pk: int) -> None:
    milestone = selectors.milestone_get(actor=actor, pk=pk)
    MilestonePolicy.require(actor, "delete", milestone)
    audit.record(
        actor=actor, verb="chain.milestone_deleted", target=milestone, data={"title": milestone.title}
    )
    Milestone.objects.filter(pk=milestone.pk).delete()


STAGE_VALUES = Stage.values


@transaction.atomic
def attachment_withdraw(*, actor: Actor, pk: int) -> None:
    """The organisation (or its bureau) removes a link; its measures go with it."""
    att = _locked(actor, pk)
    AttachmentPolicy.require(actor, "withdraw", att)
    audit.record(
        actor=actor, verb="chain.attachment_withdrawn", target=att, data={"segment": att.segment.code}
    )
    Attachment.objects.filter(pk=att.pk).delete()
    schedule_refresh()
