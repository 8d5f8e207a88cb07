"""Pages of coordination: thin, the same services and selectors as the API.

A refused form is shown again with the service's Chinese message and the error's status (4xx); nothing is
written (the service's transaction rolled back, and `core.files` removed any stored file).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.coordination import exports, feed, forms, markup, metrics, selectors, services
from xietong.coordination.enums import Light, MajorItemStatus, TaskStatus
from xietong.coordination.policies import (
    AgreementPolicy,
    BodyPolicy,
    DecisionPolicy,
    MeetingPolicy,
    ReportPolicy,
    TaskPolicy,
    UnitPolicy,
)
from xietong.core import clock, files
from xietong.core.errors import DomainError, Forbidden
from xietong.core.excel import xlsx_response
from xietong.core.pagination import paginate
from xietong.core.pdf import pdf_response


def _render_error(request, template: str, context: dict, error: DomainError):
    return render(request, template, {**context, "error": error.message}, status=error.status)


def _filters(request) -> tuple[selectors.TaskFilters, int]:
    data = forms.cleaned(forms.TaskFilterForm(request.GET))
    status = data["status"] if data["status"] in TaskStatus.values else ""
    filters = selectors.TaskFilters(
        body=data["body"],
        unit=data["unit"],
        light=data["light"],
        status=status,
        q=data["q"],
        mine=data["mine"],
    )
    return filters, data["page"] or 1


# ---------------------------------------------------------------- dashboard and lists


def _dashboard_context(actor, body_id: int | None) -> dict:
    bodies = list(selectors.managed_bodies(actor=actor))
    chosen = [b for b in bodies if b.pk == body_id] if body_id else bodies
    stats = selectors.dashboard(actor=actor, body_ids=[b.pk for b in chosen])
    table = exports.light_table(stats["by_unit"])
    months = sorted({(y, m) for y, m, _ in stats["due"]} | {(y, m) for y, m, _ in stats["done"]})
    due, done = {(y, m): n for y, m, n in stats["due"]}, {(y, m): n for y, m, n in stats["done"]}
    cumulative_due, cumulative_done, rd, rn = [], [], 0, 0
    for key in months:
        rd += due.get(key, 0)
        rn += done.get(key, 0)
        cumulative_due.append(rd)
        cumulative_done.append(rn)
    chart = {
        "units": [r[0] for r in table],
        "red": [r[1] for r in table], "yellow": [r[2] for r in table], "green": [r[3] for r in table],
        "months": [f"{y}-{m:02d}" for y, m in months], "due": cumulative_due, "done": cumulative_done,
        "status": [{"name": str(label), "value": stats["by_status"].get(value, 0)} for value, label in TaskStatus.choices],
    }  # fmt: skip
    totals = {colour: sum(r[i] for r in table) for i, colour in enumerate(Light.values, start=1)}
    totals = {
        "red": sum(r[1] for r in table),
        "yellow": sum(r[2] for r in table),
        "green": sum(r[3] for r in table),
    }
    sample = 987654321  # each member's row links to its unit page: reverse once, fill in the ids (300 rows)
    head, tail = reverse("coordination:unit", args=[sample]).split(str(sample))
    return {
        "bodies": bodies,
        "body_id": body_id,
        "stats": stats,
        "table": table,
        "table_rows": [(*row[:5], f"{head}{row[5]}{tail}") for row in table],
        "chart": chart,
        "totals": totals,
    }


@require_GET
@login_required
def dashboard(request):
    BodyPolicy.require(request.actor, "dashboard")
    body_id = forms.cleaned(forms.TaskFilterForm(request.GET))["body"]
    return render(request, "coordination/dashboard.html", _dashboard_context(request.actor, body_id))


@require_GET
@login_required
def bulletin(request):
    BodyPolicy.require(request.actor, "dashboard")
    body_id = forms.cleaned(forms.TaskFilterForm(request.GET))["body"]
    context = _dashboard_context(request.actor, body_id)
    names = "、".join(b.name for b in context["bodies"] if not body_id or b.pk == body_id) or "督办事项"
    content = exports.bulletin_pdf(title=f"督办通报 · {names}", stats=context["stats"])
    return pdf_response(content, f"督办通报-{clock.today():%Y%m%d}.pdf")


@require_GET
@login_required
def mine(request):
    actor = request.actor
    units = list(selectors.my_units(actor=actor))
    tasks = selectors.task_list(actor=actor, filters=selectors.TaskFilters(mine=True))
    page = paginate(tasks, page=forms.cleaned(forms.TaskFilterForm(request.GET))["page"] or 1, page_size=20)
    feeds = [(u, request.build_absolute_uri(f"/coordination/units/{u.pk}/calendar/{u.feed_token}.ics"))
             for u in units if UnitPolicy.can(actor, "view_feed", u)]  # fmt: skip
    return render(request, "coordination/mine.html", {"units": units, "page": page, "feeds": feeds})


@require_GET
@login_required
def task_list(request):
    filters, page_number = _filters(request)
    qs = selectors.task_list(actor=request.actor, filters=filters)
    page = paginate(qs, page=page_number, page_size=30)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "coordination/task_list.html", {
        "page": page, "filters": filters, "querystring": params.urlencode(),
        "bodies": selectors.body_list(actor=request.actor), "statuses": TaskStatus.choices,
    })  # fmt: skip


@require_GET
@login_required
def task_export(request):
    TaskPolicy.require(request.actor, "export")
    filters, _ = _filters(request)
    qs = selectors.task_list(actor=request.actor, filters=filters).select_related("body", "lead_unit")
    return xlsx_response(exports.tasks_workbook(qs), f"督办事项-{clock.today():%Y%m%d}.xlsx")


# ---------------------------------------------------------------- one task


def _task_context(request, task, **extra) -> dict:
    actor = request.actor
    reports = list(task.reports.all())  # tenancy-ok: prefetched by task_get
    milestones = list(task.milestones.all())  # tenancy-ok: prefetched by task_get
    co_units = list(task.co_units.all())
    return {
        "task": task, "reports": reports, "milestones": milestones, "co_units": co_units, "may_manage": TaskPolicy.can(actor, "manage", task),
        "may_report": TaskPolicy.can(actor, "report", task),
        "reviewable": {r.pk for r in reports if ReportPolicy.can(actor, "review", r)},
        "description": markup.render(task.description), "metric_name": metrics.provider_name(task.metric_key),
        "metric_unit": metrics.provider_unit(task.metric_key), "today": clock.today(),
        "metric_scope_name": metrics.scope_name(task.metric_scope_kind, task.metric_scope) if task.metric_key else "",
        **extra,
    }  # fmt: skip


@require_GET
@login_required
def task_detail(request, pk: int):
    task = selectors.task_get(actor=request.actor, pk=pk)
    return render(request, "coordination/task_detail.html", _task_context(request, task))


@require_POST
@login_required
def report_submit(request, pk: int):
    task = selectors.task_get(actor=request.actor, pk=pk)
    form = forms.ReportForm(request.POST, request.FILES)
    try:
        data = forms.cleaned(form)
        services.report_submit(
            actor=request.actor, task_id=task.pk, text=data["text"], percent=data["percent"],
            uploads=data["files"], unit_id=data["unit"],
        )  # fmt: skip
    except DomainError as error:
        return _render_error(
            request, "coordination/task_detail.html", _task_context(request, task, form=form), error
        )
    messages.success(request, gettext("进展已报送，等待协同区办公室验收"))
    return redirect("coordination:task", pk=task.pk)


@require_POST
@login_required
def report_review(request, pk: int):
    report = selectors.report_get(actor=request.actor, pk=pk)
    try:
        data = forms.cleaned(forms.ReviewForm(request.POST))
        services.report_review(
            actor=request.actor, report_id=report.pk, accept=data["accept"], note=data["note"]
        )
    except DomainError as error:
        task = selectors.task_get(actor=request.actor, pk=report.task_id)
        return _render_error(request, "coordination/task_detail.html", _task_context(request, task), error)
    messages.success(request, gettext("已验收") if data["accept"] else gettext("已退回"))
    return redirect("coordination:task", pk=report.task_id)


@require_POST
@login_required
def task_suspend(request, pk: int):
    suspend = request.POST.get("suspend") == "1"
    services.task_set_suspended(
        actor=request.actor, task_id=pk, suspended=suspend, note=request.POST.get("note", "")
    )
    messages.success(request, gettext("已暂缓") if suspend else gettext("已恢复推进"))
    return redirect("coordination:task", pk=pk)


@require_POST
@login_required
def milestone_done(request, pk: int, milestone_id: int):
    services.milestone_mark_done(actor=request.actor, task_id=pk, milestone_id=milestone_id)
    messages.success(request, gettext("节点已完成"))
    return redirect("coordination:task", pk=pk)


@require_GET
@login_required
def evidence_download(request, pk: int):
    evidence = selectors.evidence_get(actor=request.actor, pk=pk)
    return files.private_file_response(
        storage=files.private_storage(), name=evidence.file.name, filename=evidence.original_name
    )


# ---------------------------------------------------------------- bodies and meetings


@require_GET
def body_list(request):
    bodies = selectors.body_list(actor=request.actor).prefetch_related("members")
    return render(request, "coordination/body_list.html", {"bodies": bodies})


def _body_context(request, body, **extra) -> dict:
    return {"body": body, "meetings": selectors.meeting_list(actor=request.actor, body=body),
            "may_manage": BodyPolicy.can(request.actor, "manage", body), "today": clock.today(), **extra}  # fmt: skip


@require_GET
def body_detail(request, pk: int):
    body = selectors.body_get(actor=request.actor, pk=pk)
    return render(request, "coordination/body_detail.html", _body_context(request, body))


@require_POST
@login_required
def meeting_new(request, pk: int):
    body = selectors.body_get(actor=request.actor, pk=pk)
    form = forms.MeetingForm(request.POST, units=body.members.all())
    try:
        data = forms.cleaned(form)
        meeting = services.meeting_create(
            actor=request.actor, body_id=body.pk, title=data["title"], held_on=data["held_on"],
            location=data["location"], agenda=data["agenda"], minutes=data["minutes"], attendee_ids=data["attendees"],
        )  # fmt: skip
    except DomainError as error:
        return _render_error(
            request, "coordination/body_detail.html", _body_context(request, body, form=form), error
        )
    return redirect("coordination:meeting", pk=meeting.pk)


def _meeting_context(request, meeting, **extra) -> dict:
    actor = request.actor
    decisions = list(selectors.decision_list(actor=actor, meeting=meeting))
    may_minutes = MeetingPolicy.can(actor, "view_minutes", meeting)
    return {
        "meeting": meeting, "decisions": [(d, markup.render(d.text)) for d in decisions],
        "may_manage": BodyPolicy.can(actor, "manage", meeting.body), "may_minutes": may_minutes,
        "minutes": markup.render(meeting.minutes) if may_minutes else "",
        "agenda": markup.render(meeting.agenda) if may_minutes else "",
        "units": selectors.unit_list(actor=actor), "metrics": metrics.available(), "today": clock.today(),
        "may_make_task": any(DecisionPolicy.can(actor, "make_task", d) for d in decisions), **extra,
    }  # fmt: skip


@require_GET
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(actor=request.actor, pk=pk)
    return render(
        request,
        "coordination/meeting_detail.html",
        _with_task_links(request, _meeting_context(request, meeting)),
    )


@require_POST
@login_required
def decision_add(request, pk: int):
    meeting = selectors.meeting_get(actor=request.actor, pk=pk)
    form = forms.DecisionForm(request.POST)
    try:
        data = forms.cleaned(form)
        services.decision_add(
            actor=request.actor, meeting_id=meeting.pk, text=data["text"], is_public=data["is_public"]
        )
    except DomainError as error:
        return _render_error(
            request,
            "coordination/meeting_detail.html",
            _meeting_context(request, meeting, decision_form=form),
            error,
        )
    messages.success(request, gettext("议定事项已记录"))
    return redirect("coordination:meeting", pk=meeting.pk)


@require_POST
@login_required
def decision_task(request, pk: int):
    decision = selectors.decision_get(actor=request.actor, pk=pk)
    form = forms.TaskForm(request.POST, units=selectors.unit_list(actor=request.actor))
    try:
        task = services.decision_make_task(
            actor=request.actor, decision_id=decision.pk, data=form.task_input()
        )
    except DomainError as error:
        meeting = selectors.meeting_get(actor=request.actor, pk=decision.meeting_id)
        context = _meeting_context(request, meeting, task_form=form, failed_decision=decision.pk)
        return _render_error(request, "coordination/meeting_detail.html", context, error)
    messages.success(request, gettext("已转为督办事项，牵头单位：%(unit)s") % {"unit": task.lead_unit.name})
    return redirect("coordination:meeting", pk=decision.meeting_id)


# ---------------------------------------------------------------- agreements and major items


def _agreement_list_context(request, **extra) -> dict:
    actor = request.actor
    return {"agreements": selectors.agreement_list(actor=actor), "may_create": AgreementPolicy.can(actor, "create"),
            "zones": _managed_zones(actor), "units": selectors.unit_list(actor=actor), **extra}  # fmt: skip


def _managed_zones(actor) -> list:
    return list({b.zone.code: b.zone for b in selectors.managed_bodies(actor=actor)}.values())


@require_GET
def agreement_list(request):
    return render(request, "coordination/agreement_list.html", _agreement_list_context(request))


@require_POST
@login_required
def agreement_new(request):
    units = selectors.unit_list(actor=request.actor)
    form = forms.AgreementForm(request.POST, request.FILES, units=units)
    try:
        data = forms.cleaned(form)
        agreement = services.agreement_create(
            actor=request.actor, zone=data["zone"], title=data["title"], signed_on=data["signed_on"],
            text=data["text"], party_ids=data["parties"], signed_file=data["signed_file"],
        )  # fmt: skip
    except DomainError as error:
        return _render_error(
            request, "coordination/agreement_list.html", _agreement_list_context(request), error
        )
    messages.success(request, gettext("合作协议已登记"))
    return redirect("coordination:agreement", pk=agreement.pk)


def _agreement_context(request, agreement, **extra) -> dict:
    actor = request.actor
    by_party: dict = {}
    for commitment in agreement.commitments.all():  # tenancy-ok: prefetched by agreement_get
        by_party.setdefault(commitment.party, []).append(commitment)
    return {
        "agreement": agreement, "by_party": list(by_party.items()), "text": markup.render(agreement.text),
        "may_manage": AgreementPolicy.can(actor, "manage", agreement),
        "may_download": bool(agreement.signed_file) and AgreementPolicy.can(actor, "download", agreement),
        "bodies": selectors.managed_bodies(actor=actor), "today": clock.today(), **extra,
    }  # fmt: skip


@require_GET
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_get(actor=request.actor, pk=pk)
    return render(
        request,
        "coordination/agreement_detail.html",
        _with_task_links(request, _agreement_context(request, agreement)),
    )


@require_POST
@login_required
def commitment_add(request, pk: int):
    agreement = selectors.agreement_get(actor=request.actor, pk=pk)
    try:
        data = forms.cleaned(forms.CommitmentForm(request.POST))
        services.commitment_add(
            actor=request.actor, agreement_id=agreement.pk, party_id=data["party"], text=data["text"],
            deadline=data["deadline"],
        )  # fmt: skip
    except DomainError as error:
        return _render_error(
            request, "coordination/agreement_detail.html", _agreement_context(request, agreement), error
        )
    messages.success(request, gettext("承诺事项已登记"))
    return redirect("coordination:agreement", pk=agreement.pk)


@require_POST
@login_required
def commitment_task(request, pk: int):
    commitment = selectors.commitment_get(actor=request.actor, pk=pk)
    form = forms.TaskForm(request.POST, units=selectors.unit_list(actor=request.actor))
    body_id = forms.cleaned(forms.TaskFilterForm(request.POST))["body"]
    try:
        if body_id is None:
            raise Forbidden(gettext("请选择议事机构"))
        services.commitment_make_task(
            actor=request.actor, commitment_id=commitment.pk, body_id=body_id, data=form.task_input()
        )
    except DomainError as error:
        agreement = selectors.agreement_get(actor=request.actor, pk=commitment.agreement_id)
        return _render_error(
            request, "coordination/agreement_detail.html", _agreement_context(request, agreement), error
        )
    messages.success(request, gettext("承诺事项已转为督办事项"))
    return redirect("coordination:agreement", pk=commitment.agreement_id)


@require_GET
@login_required
def agreement_signed(request, pk: int):
    agreement = selectors.agreement_get(actor=request.actor, pk=pk)
    AgreementPolicy.require(request.actor, "download", agreement)
    if not agreement.signed_file:
        raise Http404
    return files.private_file_response(
        storage=files.private_storage(), name=agreement.signed_file.name, filename=agreement.signed_file_name
    )


def _major_list_context(request) -> dict:
    from xietong.coordination.policies import MajorItemPolicy

    actor = request.actor
    return {"items": selectors.major_item_list(actor=actor), "statuses": MajorItemStatus.choices,
            "may_create": MajorItemPolicy.can(actor, "create"), "zones": _managed_zones(actor),
            "units": selectors.unit_list(actor=actor)}  # fmt: skip


@require_GET
@login_required
def major_item_list(request):
    return render(request, "coordination/major_items.html", _major_list_context(request))


@require_POST
@login_required
def major_item_new(request):
    form = forms.MajorItemForm(request.POST, units=selectors.unit_list(actor=request.actor))
    try:
        data = forms.cleaned(form)
        item = services.major_item_create(
            actor=request.actor, zone=data["zone"], title=data["title"], ministry=data["ministry"],
            description=data["description"], co_sponsor_ids=data["co_sponsors"],
        )  # fmt: skip
    except DomainError as error:
        return _render_error(request, "coordination/major_items.html", _major_list_context(request), error)
    messages.success(request, gettext("已列入重大事项清单"))
    return redirect("coordination:major-item", pk=item.pk)


def _major_context(request, item, **extra) -> dict:
    from xietong.coordination.policies import MajorItemPolicy

    return {"item": item, "description": markup.render(item.description), "statuses": MajorItemStatus.choices,
            "may_manage": MajorItemPolicy.can(request.actor, "manage", item), **extra}  # fmt: skip


@require_GET
@login_required
def major_item_detail(request, pk: int):
    item = selectors.major_item_get(actor=request.actor, pk=pk)
    return render(
        request,
        "coordination/major_item_detail.html",
        _with_task_links(request, _major_context(request, item)),
    )


@require_POST
@login_required
def major_item_status(request, pk: int):
    item = selectors.major_item_get(actor=request.actor, pk=pk)
    try:
        data = forms.cleaned(forms.MajorItemStatusForm(request.POST))
        services.major_item_set_status(
            actor=request.actor, item_id=item.pk, status=data["status"], note=data["note"]
        )
    except DomainError as error:
        return _render_error(
            request, "coordination/major_item_detail.html", _major_context(request, item), error
        )
    messages.success(request, gettext("状态已更新"))
    return redirect("coordination:major-item", pk=item.pk)


# ---------------------------------------------------------------- the calendar feed


@require_GET
def unit_calendar(request, pk: int, token: str):
    """No login (calendar apps cannot log in): the private token in the URL stands for the unit; wrong is 404."""
    unit = selectors.unit_for_feed(actor=request.actor, pk=pk, token=token)
    response = HttpResponse(
        feed.unit_calendar(actor=request.actor, unit=unit), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _feed_url(request, unit) -> str:
    return request.build_absolute_uri(
        reverse("coordination:unit-calendar", kwargs={"pk": unit.pk, "token": unit.feed_token})
    )


@require_GET
@login_required
def unit_detail(request, pk: int):
    """A unit's page: its tasks by light, the overdue ones, its reports; its calendar link for its members."""
    actor = request.actor
    unit = selectors.unit_page_get(actor=actor, pk=pk)
    light = request.GET.get("light", "")
    light = light if light in Light.values else ""
    overview = selectors.unit_overview(actor=actor, unit=unit, light=light)
    page = paginate(
        overview["tasks"], page=forms.cleaned(forms.TaskFilterForm(request.GET))["page"] or 1, page_size=30
    )
    feed_url = _feed_url(request, unit) if UnitPolicy.can(actor, "view_feed", unit) else ""
    return render(request, "coordination/unit_detail.html", {
        "unit": unit, "overview": overview, "page": page, "light": light, "feed_url": feed_url,
        "querystring": f"light={light}" if light else "", "lights": [(v, str(label)) for v, label in Light.choices],
    })  # fmt: skip


@require_http_methods(["POST"])
@login_required
def unit_feed_rotate(request, pk: int):
    services.unit_rotate_feed_token(actor=request.actor, unit_id=pk)
    messages.success(request, gettext("已更换日历订阅链接，旧链接失效"))
    return redirect("coordination:mine")


def _with_task_links(request, context: dict) -> dict:
    """Tasks listed on a meeting, agreement or major-item page link only where the reader may open them."""
    parents = [d for d, _html in context.get("decisions", [])]
    if "agreement" in context:
        parents += list(context["agreement"].commitments.all())  # tenancy-ok: prefetched by agreement_get
    if "item" in context:
        parents.append(context["item"])
    ids = {
        t.pk for parent in parents for t in parent.tasks.all()
    }  # tenancy-ok: tasks of objects the page's selector fetched
    context["visible_task_ids"] = selectors.visible_task_ids(actor=request.actor, task_ids=ids)
    return context
