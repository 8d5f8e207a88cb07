"""Excel import of resources and of price lists: validate every row, then write all or nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext

from xietong.core import audit
from xietong.core.acting import denial_message
from xietong.core.actor import Actor
from xietong.core.errors import Forbidden, Invalid
from xietong.core.excel import ImportReport, RowError
from xietong.core.ids import is_valid_id
from xietong.orgs.models import Organisation
from xietong.resources.models import Resource
from xietong.resources.policies import ResourcePolicy
from xietong.resources.services.catalogue import _write_price_list
from xietong.resources.validation import (
    RESOURCE_LABELS,
    Lookups,
    ResourceData,
    clean_price_list,
    clean_resource,
)

Rows = Sequence[tuple[int, dict[str, str]]]


def _owners(actor: Actor, rows: Rows) -> dict[str, Organisation]:
    codes = {raw.get("owner", "").strip().upper() for _, raw in rows}
    found = Organisation.objects.filter(
        credit_code__in=codes
    )  # tenancy-ok: resolving credit codes; permission is checked per row against the actor's admin orgs
    return {o.credit_code: o for o in found}


def resources_import(*, actor: Actor, rows: Rows) -> ImportReport:
    """Rows name their owner by credit code; the actor must administer every owner named."""
    if not ResourcePolicy.can(actor, "register"):
        raise Forbidden(denial_message(actor, gettext("只有机构管理员可以导入本机构的资源")))
    report = ImportReport(total_rows=len(rows))
    if not rows:
        report.errors.append(RowError(0, "", gettext("工作簿中没有数据行")))
        return report
    lookups, owners = Lookups(), _owners(actor, rows)
    cleaned: list[tuple[Organisation, ResourceData]] = []
    for number, raw in rows:
        code = raw.get("owner", "").strip().upper()
        owner = owners.get(code)
        if owner is None:
            report.errors.append(
                RowError(
                    number, "所属机构信用代码", gettext("找不到信用代码为“%(code)s”的机构") % {"code": code}
                )
            )
            continue
        if not ResourcePolicy.can(actor, "register_for", owner):
            report.errors.append(
                RowError(
                    number,
                    "所属机构信用代码",
                    gettext("您不是“%(name)s”的管理员，不能为其登记资源") % {"name": owner.name},
                )
            )
        data, errors = clean_resource(raw, default_region=owner.region_id, lookups=lookups)
        for key, message in errors.items():
            report.errors.append(RowError(number, RESOURCE_LABELS.get(key, key), message))
        if data is not None:
            cleaned.append((owner, data))
    report.errors.sort(key=lambda e: (e.row, e.column))
    if report.errors:
        return report
    with transaction.atomic():
        created = []
        for owner, data in cleaned:
            resource = Resource.objects.create(owner=owner, **data.model_fields())
            if data.recognised_zone_ids:
                resource.recognised_zones.set(data.recognised_zone_ids)
            created.append(resource)
        audit.record_many(
            actor=actor, verb="resource.imported", model=Resource, target_ids=[r.pk for r in created]
        )
    report.created = len(created)
    return report


PRICE_LIST_KEYS = ("unit", "minimum_charge", "rounding", "increment_minutes", "valid_from")


def price_lists_import(*, actor: Actor, rows: Rows) -> ImportReport:
    """One row per price tier; rows with the same 资源ID make one new price list for that resource."""
    report = ImportReport(total_rows=len(rows))
    if not rows:
        report.errors.append(RowError(0, "", gettext("工作簿中没有数据行")))
        return report
    groups: dict[int, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, raw in rows:
        text = raw.get("resource_id", "").strip()
        if not (text.isascii() and text.isdigit()) or not is_valid_id(int(text)):
            report.errors.append(
                RowError(number, "资源ID", gettext("资源ID“%(text)s”应为正整数") % {"text": text})
            )
            continue
        groups[int(text)].append((number, raw))
    resources = {r.pk: r for r in ResourcePolicy.visible_qs(actor).filter(pk__in=list(groups))}
    plans = []
    for resource_id, group in groups.items():
        first = group[0][0]
        resource = resources.get(resource_id)
        if resource is None or not ResourcePolicy.can(actor, "manage", resource):
            report.errors.append(
                RowError(
                    first,
                    "资源ID",
                    gettext("资源 %(resource_id)s 不存在或您无权管理") % {"resource_id": resource_id},
                )
            )
            continue
        head = group[0][1]
        raw = {key: head.get(key, "") for key in PRICE_LIST_KEYS}
        raw["tiers"] = [
            {"customer_class": r.get("customer_class"), "weekdays": r.get("weekdays"), "start": r.get("start"),
             "end": r.get("end"), "unit_price": r.get("unit_price")}
            for _, r in group
        ]  # fmt: skip
        try:
            data = clean_price_list(raw)
            if (data.unit == "hour") != resource.is_slotted:
                raise Invalid(gettext("仪器与设施应按机时计价，检验检测服务项目应按样品计价"))
        except Invalid as exc:
            report.errors.append(
                RowError(
                    first,
                    "价目表",
                    gettext("资源 %(resource_id)s：%(message)s")
                    % {"resource_id": resource_id, "message": exc.message},
                )
            )
            continue
        plans.append((resource, data))
    report.errors.sort(key=lambda e: (e.row, e.column))
    if report.errors:
        return report
    with transaction.atomic():
        for resource, data in plans:
            _write_price_list(resource, data)
        audit.record_many(
            actor=actor,
            verb="resource.price_list_imported",
            model=Resource,
            target_ids=[r.pk for r, _ in plans],
        )
    report.created = len(plans)
    return report
