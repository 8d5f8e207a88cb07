"""Organisation pages: directory and its export, detail, registration, review, bulk import.

Thin: the same services and selectors as the API; a DomainError raised here becomes an error page in
`core.middleware.DomainErrorPageMiddleware`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.core import audit
from xietong.core.errors import Conflict, DomainError, Forbidden, Invalid
from xietong.core.excel import error_workbook, xlsx_response
from xietong.core.pagination import paginate
from xietong.orgs import excel, forms, selectors, services
from xietong.orgs.enums import OrgKind
from xietong.orgs.policies import OrganisationPolicy

SUSPENDED_SHOWN = 50  # the review page lists the latest suspensions; the directory's status filter has all


def _directory_query(request):
    form = forms.DirectoryForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Invalid("；".join(e for errs in form.errors.values() for e in errs))
    filters = form.filters() if form.is_bound else {}
    return form, selectors.organisation_list(actor=request.actor, filters=selectors.OrgFilters(**filters))


@require_GET
def directory(request):
    """A filter that cannot be read (an unknown region) shows the form with its message and no list."""
    form = forms.DirectoryForm(request.GET or None)
    is_valid = not form.is_bound or form.is_valid()
    filters = form.filters() if form.is_bound and is_valid else {}
    qs = selectors.organisation_list(actor=request.actor, filters=selectors.OrgFilters(**filters))
    number = (form.cleaned_data.get("page") if form.is_bound and is_valid else None) or 1
    page = paginate(qs if is_valid else qs.none(), page=number, page_size=20)
    context = {"form": form, "page": page, "querystring": _querystring_without_page(request)}
    is_htmx = bool(request.headers.get("HX-Request"))
    template = "orgs/_directory_results.html" if is_htmx else "orgs/directory.html"
    # htmx swaps only 2xx answers: the partial carries the message itself, the full page says 400
    return render(request, template, context, status=200 if is_valid or is_htmx else 400)


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def directory_export(request):
    _, qs = _directory_query(request)
    return xlsx_response(excel.export_directory(qs.iterator(chunk_size=2000)), "机构名录.xlsx")


@require_GET
def org_detail(request, org_id: int):
    return _detail_page(request, org_id)


def _detail_page(
    request, org_id: int, *, review_form=None, review_error=None, suspend_form=None, suspend_error=None,
    status: int = 200,
):  # fmt: skip
    """The organisation's page; a refused review or suspension comes back to it with the text kept."""
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
            "review_form": review_form or forms.ReviewForm(),
            "review_error": review_error,
            "can_suspend": OrganisationPolicy.can(actor, "suspend", org),
            "suspend_form": suspend_form or forms.SuspendForm(),
            "suspend_error": suspend_error,
            "events": list(audit.events_for(org)[:20])
            if OrganisationPolicy.can(actor, "view_history", org)
            else [],
        },
        status=status,
    )


@require_POST
@login_required
def org_review(request, org_id: int):
    form = forms.ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(gettext("请选择通过或驳回"))
        approve = form.cleaned_data["decision"] == "approve"
        org = services.organisation_review(
            actor=request.actor, org_id=org_id, approve=approve, note=form.cleaned_data["note"]
        )
    except Invalid as exc:  # a missing reason is the reviewer's to fix, in the form
        return _detail_page(request, org_id, review_form=form, review_error=exc, status=exc.status)
    messages.success(
        request,
        (gettext("已通过：%(name)s") if approve else gettext("已驳回：%(name)s")) % {"name": org.name},
    )
    return redirect("review-queue")


def _suspend_or_reinstate(request, org_id: int, *, suspend: bool):
    """One view body for both buttons; a missing reason or a stale status comes back to the page, 4xx."""
    form = forms.SuspendForm(request.POST)  # shown again on a refusal; the service checks the reason
    try:
        org = services.organisation_suspend(
            actor=request.actor, org_id=org_id, suspend=suspend, note=request.POST.get("note", "")
        )
    except (Invalid, Conflict) as exc:  # the operator's to fix (or to see: someone acted first)
        return _detail_page(request, org_id, suspend_form=form, suspend_error=exc, status=exc.status)
    done = gettext("已暂停：%(name)s") if suspend else gettext("已恢复：%(name)s")
    messages.success(request, done % {"name": org.name})
    return redirect("org-detail", org_id=org.pk)


@require_POST
@login_required
def org_suspend(request, org_id: int):
    return _suspend_or_reinstate(request, org_id, suspend=True)


@require_POST
@login_required
def org_reinstate(request, org_id: int):
    return _suspend_or_reinstate(request, org_id, suspend=False)


@require_GET
@login_required
def review_queue(request):
    if not OrganisationPolicy.can(request.actor, "review_queue"):
        raise Forbidden(gettext("审核队列仅对地区科技主管部门开放"))
    page = paginate(
        selectors.review_queue(actor=request.actor), page=request.GET.get("page") or 1, page_size=20
    )
    suspended = selectors.suspended_list(actor=request.actor)[:SUSPENDED_SHOWN]
    return render(
        request,
        "orgs/review_queue.html",
        {"page": page, "review_form": forms.ReviewForm(), "suspended": list(suspended)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def org_import(request):
    if not OrganisationPolicy.can(request.actor, "import"):
        raise Forbidden(gettext("批量导入仅对地区科技主管部门开放"))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = excel.read_import(upload)
            report = services.organisations_import(actor=request.actor, rows=rows)
        except DomainError as exc:
            form.add_error("file", exc.message)
            status = exc.status
        if report is not None and not report.ok:
            status = 400
            request.session["last_import_errors"] = [e.as_dict() for e in report.errors[:5000]]
        elif report is not None:
            messages.success(request, gettext("导入成功：共写入 %(n)s 家机构") % {"n": report.created})
    elif request.method == "POST":
        status = 400
    return render(request, "orgs/import.html", {"form": form, "report": report}, status=status)


@require_GET
def org_import_template(request):
    if request.GET.get("errors"):
        from xietong.core.excel import RowError

        errors = [RowError.from_dict(e) for e in request.session.get("last_import_errors", [])]
        return xlsx_response(error_workbook(errors), "导入错误报告.xlsx")
    return xlsx_response(excel.import_template(), "机构导入模板.xlsx")


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
                messages.success(request, gettext("注册已提交，等待所在地科技主管部门审核"))
                return redirect("org-detail", org_id=org.pk)
        else:
            status = 400
    return render(request, "orgs/register.html", {"form": form}, status=status)


def _attach_error(form, exc: DomainError) -> None:
    fields = exc.detail.get("fields") or {}
    field = exc.detail.get("field")
    if fields:
        for name, message in fields.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(field if field in form.fields else None, exc.message)
