"""The reviewer's application page (核定金额 beside the firm's history), reached from the to-do centre."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xietong.core import files
from xietong.core.errors import Invalid, NotFound
from xietong.core.excel import Sheet, write_sheets, xlsx_response
from xietong.core.money import fen_to_yuan, yuan_to_fen
from xietong.core.pagination import paginate
from xietong.vouchers import selectors, services
from xietong.vouchers.policies import ApplicationPolicy
from xietong.vouchers.services import paperwork as services_paperwork


class DecisionForm(django_forms.Form):
    decision = django_forms.ChoiceField(choices=[("approve", "通过"), ("reject", "驳回")])
    amount = django_forms.CharField(required=False, max_length=20)
    note = django_forms.CharField(required=False, max_length=300)
    next = django_forms.CharField(required=False, max_length=20)


@require_GET
@login_required
def application_detail(request, application_id: int):
    return _page(request, application_id)


def _page(request, application_id: int, *, error=None, status: int = 200):
    actor = request.actor
    application = selectors.application_get(actor=actor, application_id=application_id)
    history = selectors.enterprise_history(
        actor=actor, enterprise_id=application.enterprise_id, exclude_application=application.pk
    )
    context = {
        "a": application,
        "history": history,
        "can_review": ApplicationPolicy.can(actor, "review", application)
        and application.status == "submitted",
        "final_step": application.review_region_id is None,
        "waiting_at": selectors.application_waiting_at(application=application),
        "steps": selectors.application_steps(actor=actor, application=application),
        "attachments": selectors.application_attachments(actor=actor, application=application),
        "can_attach": ApplicationPolicy.can(actor, "attach", application)
        and application.status == "submitted",
        "error": error,
        "came_from": request.GET.get("from", ""),
        # the way back: the applicant to its vouchers, a reviewer to the queue it came from
        "applicant": ApplicationPolicy.can(actor, "attach", application),
    }
    return render(request, "vouchers/application.html", context, status=status)


@require_POST
@login_required
def application_decide(request, application_id: int):
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(_("请选择通过或驳回"))
        approve = form.cleaned_data["decision"] == "approve"
        raw = form.cleaned_data["amount"].strip()
        amount = yuan_to_fen(raw) if approve and raw else None
        application = services.application_review(
            actor=request.actor,
            application_id=application_id,
            approve=approve,
            note=form.cleaned_data["note"],
            amount_fen=amount,
        )
    except Invalid as exc:
        return _page(request, application_id, error=exc, status=exc.status)
    messages.success(
        request,
        (_("已通过：%(name)s") if approve else _("已驳回：%(name)s")) % {"name": application.enterprise.name},
    )
    if form.cleaned_data.get("next") == "todos":
        return redirect("core:todos")
    return redirect("vouchers:application", application_id=application.pk)


@require_GET
@login_required
def application_attachment(request, application_id: int, attachment_id: int):
    attachment = services.attachment_open(
        actor=request.actor, application_id=application_id, attachment_id=attachment_id
    )
    return files.field_file_response(attachment.file, filename=attachment.original_name)


@require_POST
@login_required
def application_attach(request, application_id: int):
    try:
        services.application_attach(
            actor=request.actor, application_id=application_id, files=request.FILES.getlist("files")
        )
    except Invalid as exc:
        return _page(request, application_id, error=exc, status=exc.status)
    messages.success(request, _("附件已上传"))
    return redirect("vouchers:application", application_id=application_id)


@require_POST
@login_required
def statement_pay(request, statement_id: int):
    services_paperwork.statement_pay_with_proof(
        actor=request.actor,
        statement_id=statement_id,
        reference=request.POST.get("reference", ""),
        proof=request.FILES.get("proof"),
        confirmed_capitals=request.POST.get("confirm", ""),
    )
    messages.success(request, _("结算单已标记为已支付，支付凭证已存档"))
    return redirect("vouchers:statement", statement_id=statement_id)


@require_GET
@login_required
def statement_proof(request, statement_id: int):
    statement = selectors.statement_get(actor=request.actor, statement_id=statement_id)
    if not statement.paid_proof:
        raise NotFound(_("该结算单没有支付凭证"))
    return files.field_file_response(statement.paid_proof, filename=statement.paid_proof_name)


@require_POST
@login_required
def statement_payee(request, statement_id: int):
    statement = selectors.statement_get(actor=request.actor, statement_id=statement_id)
    services_paperwork.payee_account_set(
        actor=request.actor,
        region_code=statement.counterpart_region_id,
        account_name=request.POST.get("account_name", ""),
        bank_name=request.POST.get("bank_name", ""),
        account_no=request.POST.get("account_no", ""),
    )
    messages.success(request, _("收款账户已保存"))
    return redirect("vouchers:statement", statement_id=statement_id)


PUBLICITY_HEADER = [
    "企业名称",
    "服务机构",
    "服务机构所在地",
    "兑付金额（元）",
    "公示开始",
    "公示结束",
    "状态",
]


def _publicity_rows(rows) -> list[list]:
    return [
        [r.enterprise.name, r.provider.name, r.provider.region.name, fen_to_yuan(r.amount_fen),
         r.publicity_starts_on, r.publicity_ends_on, "公示中" if r.status == "publicised" else "公示期满已兑付"]
        for r in rows
    ]  # fmt: skip


@require_GET
def programme_publicity(request, programme_id: int):
    programme = selectors.programme_get(actor=request.actor, programme_id=programme_id)
    q = request.GET.get("q", "")
    qs = selectors.programme_publicity(actor=request.actor, programme=programme, q=q)
    if request.GET.get("format") == "xlsx":
        content = write_sheets(
            [
                Sheet(
                    title="公示",
                    header=PUBLICITY_HEADER,
                    rows=_publicity_rows(qs),
                    widths=[28, 28, 14, 14, 12, 12, 14],
                )
            ]
        )
        return xlsx_response(content, f"{programme.name}-公示.xlsx")
    try:
        page_no = int(request.GET.get("page") or 1)
    except ValueError:
        page_no = 1
    page = paginate(qs, page=min(max(page_no, 1), 100_000), page_size=50)
    context = {"programme": programme, "page": page, "rows": _publicity_rows(page.items), "q": q}
    return render(request, "vouchers/programme_publicity.html", context)
