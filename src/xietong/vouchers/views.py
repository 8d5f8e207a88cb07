"""Pages: thin, the same services and selectors as the API."""

from __future__ import annotations

import dataclasses
import uuid
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.core import files
from xietong.core.acting import denial_message
from xietong.core.errors import DomainError, Forbidden, Invalid, NotFound
from xietong.core.excel import xlsx_response
from xietong.core.money import format_yuan
from xietong.core.pagination import paginate
from xietong.core.pdf import pdf_response
from xietong.orgs import selectors as org_selectors
from xietong.resources import selectors as order_selectors
from xietong.vouchers import exports, forms, selectors, services
from xietong.vouchers.policies import (
    ApplicationPolicy,
    BundlePolicy,
    GrantPolicy,
    ProgrammePolicy,
    RedemptionPolicy,
    StatementPolicy,
)


def _page(request, qs, size=20):
    return paginate(qs, page=request.GET.get("page") or 1, page_size=size)


def _form_error(form) -> Invalid:
    return Invalid(_("；").join(e for errs in form.errors.values() for e in errs) or _("输入有误"))


@require_GET
def programme_list(request):
    actor = request.actor
    page = _page(request, selectors.programme_list(actor=actor))
    context = {
        "page": page,
        "managed_ids": {p.pk for p in page.items if ProgrammePolicy.can(actor, "manage", p)},
        "is_issuer": ProgrammePolicy.can(actor, "create"),
    }
    return render(request, "vouchers/programmes.html", context)


def _my_enterprises(actor):
    return org_selectors.own_organisations(actor=actor)


def _refuse_foreign_enterprise(actor, raw: str) -> None:
    """Applying in another organisation's name is refused as the service refuses it (403), not as a bad form."""
    raw = raw.strip()
    if (
        raw.isascii()
        and raw.isdigit()
        and not ApplicationPolicy.can(actor, "submit_for", SimpleNamespace(pk=int(raw)))
    ):
        raise Forbidden(denial_message(actor, _("只能以本单位名义申领创新券")))


@require_GET
def programme_detail(request, programme_id: int):
    programme = selectors.programme_get(actor=request.actor, programme_id=programme_id)
    form = forms.ApplyForm()
    own = _my_enterprises(request.actor)
    # an organisation still under review may not apply (the service refuses it): offer no form it cannot send
    form.fields["enterprise"].choices = [
        (o.pk, o.name) for o in own if o.pk in request.actor.acting_organisation_ids
    ]
    return render(
        request,
        "vouchers/programme.html",
        {
            "programme": programme,
            "form": form,
            "awaiting_approval": bool(own) and not form.fields["enterprise"].choices,
            "manages": ProgrammePolicy.can(request.actor, "manage", programme),
            "can_dashboard": ProgrammePolicy.can(request.actor, "dashboard", programme),
        },
    )


@require_POST
@login_required
def apply(request, programme_id: int):
    _refuse_foreign_enterprise(request.actor, request.POST.get("enterprise", ""))
    form = forms.ApplyForm(request.POST)
    form.fields["enterprise"].choices = [(o.pk, o.name) for o in _my_enterprises(request.actor)]
    if not form.is_valid():
        raise _form_error(form)
    application = services.application_submit(
        actor=request.actor,
        programme_id=programme_id,
        enterprise_id=form.cleaned_data["enterprise"],
        amount_fen=form.cleaned_data["amount"],
        purpose=form.cleaned_data["purpose"],
        files=request.FILES.getlist("files"),
    )
    waiting = (
        application.review_region.name if application.review_region else application.programme.issuer_name
    )
    messages.success(request, _("申领已提交，等待%(reviewer)s审核") % {"reviewer": waiting})
    return redirect("vouchers:my-grants")


@require_GET
def dashboard(request, programme_id: int):
    data = selectors.programme_dashboard(actor=request.actor, programme_id=programme_id)
    return render(request, "vouchers/dashboard.html", {"programme": data.pop("programme"), "data": data})


@require_GET
@login_required
def grants_export(request, programme_id: int):
    grants = selectors.grant_list(actor=request.actor, programme_id=programme_id).iterator(chunk_size=2000)
    return xlsx_response(exports.grants_xlsx(grants), f"创新券额度-{programme_id}.xlsx")


@require_GET
@login_required
def my_grants(request):
    actor = request.actor
    grants = _page(request, selectors.grant_list(actor=actor, mine=True))
    applications = selectors.application_list(actor=actor, mine=True)[:20]
    invitations = selectors.bundle_invitations(actor=actor)[:20]
    context = {"page": grants, "applications": applications, "invitations": invitations}
    return render(request, "vouchers/my_grants.html", context)


@require_GET
@login_required
def grant_detail(request, grant_id: int):
    grant = selectors.grant_get(actor=request.actor, grant_id=grant_id)
    context = {
        "grant": grant,
        "balance": selectors.grant_balance(actor=request.actor, grant=grant),
        "history": selectors.grant_history(actor=request.actor, grant=grant),
        "redemptions": selectors.redemption_list(actor=request.actor).filter(grant=grant)[:50],
        "can_use": GrantPolicy.can(request.actor, "use", grant),
        "use_form": forms.UseForm(initial={"idempotency_key": uuid.uuid4().hex}),
    }
    if context["can_use"]:
        context["orders"] = selectors.orders_for_use(actor=request.actor, grant=grant)
    return render(request, "vouchers/grant.html", context)


@require_POST
@login_required
def grant_use(request, grant_id: int):
    form = forms.UseForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    redemption = services.redemption_reserve(
        actor=request.actor,
        grant_id=grant_id,
        order_id=form.cleaned_data["order_id"],
        amount_fen=form.cleaned_data["amount"],
        idempotency_key=form.cleaned_data["idempotency_key"],
    )
    messages.success(request, _("已在订单 %(number)s 上预留创新券") % {"number": redemption.order.number})
    return redirect("vouchers:grant", grant_id=grant_id)


@require_GET
@login_required
def review(request):
    actor = request.actor
    if not ProgrammePolicy.can(actor, "review_queue"):
        raise Forbidden(_("审核队列仅对科技主管部门和协同区办公室开放"))
    context = {
        "applications": _page(request, selectors.application_review_queue(actor=actor)),
        "claims": selectors.claim_review_queue(actor=actor)[:50],
        "payable": selectors.payable_list(actor=actor)[:50],
        "managed": selectors.programmes_managed(actor=actor)[:20],
        "form": forms.ReviewForm(),
    }
    return render(request, "vouchers/review.html", context)


@require_POST
@login_required
def application_review(request, application_id: int):
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("请选择通过或驳回"))
    approve = form.cleaned_data["decision"] == "approve"
    application = services.application_review(
        actor=request.actor, application_id=application_id, approve=approve, note=form.cleaned_data["note"]
    )
    messages.success(
        request,
        (_("已通过：%(name)s") if approve else _("已驳回：%(name)s")) % {"name": application.enterprise.name},
    )
    return redirect("vouchers:review")


@require_GET
def redemption_detail(request, redemption_id: int):
    return _redemption_page(request, redemption_id)


def _redemption_page(
    request, redemption_id: int, *, review_form=None, error=None, claim_error=None, status: int = 200
):
    """The reviewer decides here, with every evidence file a click away; a refused decision comes back to it."""
    redemption = selectors.redemption_get(actor=request.actor, redemption_id=redemption_id)
    actor = request.actor
    evidence, objections = selectors.redemption_papers(actor=actor, redemption=redemption)
    context = {
        "r": redemption,
        "evidence": evidence,
        "can_read_evidence": RedemptionPolicy.can(actor, "read_evidence", redemption),
        "objections": objections,
        "can_claim": RedemptionPolicy.can(actor, "claim", redemption),
        "can_review": RedemptionPolicy.can(actor, "review", redemption),
        "sees_order": _sees_order(actor, redemption.order_id),
        "claim_form": forms.ClaimForm(),
        "review_form": review_form or forms.ReviewForm(),
        "review_error": error,
        "claim_error": claim_error,
        "reference_form": forms.ReferenceForm(),
    }
    return render(request, "vouchers/redemption.html", context, status=status)


def _sees_order(actor, order_id: int) -> bool:
    """The order number links to the order page only for those its own selector lets in (no dead links)."""
    if not actor.is_authenticated:
        return False
    try:
        order_selectors.order_get(actor=actor, order_id=order_id)
    except NotFound:
        return False
    return True


@require_GET
@login_required
def evidence_download(request, redemption_id: int, evidence_id: int):
    evidence = services.evidence_open(
        actor=request.actor, redemption_id=redemption_id, evidence_id=evidence_id
    )
    return files.field_file_response(evidence.file, filename=evidence.original_name)


@require_POST
@login_required
def redemption_claim(request, redemption_id: int):
    files = [
        (kind, request.FILES[kind])
        for kind in ("contract", "invoice", "payment", "report")
        if kind in request.FILES
    ]
    try:
        services.redemption_claim(
            actor=request.actor, redemption_id=redemption_id, files=files, note=request.POST.get("note", "")
        )
    except Invalid as exc:  # a missing invoice or a bad file: said in the claim form, nothing stored
        return _redemption_page(request, redemption_id, claim_error=exc, status=exc.status)
    messages.success(request, _("兑付申请已提交"))
    return redirect("vouchers:redemption", redemption_id=redemption_id)


@require_POST
@login_required
def redemption_review(request, redemption_id: int):
    form = forms.ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(_("请选择通过或驳回")) if "decision" in form.errors else _form_error(form)
        approve = form.cleaned_data["decision"] == "approve"
        services.redemption_review(
            actor=request.actor, redemption_id=redemption_id, approve=approve, note=form.cleaned_data["note"]
        )
    except Invalid as exc:  # a missing reason is the reviewer's to fix, on the page with the evidence
        return _redemption_page(request, redemption_id, review_form=form, error=exc, status=exc.status)
    messages.success(request, _("兑付审核通过，已进入公示") if approve else _("已驳回兑付申请"))
    if request.POST.get("next") == "redemption":
        return redirect("vouchers:redemption", redemption_id=redemption_id)
    return redirect("vouchers:review")


@require_POST
@login_required
def redemption_pay(request, redemption_id: int):
    form = forms.ReferenceForm(request.POST)
    form.is_valid()
    services.redemption_pay(
        actor=request.actor, redemption_id=redemption_id, reference=form.cleaned_data.get("reference", "")
    )
    messages.success(request, _("已支付"))
    return redirect("vouchers:review")


@require_POST
@login_required
def objection_raise(request, redemption_id: int):
    form = forms.ObjectionForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    services.objection_raise(actor=request.actor, redemption_id=redemption_id, text=form.cleaned_data["text"])
    messages.success(request, _("异议已记录，发券部门将核实处理"))
    return redirect("vouchers:publicity")


@require_GET
def publicity(request):
    page = _page(request, selectors.publicity_list(actor=request.actor), size=50)
    page = dataclasses.replace(
        page, items=selectors.publicity_page_rows(actor=request.actor, rows=list(page.items))
    )
    may_object = RedemptionPolicy.can(request.actor, "object")
    context = {"page": page, "form": forms.ObjectionForm(), "may_object": may_object}
    return render(request, "vouchers/publicity.html", context)


@require_GET
@login_required
def statements(request):
    page = _page(request, selectors.statement_list(actor=request.actor))
    return render(request, "vouchers/statements.html", {"page": page})


@require_GET
@login_required
def statement_detail(request, statement_id: int):
    statement = selectors.statement_get(actor=request.actor, statement_id=statement_id)
    return render(
        request,
        "vouchers/statement.html",
        {
            "s": statement,
            "lines": selectors.statement_lines(actor=request.actor, statement=statement),
            "can_pay": StatementPolicy.can(request.actor, "mark_paid", statement),
            "form": forms.ReferenceForm(),
        },
    )


@require_POST
@login_required
def statement_paid(request, statement_id: int):
    form = forms.ReferenceForm(request.POST)
    form.is_valid()
    services.statement_mark_paid(
        actor=request.actor, statement_id=statement_id, reference=form.cleaned_data.get("reference", "")
    )
    messages.success(request, _("结算单已标记为已支付"))
    return redirect("vouchers:statement", statement_id=statement_id)


@require_GET
@login_required
def statement_xlsx(request, statement_id: int):
    statement = selectors.statement_get(actor=request.actor, statement_id=statement_id)
    return xlsx_response(
        exports.statement_xlsx(statement, actor=request.actor), f"结算单-{statement.number}.xlsx"
    )


@require_GET
@login_required
def statement_pdf(request, statement_id: int):
    statement = selectors.statement_get(actor=request.actor, statement_id=statement_id)
    return pdf_response(
        exports.statement_pdf(statement, actor=request.actor), f"结算单-{statement.number}.pdf"
    )


# ---------------------------------------------------------------- setting up a programme


def _programme_form(request, data=None) -> forms.ProgrammeForm:
    form = forms.ProgrammeForm(data)
    form.fields["issuer"].choices = selectors.issuer_choices(actor=request.actor)
    form.fields["provider_zone"].choices = [("", "—"), *selectors.zone_choices()]
    return form


@require_http_methods(["GET", "POST"])
@login_required
def programme_new(request):
    actor = request.actor
    if not ProgrammePolicy.can(actor, "create"):
        raise Forbidden(_("只有科技主管部门或协同区办公室可以设立创新券方案"))
    if request.method == "GET":
        form = _programme_form(request)
        form.initial = {"year": timezone.localdate().year, "publicity_days": 7, "subsidy_ratio": 50}
        return render(request, "vouchers/programme_new.html", {"form": form})
    form = _programme_form(request, request.POST)
    try:
        if not form.is_valid():
            raise _form_error(form)
        data = form.service_data()
        if codes := form.provider_codes():
            data["named_provider_ids"] = selectors.organisation_ids_by_credit_codes(actor=actor, codes=codes)
        programme = services.programme_create(actor=actor, data=data)
    except DomainError as exc:
        context = {"form": form, "error": exc}
        return render(request, "vouchers/programme_new.html", context, status=exc.status)
    messages.success(
        request,
        _("已设立方案“%(name)s”，预算 %(budget)s 已记入账本")
        % {"name": programme.name, "budget": format_yuan(programme.budget_fen)},
    )
    return redirect("vouchers:programme", programme_id=programme.pk)


# ---------------------------------------------------------------- vouchers on an order, bundling


@require_POST
@login_required
def order_use(request, order_id: int):
    form = forms.OrderUseForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    redemption = services.redemption_reserve(
        actor=request.actor,
        grant_id=form.cleaned_data["grant"],
        order_id=order_id,
        amount_fen=form.cleaned_data["amount"],
        idempotency_key=form.cleaned_data["idempotency_key"],
    )
    messages.success(
        request, _("已在本订单上预留创新券 %(amount)s") % {"amount": format_yuan(redemption.amount_fen)}
    )
    return redirect("resources:order-detail", order_id=order_id)


@require_http_methods(["GET", "POST"])
@login_required
def order_partners(request, order_id: int):
    actor = request.actor
    form = forms.PartnerForm(request.POST or None)
    error = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise _form_error(form)
            firm = selectors.enterprise_by_credit_code(
                actor=actor, credit_code=form.cleaned_data["credit_code"]
            )
            services.bundle_invite(actor=actor, order_id=order_id, enterprise_id=firm.pk)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("已邀请 %(name)s 在本订单上合用创新券") % {"name": firm.name})
            return redirect("vouchers:order-partners", order_id=order_id)
    order, partners = selectors.order_partners(actor=actor, order_id=order_id)
    context = {
        "order": order,
        "partners": partners,
        "form": form,
        "error": error,
        "is_customer": BundlePolicy.can(actor, "invite", order),
    }
    return render(request, "vouchers/order_partners.html", context, status=error.status if error else 200)


# ---------------------------------------------------------------- objections on the 公示 list


@require_POST
@login_required
def objection_resolve(request, objection_id: int):
    form = forms.ResolveForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("请选择“异议成立”或“异议不成立”，并填写处理意见"))
    upheld = form.cleaned_data["decision"] == "upheld"
    services.objection_resolve(
        actor=request.actor, objection_id=objection_id, upheld=upheld, note=form.cleaned_data["note"]
    )
    messages.success(
        request, _("异议成立，已撤销该笔兑付并退回券额度") if upheld else _("已驳回异议，兑付继续公示")
    )
    return redirect("vouchers:publicity")
