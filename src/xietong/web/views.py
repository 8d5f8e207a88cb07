"""Pages: thin, the same services and selectors as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.core import audit
from xietong.core.errors import DomainError, Forbidden, Invalid
from xietong.core.excel import error_workbook
from xietong.core.pagination import paginate
from xietong.orgs import excel, selectors, services
from xietong.orgs.enums import OrgKind
from xietong.orgs.policies import OrganisationPolicy
from xietong.regions import selectors as region_selectors
from xietong.web import forms
from xietong.web import selectors as web_selectors
from xietong.web.errors import domain_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def home(request):
    zones = web_selectors.zone_headlines()
    return render(request, "web/home.html", {"zones": zones, "zones_json": zones})


@require_GET
@domain_errors
def zone_detail(request, code: str):
    zone = region_selectors.zone_get(zone_id_or_code=code)
    codes = region_selectors.zone_region_codes(zone)
    orgs = selectors.approved_in_regions(codes)
    by_kind = selectors.counts_by_kind(orgs)
    members = list(zone.memberships.select_related("region", "region__parent").order_by("region_id"))
    context = {
        "zone": zone,
        "members": members,
        "by_kind": by_kind,
        "org_total": sum(r["count"] for r in by_kind),
        "index_runs": web_selectors.zone_published_runs(actor=request.actor, zone=zone),
    }
    return render(request, "web/zone.html", context)


def _directory_query(request):
    form = forms.DirectoryForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Invalid("；".join(e for errs in form.errors.values() for e in errs))
    filters = form.filters() if form.is_bound else {}
    return form, selectors.organisation_list(actor=request.actor, filters=selectors.OrgFilters(**filters))


@require_GET
@domain_errors
def directory(request):
    form, qs = _directory_query(request)
    page = paginate(qs, page=request.GET.get("page") or 1, page_size=20)
    context = {"form": form, "page": page, "querystring": _querystring_without_page(request)}
    template = "orgs/_directory_results.html" if request.headers.get("HX-Request") else "orgs/directory.html"
    return render(request, template, context)


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
@domain_errors
def directory_export(request):
    _, qs = _directory_query(request)
    response = HttpResponse(excel.export_directory(qs.iterator(chunk_size=2000)), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="organisations.xlsx"'
    return response


@require_GET
@domain_errors
def org_detail(request, org_id: int):
    org = selectors.organisation_get(actor=request.actor, org_id=org_id)
    actor = request.actor
    can_review = OrganisationPolicy.can(actor, "review", org)
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "contact": selectors.organisation_contact(actor=actor, org=org),
            "can_review": can_review,
            "review_form": forms.ReviewForm(),
            "events": list(audit.events_for(org)[:20])
            if can_review or actor.reads_region(org.region_id)
            else [],
        },
    )


@require_POST
@login_required
@domain_errors
def org_review(request, org_id: int):
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        raise Invalid("请选择通过或驳回")
    approve = form.cleaned_data["decision"] == "approve"
    org = services.organisation_review(
        actor=request.actor, org_id=org_id, approve=approve, note=form.cleaned_data["note"]
    )
    messages.success(request, f"已{'通过' if approve else '驳回'}：{org.name}")
    return redirect("review-queue")


@require_GET
@login_required
@domain_errors
def review_queue(request):
    if not (request.actor.is_platform_admin or request.actor.bureau_region_codes):
        raise Forbidden("审核队列仅对地区科技主管部门开放")
    page = paginate(
        selectors.review_queue(actor=request.actor), page=request.GET.get("page") or 1, page_size=20
    )
    return render(request, "orgs/review_queue.html", {"page": page, "review_form": forms.ReviewForm()})


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors
def org_import(request):
    if not (request.actor.is_platform_admin or request.actor.bureau_region_codes):
        raise Forbidden("批量导入仅对地区科技主管部门开放")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = excel.read_import(_checked_upload(upload))
            report = services.organisations_import(actor=request.actor, rows=rows)
        except DomainError as exc:
            form.add_error("file", exc.message)
            status = exc.status
        if report is not None and not report.ok:
            status = 400
            request.session["last_import_errors"] = [e.as_dict() for e in report.errors[:5000]]
        elif report is not None:
            messages.success(request, f"导入成功：共写入 {report.created} 家机构")
    elif request.method == "POST":
        status = 400
    return render(request, "orgs/import.html", {"form": form, "report": report}, status=status)


def _checked_upload(upload):
    from django.conf import settings

    if upload.size > settings.XIETONG_MAX_IMPORT_BYTES:
        raise Invalid(f"文件过大（上限 {settings.XIETONG_MAX_IMPORT_BYTES // 1024 // 1024} MB）")
    if not upload.name.lower().endswith(".xlsx"):
        raise Invalid("请上传 .xlsx 格式的 Excel 工作簿")
    return upload


@require_GET
def org_import_template(request):
    if request.GET.get("errors"):
        from xietong.core.excel import RowError

        errors = [RowError(**e) for e in request.session.get("last_import_errors", [])]
        response = HttpResponse(error_workbook(errors), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="import-errors.xlsx"'
        return response
    response = HttpResponse(excel.import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="organisations-template.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def register(request):
    form = forms.RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            account = {k: data.pop(k) for k in ("username", "password", "display_name", "email")}
            try:
                org = services.organisation_register(**account, raw={**data, "kind": OrgKind.ENTERPRISE})
            except DomainError as exc:
                _attach_error(form, exc)
                status = exc.status
            else:
                login(request, org.registered_by, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "注册已提交，等待所在地科技主管部门审核")
                return redirect("org-detail", org_id=org.pk)
        else:
            status = 400
    return render(request, "web/register.html", {"form": form}, status=status)


def _attach_error(form, exc: DomainError) -> None:
    fields = exc.detail.get("fields") or {}
    field = exc.detail.get("field")
    if fields:
        for name, message in fields.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(field if field in form.fields else None, exc.message)


@require_GET
def region_lookup(request):
    """Autocomplete for region inputs: name, pinyin, initials or code."""
    q = (request.GET.get("q") or "").strip()[:30]
    results = region_selectors.region_lookup(q=q, limit=15) if q else []
    return JsonResponse({"results": [{"code": r.code, "name": r.name, "level": r.level} for r in results]})
