"""Provider pages: register a resource, edit its particulars, its photos and its price list.

As thin as views.py: parse the post, call services.resource_create / resource_update / photo_add /
photo_remove / price_list_set; a DomainError is shown on the same page, in Chinese, with its status.
Only the resource's owner admin gets past `_managed` (the same 404/403 as the manage page).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xietong.core.acting import denial_message
from xietong.core.choice_labels import translated
from xietong.core.errors import DomainError, Forbidden, Invalid
from xietong.core.money import fen_to_yuan
from xietong.regions import selectors as region_selectors
from xietong.resources import forms, selectors, services
from xietong.resources.enums import CustomerClass, OpenStatus, PriceUnit, ResourceKind, Rounding
from xietong.resources.models import Resource
from xietong.resources.policies import ResourcePolicy
from xietong.resources.services.catalogue import MAX_PHOTO_BYTES, MAX_PHOTOS
from xietong.resources.validation import INT_LIMITS, TEXT_LIMITS, format_clock

NEW_DEFAULTS = {
    "kind": ResourceKind.INSTRUMENT, "open_status": OpenStatus.OPEN, "requires_approval": "on",
    **{key: str(default) for key, (_low, _high, default) in INT_LIMITS.items()},
}  # fmt: skip
BLANK_WINDOWS = 3


def _form_invalid(form) -> Invalid:
    """A Django form's errors as one Invalid, each message led by its field's label."""
    fields = {name: "；".join(str(e) for e in errs) for name, errs in form.errors.items()}
    message = "；".join(f"{form.fields[name].label}：{text}" if name in form.fields else text
                       for name, text in fields.items())  # fmt: skip
    return Invalid(message, fields=fields)


def _field_errors(error: DomainError | None) -> dict[str, str]:
    fields = (error.detail.get("fields") if error else None) or {}
    field = error.detail.get("field") if error else None
    return {**({field: error.message} if field else {}), **fields}


def _managed(request, resource_id: int) -> Resource:
    resource = selectors.resource_get(actor=request.actor, resource_id=resource_id)
    ResourcePolicy.require(request.actor, "manage", resource)
    return resource


def _yuan(fen: int | None) -> str:
    return "" if fen is None else f"{fen_to_yuan(fen):.2f}"


# ---------------------------------------------------------------- register / edit


def _admin_orgs(actor) -> list:
    return [o for o in selectors.customer_orgs(actor=actor) if ResourcePolicy.can(actor, "register_for", o)]


def _resource_values(resource: Resource) -> dict:
    values = {key: str(getattr(resource, key)) for key in (*TEXT_LIMITS, *INT_LIMITS, "kind", "open_status")}
    return {
        **values, "category": resource.category.code, "region": resource.region_id,
        "original_value": _yuan(resource.original_value_fen),
        "lng": "" if resource.lng is None else str(resource.lng), "lat": "" if resource.lat is None else str(resource.lat),
        **{key: "on" if getattr(resource, key) else "" for key in ("is_cma", "is_cnas", "requires_approval")},
        "recognised_zones": [z.code for z in resource.recognised_zones.all()],
    }  # fmt: skip


def _posted(request) -> dict:
    return {**request.POST.dict(), "recognised_zones": request.POST.getlist("recognised_zones")}


def _render_resource_form(request, *, values: dict, resource=None, orgs=(), error=None):
    context = {
        "resource": resource, "is_new": resource is None, "values": values, "orgs": orgs, "tab": "edit",
        "error": error, "field_errors": _field_errors(error), "kinds": translated(ResourceKind.choices),
        "open_statuses": translated(OpenStatus.choices), "categories": selectors.category_tree(),
        "zones": list(region_selectors.zone_list()),
    }  # fmt: skip
    return render(request, "resources/resource_form.html", context, status=error.status if error else 200)


@require_http_methods(["GET", "POST"])
@login_required
def resource_new(request):
    """登记资源: an organisation's admin lists an instrument, facility or service item of that organisation."""
    orgs = _admin_orgs(request.actor)
    if not orgs:
        raise Forbidden(denial_message(request.actor, _("只有机构管理员可以登记本机构的资源")))
    if request.method == "GET":
        return _render_resource_form(request, values={**NEW_DEFAULTS, "owner_id": str(orgs[0].pk)}, orgs=orgs)
    form = forms.ResourceForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_invalid(form)
        resource = services.resource_create(
            actor=request.actor, owner_id=form.cleaned_data["owner_id"], raw=form.raw()
        )
    except DomainError as exc:
        return _render_resource_form(request, values=_posted(request), orgs=orgs, error=exc)
    messages.success(
        request,
        _("已登记资源：%(name)s。下一步可上传图片、发布价目表、设置开放时间。") % {"name": resource.name},
    )
    return redirect("resources:manage", resource_id=resource.pk)


@require_http_methods(["GET", "POST"])
@login_required
def resource_edit(request, resource_id: int):
    """编辑资料: the same fields, prefilled; the kind stays as registered (it decides how prices are counted)."""
    resource = _managed(request, resource_id)
    if request.method == "GET":
        return _render_resource_form(request, values=_resource_values(resource), resource=resource)
    form = forms.ResourceForm(request.POST, is_new=False)
    try:
        if not form.is_valid():
            raise _form_invalid(form)
        resource = services.resource_update(actor=request.actor, resource_id=resource.pk, changes=form.raw())
    except DomainError as exc:
        values = {**_posted(request), "kind": resource.kind}
        return _render_resource_form(request, values=values, resource=resource, error=exc)
    messages.success(request, _("已保存资料"))
    return redirect("resources:edit", resource_id=resource.pk)


# ---------------------------------------------------------------- photos


def _render_photos(request, resource: Resource, *, error=None, caption: str = ""):
    context = {
        "resource": resource, "photos": selectors.resource_photos(actor=request.actor, resource=resource), "tab": "photos", "error": error,
        "max_photos": MAX_PHOTOS, "max_mb": MAX_PHOTO_BYTES // 1024 // 1024, "caption": caption,
    }  # fmt: skip
    return render(request, "resources/photos.html", context, status=error.status if error else 200)


def _photo_id(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else 0


@require_http_methods(["GET", "POST"])
@login_required
def resource_photos(request, resource_id: int):
    """图片: the photos with thumbnails; upload one (JPG/PNG, checked by content and size), remove one."""
    resource = _managed(request, resource_id)
    if request.method == "GET":
        return _render_photos(request, resource)
    action = request.POST.get("action", "")
    try:
        if action == "upload":
            form = forms.PhotoForm(request.POST, request.FILES)
            if not form.is_valid():
                raise _form_invalid(form)
            services.photo_add(actor=request.actor, resource_id=resource.pk, upload=form.cleaned_data["file"],
                               caption=form.cleaned_data["caption"])  # fmt: skip
            messages.success(request, _("已上传图片"))
        elif action == "remove":
            services.photo_remove(
                actor=request.actor,
                resource_id=resource.pk,
                photo_id=_photo_id(request.POST.get("photo", "")),
            )
            messages.success(request, _("已删除图片"))
        else:
            raise Invalid(_("不支持的操作"))
    except DomainError as exc:
        return _render_photos(request, resource, error=exc, caption=request.POST.get("caption", "")[:80])
    return redirect("resources:photos", resource_id=resource.pk)


# ---------------------------------------------------------------- price list


def _price_values(actor, resource: Resource) -> tuple[dict, list[dict]]:
    """The form prefilled from the price list in force (a new version starts from the current one)."""
    price_list, tiers = selectors.price_list_editing(actor=actor, resource=resource)
    values = {
        "unit": PriceUnit.HOUR if resource.is_slotted else PriceUnit.SAMPLE, "rounding": Rounding.FEN,
        "increment_minutes": "30", "minimum_charge": "0", "valid_from": timezone.localdate().isoformat(),
    }  # fmt: skip
    windows = []
    if price_list is not None:
        values.update(unit=price_list.unit, rounding=price_list.rounding,
                      increment_minutes=str(price_list.increment_minutes),
                      minimum_charge=_yuan(price_list.minimum_charge_fen))  # fmt: skip
        for tier in tiers:
            if tier.is_all_day:
                values[f"price_{tier.customer_class}"] = _yuan(tier.unit_price_fen)
            else:
                windows.append({"class": tier.customer_class, "weekdays": tier.weekdays,
                                "start": format_clock(tier.start_minute), "end": format_clock(tier.end_minute),
                                "price": _yuan(tier.unit_price_fen)})  # fmt: skip
    return values, windows


def _render_prices(request, resource: Resource, *, values: dict, windows: list[dict], error=None):
    windows = windows + [{"class": CustomerClass.OTHER}] * BLANK_WINDOWS
    context = {
        "resource": resource, "tab": "prices", "values": values, "windows": windows[: forms.MAX_PRICE_WINDOWS],
        "prices": selectors.price_table(actor=request.actor, resource=resource), "versions": selectors.price_list_versions(actor=request.actor, resource=resource),
        "in_force": selectors.price_list_in_force(actor=request.actor, resource=resource),
        "classes": translated(CustomerClass.choices), "base_classes": [(f"price_{c}", label, values.get(f"price_{c}", "")) for c, label in translated(CustomerClass.choices)],
        "units": translated(PriceUnit.choices), "roundings": translated(Rounding.choices), "today": timezone.localdate(),
        "error": error, "field_errors": _field_errors(error),
    }  # fmt: skip
    return render(request, "resources/prices.html", context, status=error.status if error else 200)


@require_http_methods(["GET", "POST"])
@login_required
def resource_prices(request, resource_id: int):
    """价目表: the table in force and a form to publish a new version (orders already placed keep their price)."""
    resource = _managed(request, resource_id)
    if request.method == "GET":
        values, windows = _price_values(request.actor, resource)
        return _render_prices(request, resource, values=values, windows=windows)
    form = forms.PriceListForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_invalid(form)
        price_list = services.price_list_set(actor=request.actor, resource_id=resource.pk, raw=form.raw())
    except DomainError as exc:
        windows = [
            row for row in form.windows() if any(row[k] for k in ("weekdays", "start", "end", "price"))
        ]
        return _render_prices(request, resource, values=request.POST.dict(), windows=windows, error=exc)
    messages.success(
        request, _("已发布新价目表，%(date)s 起生效") % {"date": format(price_list.valid_from, "%Y-%m-%d")}
    )
    return redirect("resources:prices", resource_id=resource.pk)
