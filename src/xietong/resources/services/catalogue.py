"""Writes to the catalogue: resources, photos, price lists, opening hours, maintenance, categories."""

from __future__ import annotations

import json
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xietong.core import audit, clock, files
from xietong.core.acting import denial_message
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.core.ids import is_valid_id
from xietong.core.uploads import check_upload
from xietong.orgs import selectors as org_selectors
from xietong.resources import selectors
from xietong.resources.enums import SLOT_HOLDING, CustomerClass, OrderKind
from xietong.resources.models import (
    Category,
    MaintenanceBlock,
    OpeningHours,
    PriceList,
    PriceTier,
    Resource,
    ResourcePhoto,
    ServiceOrder,
)
from xietong.resources.policies import ResourcePolicy
from xietong.resources.validation import (
    RESOURCE_LABELS,
    PriceListData,
    clean_price_list,
    clean_resource,
    parse_clock,
)

PHOTO_FOLDER = "resources/photos"
CATEGORIES = Path(__file__).resolve().parents[1] / "data" / "categories.json"
UPDATABLE = (
    "name", "kind", "category", "region", "model_number", "manufacturer", "original_value", "specs", "description",
    "address", "asset_code", "open_status", "is_cma", "is_cnas", "recognised_zones", "capacity", "advance_days",
    "min_notice_hours", "max_booking_hours", "requires_approval", "free_cancel_hours", "late_cancel_percent",
    "no_show_percent", "lng", "lat",
)  # fmt: skip
MAX_PHOTOS = 10
MAX_PHOTO_BYTES = 5 * 1024 * 1024


def categories_ensure() -> int:
    """Create any missing category of the fixture tree (idempotent); returns how many were created."""
    tree = json.loads(CATEGORIES.read_text(encoding="utf-8"))["tree"]
    created = 0
    for position, (code, name, children) in enumerate(tree):
        parent, made = Category.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
        created += made
        for child_position, (child_code, child_name) in enumerate(children):
            _, made = Category.objects.get_or_create(
                code=child_code, defaults={"name": child_name, "parent": parent, "position": child_position}
            )
            created += made
    return created


def _require_clean(raw: dict[str, Any], *, default_region: str) -> Any:
    data, errors = clean_resource(raw, default_region=default_region)
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    return data


@transaction.atomic
def resource_create(*, actor: Actor, owner_id: int, raw: dict[str, Any]) -> Resource:
    """An organisation's admin lists an instrument, facility or service item of that organisation."""
    owner = org_selectors.organisation_get(actor=actor, org_id=owner_id)
    if not ResourcePolicy.can(actor, "register_for", owner):
        raise Forbidden(denial_message(actor, gettext("只有本机构管理员可以登记本机构的资源")))
    data = _require_clean(raw, default_region=owner.region_id)
    resource = Resource.objects.create(owner=owner, **data.model_fields())
    resource.recognised_zones.set(data.recognised_zone_ids)
    audit.record(actor=actor, verb="resource.created", target=resource, data={"name": resource.name})
    return resource


@transaction.atomic
def resource_update(*, actor: Actor, resource_id: int, changes: dict[str, Any]) -> Resource:
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    ResourcePolicy.require(actor, "manage", resource)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise Invalid(
            gettext("以下字段不可修改：%(items)s")
            % {"items": gettext("、").join(RESOURCE_LABELS.get(k, k) for k in sorted(unknown))}
        )
    current = {
        **{f: getattr(resource, f) for f in UPDATABLE if hasattr(resource, f) and f not in ("category", "region")},
        "category": resource.category.code, "region": resource.region_id,
        "original_value": "" if resource.original_value_fen is None else f"{resource.original_value_fen / 100:.2f}",
        "recognised_zones": [str(z) for z in resource.recognised_zones.values_list("code", flat=True)],
    }  # fmt: skip
    data = _require_clean({**current, **changes}, default_region=resource.region_id)
    before = {k: getattr(resource, k) for k in data.model_fields()}
    changed = sorted(k for k, v in data.model_fields().items() if before[k] != v)
    for key in changed:
        setattr(resource, key, getattr(data, key))
    if changed:
        resource.save(update_fields=[*changed, "updated_at"])
    if set(resource.recognised_zones.values_list("pk", flat=True)) != set(data.recognised_zone_ids):
        resource.recognised_zones.set(data.recognised_zone_ids)
        changed.append("recognised_zones")
    if changed:
        audit.record(actor=actor, verb="resource.updated", target=resource, data={"fields": changed})
    return resource


@files.atomic()
def photo_add(*, actor: Actor, resource_id: int, upload, caption: str = "") -> ResourcePhoto:
    """A public photo: re-encoded, stored under a generated name, written only if the row is."""
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    ResourcePolicy.require(actor, "manage", resource)
    checked = check_upload(upload, kinds=("jpg", "png"), max_bytes=MAX_PHOTO_BYTES, label="图片")
    if resource.photos.count() >= MAX_PHOTOS:  # tenancy-ok: photos of the resource the actor may manage
        raise Conflict(gettext("每个资源最多 %(MAX_PHOTOS)s 张图片") % {"MAX_PHOTOS": MAX_PHOTOS})
    photo = ResourcePhoto(resource=resource, caption=caption.strip()[:80])
    photo.file.name = files.store(
        files.public_storage(), files.generated_name(PHOTO_FOLDER, checked), checked
    )
    photo.save()
    audit.record(actor=actor, verb="resource.photo_added", target=resource, data={"photo": photo.pk})
    return photo


@transaction.atomic
def photo_remove(*, actor: Actor, resource_id: int, photo_id: int) -> None:
    """Delete one photo of the resource; its file goes once the transaction commits (a rollback keeps it)."""
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    ResourcePolicy.require(actor, "manage", resource)
    photo = (
        resource.photos.filter(pk=photo_id).first() if is_valid_id(photo_id) else None
    )  # tenancy-ok: photos of the resource the policy lets the actor manage
    if photo is None:
        raise Invalid(gettext("图片不存在"))
    storage, name = photo.file.storage, photo.file.name
    photo.delete()
    audit.record(actor=actor, verb="resource.photo_removed", target=resource, data={"photo": photo_id})
    files.delete_on_commit(storage, name)


def _write_price_list(resource: Resource, data: PriceListData) -> PriceList:
    """Expects a cleaned price list and a permitted actor; refreshes the resource's list price."""
    price_list = PriceList.objects.create(
        resource=resource, unit=data.unit, minimum_charge_fen=data.minimum_charge_fen, rounding=data.rounding,
        increment_minutes=data.increment_minutes, valid_from=data.valid_from,
    )  # fmt: skip
    PriceTier.objects.bulk_create([PriceTier(price_list=price_list, **t.__dict__) for t in data.tiers])
    if data.valid_from <= clock.today():
        base = next(
            t for t in data.tiers
            if t.customer_class == CustomerClass.OTHER and t.weekdays == "1234567"
            and (t.start_minute, t.end_minute) == (0, 1440)
        )  # fmt: skip
        resource.list_price_fen = base.unit_price_fen
        resource.price_unit = data.unit
        resource.save(update_fields=["list_price_fen", "price_unit", "updated_at"])
    return price_list


@transaction.atomic
def price_list_set(*, actor: Actor, resource_id: int, raw: dict[str, Any]) -> PriceList:
    """Publish a new version of the price list (orders already placed keep their frozen price)."""
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    ResourcePolicy.require(actor, "manage", resource)
    data = clean_price_list(raw)
    if data.unit == "hour" and not resource.is_slotted:
        raise Invalid(gettext("检验检测服务项目应按样品计价"), field="unit")
    if data.unit == "sample" and resource.is_slotted:
        raise Invalid(gettext("仪器与设施应按机时计价"), field="unit")
    price_list = _write_price_list(resource, data)
    audit.record(
        actor=actor, verb="resource.price_list_set", target=resource,
        data={"price_list": price_list.pk, "valid_from": data.valid_from.isoformat(), "tiers": len(data.tiers)},
    )  # fmt: skip
    return price_list


@transaction.atomic
def opening_hours_set(*, actor: Actor, resource_id: int, rows: list[dict[str, Any]]) -> list[OpeningHours]:
    """Replace the weekly opening hours: rows of {weekday 1–7, start "HH:MM", end "HH:MM"}, no overlaps."""
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    ResourcePolicy.require(actor, "manage", resource)
    cleaned: list[OpeningHours] = []
    try:
        for row in rows[:50]:
            weekday = int(row.get("weekday"))
            start, end = parse_clock(row.get("start"), "开始时刻"), parse_clock(row.get("end"), "结束时刻")
            if not 1 <= weekday <= 7 or start >= end:
                raise ValueError("开放时间：星期应为 1–7，结束应晚于开始")
            cleaned.append(
                OpeningHours(resource=resource, weekday=weekday, start_minute=start, end_minute=end)
            )
    except (TypeError, ValueError) as exc:
        raise Invalid(
            str(exc) if isinstance(exc, ValueError) and "：" in str(exc) else gettext("开放时间格式不正确")
        ) from exc
    cleaned.sort(key=lambda h: (h.weekday, h.start_minute))
    for a, b in pairwise(cleaned):
        if a.weekday == b.weekday and b.start_minute < a.end_minute:
            raise Invalid(gettext("星期%(weekday)s 的开放时段有重叠") % {"weekday": a.weekday})
    OpeningHours.objects.filter(resource=resource).delete()  # the permitted resource
    OpeningHours.objects.bulk_create(cleaned)
    audit.record(actor=actor, verb="resource.hours_set", target=resource, data={"rows": len(cleaned)})
    return cleaned


@transaction.atomic
def maintenance_add(
    *, actor: Actor, resource_id: int, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> MaintenanceBlock:
    """Block time for maintenance; refused while a live booking overlaps it (cancel or move that first)."""
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    ResourcePolicy.require(actor, "manage", resource)
    starts_at, ends_at = selectors.check_range(starts_at, ends_at, max_days=90)
    # lock the resource row so no booking slips in between the check and the insert
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    clashes = list(
        ServiceOrder.objects.filter(  # tenancy-ok: the resource's own bookings, numbers only
            resource=resource, kind=OrderKind.BOOKING, status__in=SLOT_HOLDING,
            starts_at__lt=ends_at, ends_at__gt=starts_at,
        ).values_list("number", flat=True)[:20]
    )  # fmt: skip
    if clashes:
        raise Conflict(
            gettext("该时段已有预约：%(clashes)s") % {"clashes": gettext("、").join(clashes)}, orders=clashes
        )
    block = MaintenanceBlock.objects.create(
        resource=resource, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()[:120]
    )
    audit.record(
        actor=actor, verb="resource.maintenance_added", target=resource,
        data={"from": starts_at.isoformat(), "to": ends_at.isoformat()},
    )  # fmt: skip
    return block


@transaction.atomic
def maintenance_remove(*, actor: Actor, resource_id: int, block_id: int) -> None:
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    ResourcePolicy.require(actor, "manage", resource)
    if not is_valid_id(block_id):
        raise Invalid(gettext("维护时段不存在"))
    # blocks of the permitted resource only
    deleted, _ = MaintenanceBlock.objects.filter(resource=resource, pk=block_id).delete()
    if not deleted:
        raise Invalid(gettext("维护时段不存在"))
    audit.record(actor=actor, verb="resource.maintenance_removed", target=resource, data={"block": block_id})
