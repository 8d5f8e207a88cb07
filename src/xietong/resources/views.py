"""Pages: thin, the same services and selectors as the API; domain errors render in Chinese with their status."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.core import audit, clock, files
from xietong.core.choice_labels import translated
from xietong.core.errors import DomainError, Forbidden, Invalid, NotFound
from xietong.core.excel import error_workbook, xlsx_response
from xietong.core.pagination import paginate
from xietong.regions import selectors as region_selectors
from xietong.resources import excel, forms, pricing, selectors, services
from xietong.resources.enums import OPEN_STATUSES, OpenStatus, OrderStatus
from xietong.resources.policies import OrderPolicy, ResourcePolicy
from xietong.resources.validation import format_clock


def _invalid(form) -> Invalid:
    return Invalid("；".join(str(e) for errs in form.errors.values() for e in errs))


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _catalogue_qs(request):
    form = forms.CatalogueForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise _invalid(form)
    filters = {}
    if form.is_bound:
        my_region = selectors.my_region_code(request.actor) if form.cleaned_data.get("recognised") else ""
        filters = form.filters(my_region=my_region)
    return form, selectors.resource_list(actor=request.actor, filters=selectors.CatalogueFilters(**filters))


@require_GET
def catalogue(request):
    form, qs = _catalogue_qs(request)
    page = paginate(qs, page=request.GET.get("page") or 1, page_size=20)
    context = {"form": form, "page": page, "querystring": _querystring_without_page(request)}
    if request.headers.get("HX-Request"):
        return render(request, "resources/_catalogue_results.html", context)
    context.update(
        zones=region_selectors.zone_list(),
        categories=selectors.category_tree(),
        map_points=selectors.resource_map(actor=request.actor, qs=qs),
    )
    return render(request, "resources/catalogue.html", context)


def _detail_context(request, resource, *, booking_form=None, sample_form=None, error=None) -> dict:
    actor = request.actor
    try:
        start = datetime.strptime(request.GET.get("start", ""), "%Y-%m-%d").date()
    except ValueError:
        start = timezone.localdate()
    start = selectors.check_day(start)
    my_quote = None
    if ResourcePolicy.can(actor, "quote"):
        try:
            customer = selectors.customer_for(actor=actor)
            klass = selectors.customer_class(customer=customer, resource=resource)
            price_list = selectors.price_list_in_force(actor=request.actor, resource=resource)
            if price_list:
                snapshot = selectors.price_snapshot(price_list=price_list, klass=klass)
                my_quote = {"customer": customer, "class_label": _(klass.label), "unit": _(price_list.get_unit_display()),
                            "unit_price_fen": pricing.unit_price(snapshot),
                            "minimum_charge_fen": price_list.minimum_charge_fen}  # fmt: skip
        except DomainError:
            my_quote = None
    return {
        "resource": resource,
        "prices": selectors.price_table(actor=request.actor, resource=resource),
        "my_quote": my_quote,
        "calendar": selectors.resource_calendar(actor=actor, resource=resource, start=start, days=7),
        "week_start": start,
        "prev_week": start - timedelta(days=7),
        "next_week": start + timedelta(days=7),
        "recognised": list(resource.recognised_zones.all()),
        "photos": selectors.resource_photos(actor=actor, resource=resource),
        "can_book": ResourcePolicy.can(actor, "book", resource),
        "can_manage": ResourcePolicy.can(actor, "manage", resource),
        "booking_form": booking_form or forms.BookingForm(initial={"day": start + timedelta(days=1)}),
        "sample_form": sample_form or forms.SampleForm(initial={"samples": 1}),
        "error": error,
    }


@require_GET
def resource_detail(request, resource_id: int):
    resource = selectors.resource_get(actor=request.actor, resource_id=resource_id)
    return render(request, "resources/detail.html", _detail_context(request, resource))


@require_POST
@login_required
def resource_book(request, resource_id: int):
    resource = selectors.resource_get(actor=request.actor, resource_id=resource_id)
    booking_form = sample_form = None
    try:
        if resource.is_slotted:
            booking_form = forms.BookingForm(request.POST)
            if not booking_form.is_valid():
                raise _invalid(booking_form)
            data, tz = booking_form.cleaned_data, timezone.get_current_timezone()
            order = services.order_book(
                actor=request.actor, resource_id=resource.pk, note=data["note"],
                starts_at=datetime.combine(data["day"], data["start"], tzinfo=tz),
                ends_at=datetime.combine(data["day"], data["end"], tzinfo=tz),
            )  # fmt: skip
        else:
            sample_form = forms.SampleForm(request.POST)
            if not sample_form.is_valid():
                raise _invalid(sample_form)
            order = services.order_sample(
                actor=request.actor, resource_id=resource.pk, samples=sample_form.cleaned_data["samples"],
                note=sample_form.cleaned_data["note"],
            )  # fmt: skip
    except DomainError as exc:
        context = _detail_context(
            request, resource, booking_form=booking_form, sample_form=sample_form, error=exc
        )
        return render(request, "resources/detail.html", context, status=exc.status)
    messages.success(
        request,
        _("已提交订单 %(number)s（%(status)s）")
        % {"number": order.number, "status": order.get_status_display()},
    )
    return redirect("resources:order-detail", order_id=order.pk)


def _order_page(request, *, side: str, template: str, extra: dict | None = None):
    form = forms.OrderFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise _invalid(form)
    data = form.cleaned_data if form.is_bound else {}
    filters = selectors.OrderFilters(side=side, status=data.get("status", ""), q=data.get("q", ""))
    page = paginate(selectors.order_list(actor=request.actor, filters=filters), page=data.get("page") or 1)
    context = {"form": form, "page": page, "querystring": _querystring_without_page(request), "side": side}
    return render(request, template, {**context, **(extra or {})})


@require_GET
@login_required
def my_orders(request):
    return _order_page(request, side="customer", template="resources/my_orders.html")


@require_GET
@login_required
def order_detail(request, order_id: int):
    order = selectors.order_get(actor=request.actor, order_id=order_id)
    actor = request.actor
    can = {action: OrderPolicy.can(actor, action, order) for action in OrderPolicy.rules}
    return render(
        request,
        "resources/order_detail.html",
        {
            "order": order, "can": can, "usage_form": forms.UsageForm(), "report_form": forms.ReportForm(),
            "fee_if_cancelled": services.orders.cancellation_fee(order),
            "before_slot": bool(order.starts_at and order.starts_at > clock.now()),
            "events": list(audit.events_for(order)[:30]),
            "now": timezone.now(),
        },
    )  # fmt: skip


ACTIONS = {
    "confirm": ("order_confirm", gettext_lazy("已确认订单：%(number)s")),
    "start": ("order_start", gettext_lazy("已开始服务：%(number)s")),
    "deliver": ("order_deliver", gettext_lazy("已交付，等待客户确认完成：%(number)s")),
    "complete": ("order_complete", gettext_lazy("已确认完成：%(number)s")),
    "no-show": ("order_mark_no_show", gettext_lazy("已登记爽约：%(number)s")),
    "reject": ("order_reject", gettext_lazy("已拒绝订单：%(number)s")),
    "cancel": ("order_cancel", gettext_lazy("已取消订单：%(number)s")),
    "usage": ("order_record_usage", gettext_lazy("已登记实际使用量：%(number)s")),
}


@require_POST
@login_required
def order_action(request, order_id: int, action: str):
    if action not in ACTIONS:
        raise NotFound(_("不支持的操作"))
    name, done = ACTIONS[action]
    kwargs = {}
    if action in ("reject", "cancel"):
        kwargs["reason"] = (request.POST.get("reason") or "")[:300]
    elif action in ("start", "deliver"):
        kwargs["early_reason"] = (request.POST.get("early_reason") or "")[:300]
    elif action == "usage":
        form = forms.UsageForm(request.POST)
        if not form.is_valid():
            raise _invalid(form)
        kwargs = {k: v for k, v in form.cleaned_data.items() if v is not None}
    order = getattr(services, name)(actor=request.actor, order_id=order_id, **kwargs)
    return _done(request, order, done)


def _done(request, order, done):
    """Back to the page the form was on (the 服务方工作台 lists many orders), else to the order. `done` is a
    translated message with an %(number)s placeholder for the order number."""
    messages.success(request, done % {"number": order.number})
    back = request.POST.get("next", "")
    if back.startswith("/resources/") and "//" not in back:
        return redirect(back)
    return redirect("resources:order-detail", order_id=order.pk)


@require_POST
@login_required
def order_report_upload(request, order_id: int):
    """Its own URL: a POST to the download route `orders/<id>/report/` would only ever get that view's 405."""
    form = forms.ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        raise Invalid(_("请选择要上传的结果报告文件"))
    order = services.order_upload_report(
        actor=request.actor, order_id=order_id, upload=form.cleaned_data["file"]
    )
    return _done(request, order, _("已上传结果报告：%(number)s"))


@require_GET
@login_required
def order_report(request, order_id: int):
    order = selectors.order_report_get(actor=request.actor, order_id=order_id)
    return files.field_file_response(order.report, filename=order.report_name)


@require_GET
@login_required
def orders_export(request):
    side = request.GET.get("side", "")
    if side not in ("", "customer", "provider"):
        raise Invalid(_("side 只能为 customer 或 provider"))
    status = request.GET.get("status", "")
    status = status if status in OrderStatus.values else ""
    qs = selectors.order_list(actor=request.actor, filters=selectors.OrderFilters(side=side, status=status))
    return xlsx_response(excel.export_orders(qs.iterator(chunk_size=2000)), "服务订单.xlsx")


def _require_org(request) -> None:
    if not ResourcePolicy.can(request.actor, "console"):
        raise Forbidden(_("服务方工作台仅对机构成员开放"))


@require_GET
@login_required
def console(request):
    _require_org(request)
    owned = list(selectors.owned_resources(actor=request.actor)[:100])
    return _order_page(request, side="provider", template="resources/console_orders.html",
                       extra={"owned": owned, "tab": "orders", "open_statuses": OPEN_STATUSES})  # fmt: skip


@require_GET
@login_required
def console_calendar(request):
    _require_org(request)
    owned = list(selectors.owned_resources(actor=request.actor)[:200])
    resource = None
    calendar, start = [], timezone.localdate()
    if owned:
        wanted = request.GET.get("resource", "")
        resource = next((r for r in owned if str(r.pk) == wanted), owned[0])
        try:
            start = datetime.strptime(request.GET.get("start", ""), "%Y-%m-%d").date()
        except ValueError:
            start = timezone.localdate()
        calendar = selectors.resource_calendar(
            actor=request.actor, resource=resource, start=selectors.check_day(start)
        )
    return render(request, "resources/console_calendar.html", {
        "owned": owned, "resource": resource, "calendar": calendar, "tab": "calendar",
        "prev_week": start - timedelta(days=7), "next_week": start + timedelta(days=7),
    })  # fmt: skip


def _manage_context(request, resource, *, error=None) -> dict:
    opening, blocks = selectors.resource_schedule(actor=request.actor, resource=resource)
    hours = "\n".join(
        f"{h.weekday} {format_clock(h.start_minute)} {format_clock(h.end_minute)}" for h in opening
    )
    return {"resource": resource, "hours_text": hours, "blocks": blocks, "error": error,
            "prices": selectors.price_table(actor=request.actor, resource=resource), "open_statuses": translated(OpenStatus.choices)}  # fmt: skip


def _parse_hours(text: str) -> list[dict]:
    rows = []
    for number, line in enumerate(text.strip().splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3 or not (parts[0].isascii() and parts[0].isdigit()):
            raise Invalid(_("第 %(number)s 行应为“星期 开始 结束”，如 1 08:30 17:30") % {"number": number})
        rows.append({"weekday": int(parts[0]), "start": parts[1], "end": parts[2]})
    return rows


def _parse_local(text: str, label: str) -> datetime:
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%dT%H:%M")
    except ValueError as exc:
        raise Invalid(_("%(label)s格式应为 YYYY-MM-DD HH:MM") % {"label": label}) from exc
    return timezone.make_aware(moment)


@require_http_methods(["GET", "POST"])
@login_required
def resource_manage(request, resource_id: int):
    """The owner's page for opening hours, maintenance blocks and the open status (prices: import or API)."""
    resource = selectors.resource_get(actor=request.actor, resource_id=resource_id)
    ResourcePolicy.require(request.actor, "manage", resource)
    if request.method == "GET":
        return render(request, "resources/manage.html", _manage_context(request, resource))
    action, post = request.POST.get("action", ""), request.POST
    try:
        if action == "hours":
            services.opening_hours_set(
                actor=request.actor, resource_id=resource.pk, rows=_parse_hours(post.get("hours", ""))
            )
            messages.success(request, _("已更新开放时间"))
        elif action == "maintenance":
            services.maintenance_add(
                actor=request.actor, resource_id=resource.pk, reason=post.get("reason", "")[:120],
                starts_at=_parse_local(post.get("starts_at", ""), "开始时间"), ends_at=_parse_local(post.get("ends_at", ""), "结束时间"),
            )  # fmt: skip
            messages.success(request, _("已登记维护时段"))
        elif action == "remove-maintenance":
            block = post.get("block", "")
            services.maintenance_remove(
                actor=request.actor,
                resource_id=resource.pk,
                block_id=int(block) if (block.isascii() and block.isdigit()) else 0,
            )
            messages.success(request, _("已删除维护时段"))
        elif action == "status":
            services.resource_update(
                actor=request.actor,
                resource_id=resource.pk,
                changes={"open_status": post.get("open_status", "")},
            )
            messages.success(request, _("已更新开放状态"))
        else:
            raise Invalid(_("不支持的操作"))
    except DomainError as exc:
        resource = selectors.resource_get(actor=request.actor, resource_id=resource_id)
        return render(
            request, "resources/manage.html", _manage_context(request, resource, error=exc), status=exc.status
        )
    return redirect("resources:manage", resource_id=resource.pk)


@require_GET
@login_required
def console_usage(request):
    _require_org(request)
    return render(
        request,
        "resources/console_usage.html",
        {"usage": selectors.provider_usage(actor=request.actor), "tab": "usage"},
    )


@require_GET
@login_required
def console_reports(request):
    _require_org(request)
    form = forms.OrderFilterForm(request.GET or None)
    qs = selectors.order_list(actor=request.actor, filters=selectors.OrderFilters(side="provider"))
    qs = qs.filter(status__in=[OrderStatus.IN_PROGRESS, OrderStatus.DELIVERED, OrderStatus.COMPLETED])
    page = paginate(qs, page=request.GET.get("page") or 1)
    return render(
        request,
        "resources/console_reports.html",
        {"page": page, "form": form, "tab": "reports", "report_form": forms.ReportForm()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def resource_import(request):
    if not ResourcePolicy.can(request.actor, "register"):
        raise Forbidden(_("批量导入仅对机构管理员开放"))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        read, run = (
            (excel.read_resources, services.resources_import)
            if kind == "resources"
            else (excel.read_prices, services.price_lists_import)
        )
        try:
            report = run(actor=request.actor, rows=read(upload))
        except DomainError as exc:
            form.add_error("file", exc.message)
            status = exc.status
        if report is not None and not report.ok:
            status = 400
            request.session["last_resource_import_errors"] = [e.as_dict() for e in report.errors[:5000]]
        elif report is not None:
            messages.success(
                request,
                (
                    _("导入成功：共写入 %(n)s 个资源")
                    if kind == "resources"
                    else _("导入成功：共写入 %(n)s 份价目表")
                )
                % {"n": report.created},
            )
    elif request.method == "POST":
        status = 400
    return render(request, "resources/import.html", {"form": form, "report": report}, status=status)


@require_GET
def import_template(request):
    kind = request.GET.get("kind", "resources")
    if kind == "errors":
        from xietong.core.excel import RowError

        errors = [RowError.from_dict(e) for e in request.session.get("last_resource_import_errors", [])]
        content, name = error_workbook(errors), "导入错误报告.xlsx"
    elif kind == "prices":
        content, name = excel.price_template(), "价目表导入模板.xlsx"
    else:
        content, name = excel.resource_template(), "资源导入模板.xlsx"
    return xlsx_response(content, name)
