"""Pages of the talent app: thin, the same services and selectors as the API."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.core.choice_labels import translated
from xietong.core.errors import DomainError, Forbidden, Invalid, NotFound
from xietong.core.excel import xlsx_response
from xietong.core.pagination import paginate
from xietong.talent import excel, present, selectors, services
from xietong.talent.disciplines import CATEGORIES
from xietong.talent.enums import AssignMode, SchemeKind, TalentTier, TitleRank
from xietong.talent.policies import (
    AgreementPolicy,
    AppointmentPolicy,
    ExpertPolicy,
    ReviewRoundPolicy,
    SchemePolicy,
    TalentProfilePolicy,
)

CHOICES = {"categories": CATEGORIES, "titles": translated(TitleRank.choices),
           "tiers": translated(TalentTier.choices[:-1]), "modes": translated(AssignMode.choices)}  # fmt: skip
IMPORTS = {
    "profiles": (
        TalentProfilePolicy,
        excel.read_profiles,
        services.profiles_import,
        gettext_lazy("导入成功：写入 %(n)s 份人才档案"),
        "talent:profiles",
    ),
    "experts": (
        ExpertPolicy,
        excel.read_experts,
        services.experts_import,
        gettext_lazy("导入成功：写入 %(n)s 位专家"),
        "talent:experts",
    ),
    "agreements": (
        AgreementPolicy,
        excel.read_agreements,
        services.agreements_import,
        gettext_lazy("导入成功：写入 %(n)s 个协议版本"),
        "talent:recognition",
    ),
}

IMPORT_TITLES = {"profiles": gettext_noop("人才档案"), "experts": gettext_noop("纳入专家库"),
                 "agreements": gettext_noop("互认协议版本")}  # fmt: skip


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError as exc:
        raise Invalid(_("日期应为 YYYY-MM-DD 格式")) from exc
    except OverflowError as exc:
        raise Invalid(_("日期超出范围")) from exc


def _filters(request, keys) -> dict:
    return {k: request.GET.get(k, "").strip()[:40] for k in keys}


# ---------------------------------------------------------------- profiles


@require_GET
@login_required
def profiles(request):
    filters = _filters(request, ("q", "region", "discipline", "title_rank", "tier"))
    qs = selectors.profile_list(actor=request.actor, **filters)
    page = paginate(qs, page=_int(request.GET.get("page"), 1), page_size=20)
    rows = selectors.with_contacts(actor=request.actor, profiles=page.items)
    return render(request, "talent/profiles.html", {"page": page, "rows": rows, "filters": filters,
                  "may_import": TalentProfilePolicy.can(request.actor, "import"),
                  "may_create": TalentProfilePolicy.can(request.actor, "create_any"),
                  "querystring": request.GET.urlencode(), **CHOICES})  # fmt: skip


@require_GET
@login_required
def profiles_export(request):
    filters = _filters(request, ("q", "region", "discipline", "title_rank", "tier"))
    qs = selectors.profile_list(actor=request.actor, **filters)[:5000]
    return xlsx_response(
        excel.export_profiles(selectors.with_contacts(actor=request.actor, profiles=qs)), "人才档案.xlsx"
    )


@require_http_methods(["GET", "POST"])
@login_required
def profile_new(request):
    if not TalentProfilePolicy.can(request.actor, "create_any"):
        raise Forbidden(_("只有地区科技主管部门或机构管理员可以新建人才档案"))
    error, status = None, 200
    orgs = selectors.profile_orgs(actor=request.actor)
    if request.method == "POST":
        raw = {k: request.POST.get(k, "") for k in ("name", "discipline", "title_rank", "tier", "position",
                                                   "expertise", "keywords", "phone", "email")}  # fmt: skip
        try:
            profile = services.profile_create(
                actor=request.actor, organisation_id=_int(request.POST.get("organisation_id"), 0), raw=raw
            )
            messages.success(request, _("已建立 %(name)s 的人才档案") % {"name": profile.name})
            return redirect("talent:profile", pk=profile.pk)
        except DomainError as exc:
            error, status = exc, exc.status
    return render(request, "talent/profile_form.html", {"orgs": orgs, "error": error, "values": request.POST, **CHOICES},
                  status=status)  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def profile_detail(request, pk: int):
    error, status = None, 200
    if request.method == "POST":
        raw = {k: request.POST.get(k, "") for k in ("term_start", "term_end", "fields", "yearly_cap")}
        try:
            services.expert_admit(
                actor=request.actor,
                profile_id=pk,
                region_code=request.POST.get("region_code", "")[:6],
                raw=raw,
            )
            messages.success(request, _("已入库"))
            return redirect("talent:profile", pk=pk)
        except DomainError as exc:
            error, status = exc, exc.status
    detail = selectors.profile_detail(actor=request.actor, profile_id=pk)
    benefits = selectors.holder_benefits(actor=request.actor, profile=detail.profile)
    return render(request, "talent/profile_detail.html", {"d": detail, "benefits": benefits, "error": error,
                  "appointment_rows": [present.appointment(a) for a in detail.appointments],
                  "may_offer": AppointmentPolicy.can(request.actor, "offer_any"),
                  "may_admit": detail.expert is None and ExpertPolicy.can(request.actor, "admit_any"),
                  "may_issue": bool(selectors.issuable_schemes(actor=request.actor)),
                  "regions": selectors.bureau_regions(actor=request.actor)}, status=status)  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def card_issue(request, pk: int):
    """A bureau issues a card of its own scheme (a tier of it) to a person, from the person's profile."""
    person = selectors.profile_get(actor=request.actor, profile_id=pk)
    schemes = selectors.issuable_schemes(actor=request.actor)
    if not schemes:
        raise Forbidden(_("只有人才卡发放地区的科技主管部门可以发放人才卡"))
    error, status = None, 200
    if request.method == "POST":
        scheme_id, _sep, tier_code = request.POST.get("tier", "").partition(":")
        try:
            card = services.card_issue(
                actor=request.actor, profile_id=person.pk, scheme_id=_int(scheme_id, 0), tier_code=tier_code[:10],
                number=request.POST.get("number", "")[:100], issued_on=_day(request.POST.get("issued_on")),
                expires_on=_day(request.POST.get("expires_on")),
            )  # fmt: skip
            messages.success(request, _("已向 %(name)s 发放%(scheme)s（%(tier)s）") % {
                "name": person.name, "scheme": card.tier.scheme.name, "tier": card.tier.name})  # fmt: skip
            return redirect("talent:profile", pk=person.pk)
        except DomainError as exc:
            error, status = exc, exc.status
    options = [(s, [(f"{s.pk}:{t.code}", t.name) for t in s.tier_list]) for s in schemes]
    return render(request, "talent/card_form.html", {"person": person, "options": options, "error": error,
                  "values": request.POST}, status=status)  # fmt: skip


# ---------------------------------------------------------------- experts


@require_GET
@login_required
def experts(request):
    if not ExpertPolicy.can(request.actor, "search"):
        raise Forbidden(_("专家检索仅对主管部门、协同区办公室和平台开放"))
    filters = _filters(request, ("region", "zone", "title_rank", "discipline"))
    q = request.GET.get("q", "").strip()[:500]
    hits, page = None, None
    if q:
        hits = selectors.expert_search(actor=request.actor, query=q, k=30, **filters)
    else:
        page = paginate(
            selectors.expert_list(actor=request.actor, **filters), page=_int(request.GET.get("page"), 1)
        )
    return render(request, "talent/experts.html", {"q": q, "hits": hits, "page": page, "filters": filters,
                  "zones": selectors.zone_sharing_list(actor=request.actor), "querystring": request.GET.urlencode(),
                  "may_import": ExpertPolicy.can(request.actor, "import"), **CHOICES})  # fmt: skip


@require_GET
@login_required
def experts_export(request):
    filters = _filters(request, ("region", "zone", "title_rank", "discipline"))
    rows = list(selectors.expert_list(actor=request.actor, **filters)[:5000])
    contacts = dict(selectors.with_contacts(actor=request.actor, profiles=[e.profile for e in rows]))
    return xlsx_response(excel.export_experts([(e, contacts[e.profile]) for e in rows]), "专家库.xlsx")


# ---------------------------------------------------------------- recognition


@require_GET
def recognition(request):
    schemes = list(selectors.scheme_list(actor=request.actor))
    answer, error = None, None
    scheme_id, tier, region = (
        _int(request.GET.get("scheme")),
        request.GET.get("tier", ""),
        request.GET.get("region", ""),
    )
    if scheme_id and tier and region:
        try:
            scheme = selectors.scheme_get(actor=request.actor, scheme_id=scheme_id)
            answer = selectors.recognition_query(
                actor=request.actor, scheme=scheme, tier=selectors.tier_get(actor=request.actor, scheme=scheme, code=tier),
                region_code=region.strip()[:6], on=_day(request.GET.get("on")),
            )  # fmt: skip
        except DomainError as exc:
            error = exc
    return render(request, "talent/recognition.html", {"schemes": schemes, "answer": answer, "error": error,
                  "agreements": selectors.agreement_list(actor=request.actor), "values": request.GET,
                  "may_manage": AgreementPolicy.can(request.actor, "create_any")},
                  status=error.status if error else 200)  # fmt: skip


def _lines(text: str) -> list[list[str]]:
    return [[part.strip() for part in line.split("|")] for line in text.splitlines() if line.strip()]


@require_http_methods(["GET", "POST"])
@login_required
def scheme_new(request):
    if not SchemePolicy.can(request.actor, "create_any"):
        raise Forbidden(_("只有地区科技主管部门可以建立人才卡制度"))
    error, status = None, 200
    if request.method == "POST":
        try:
            tiers = [
                (row[0], row[1] if len(row) > 1 else row[0]) for row in _lines(request.POST.get("tiers", ""))
            ]
            offered = [{"name": row[0], "min_tier": row[1] if len(row) > 1 else "", "article": row[2] if len(row) > 2 else ""}
                       for row in _lines(request.POST.get("services", ""))]  # fmt: skip
            services.scheme_create(
                actor=request.actor, name=request.POST.get("name", ""), region_code=request.POST.get("region_code", "")[:6],
                kind=request.POST.get("kind", "talent_card"), tiers=tiers, services=offered,
                description=request.POST.get("description", "")[:2000], is_illustrative=bool(request.POST.get("is_illustrative")),
            )  # fmt: skip
            messages.success(request, _("已建立制度"))
            return redirect("talent:recognition")
        except DomainError as exc:
            error, status = exc, exc.status
    return render(request, "talent/scheme_form.html", {"error": error, "values": request.POST,
                  "regions": selectors.bureau_regions(actor=request.actor), "kinds": translated(SchemeKind.choices)}, status=status)  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def agreement_new(request):
    if not AgreementPolicy.can(request.actor, "create_any"):
        raise Forbidden(_("只有地区科技主管部门可以建立互认协议"))
    error, status = None, 200
    if request.method == "POST":
        try:
            agreement = services.agreement_create(
                actor=request.actor, scheme_id=_int(request.POST.get("scheme_id"), 0),
                host_region_code=request.POST.get("host_region_code", "")[:6], title=request.POST.get("title", ""),
                document=request.POST.get("document", "")[:200],
            )  # fmt: skip
            messages.success(request, _("已建立互认协议，请新增第一个版本"))
            return redirect("talent:agreement", pk=agreement.pk)
        except DomainError as exc:
            error, status = exc, exc.status
    return render(request, "talent/agreement_form.html", {"error": error, "values": request.POST,
                  "schemes": selectors.scheme_list(actor=request.actor),
                  "regions": selectors.bureau_regions(actor=request.actor)}, status=status)  # fmt: skip


@require_GET
def schemes_export(request):
    return xlsx_response(excel.export_schemes_and_agreements(selectors.scheme_list(actor=request.actor),
                         selectors.agreement_list(actor=request.actor)), "人才卡与互认协议.xlsx")  # fmt: skip


@require_http_methods(["GET", "POST"])
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_get(actor=request.actor, agreement_id=pk)
    error, status = None, 200
    if request.method == "POST":
        AgreementPolicy.require(request.actor, "update", agreement)
        services_lines = [
            line.strip() for line in request.POST.get("grants", "").splitlines() if line.strip()
        ]
        grants = [tuple(([*line.split("|", 1), ""])[:2]) for line in services_lines]
        try:
            services.agreement_version_add(
                actor=request.actor, agreement_id=pk, effective_from=_day(request.POST.get("effective_from")) or date.min,
                effective_to=_day(request.POST.get("effective_to")), min_tier=request.POST.get("min_tier", ""),
                grants=grants, note=request.POST.get("note", "")[:300],
            )  # fmt: skip
            messages.success(request, _("已新增协议版本"))
            return redirect("talent:agreement", pk=pk)
        except DomainError as exc:
            error, status = exc, exc.status
    full = selectors.agreement_list(actor=request.actor).get(pk=agreement.pk)
    return render(request, "talent/agreement.html", {"a": full, "error": error, "values": request.POST,
                  "may_update": AgreementPolicy.can(request.actor, "update", agreement),
                  "tiers": full.scheme.tier_list}, status=status)  # fmt: skip


# ---------------------------------------------------------------- appointments


@require_GET
@login_required
def appointments(request):
    rows = [(a, present.appointment(a), AppointmentPolicy.can(request.actor, "consent", a))
            for a in selectors.appointment_list(actor=request.actor)[:200]]  # fmt: skip
    return render(request, "talent/appointments.html", {"rows": rows,
                  "may_offer": AppointmentPolicy.can(request.actor, "offer_any")})  # fmt: skip


@require_POST
@login_required
def appointment_answer(request, pk: int):
    services.appointment_answer(
        actor=request.actor, appointment_id=pk, consent=request.POST.get("consent") == "yes"
    )
    messages.success(request, _("已答复兼职聘用"))
    return redirect("talent:appointments")


@require_http_methods(["GET", "POST"])
@login_required
def appointment_new(request):
    if not AppointmentPolicy.can(request.actor, "offer_any"):
        raise Forbidden(_("只有已认证机构的成员可以发出兼职聘用"))
    error, status = None, 200
    if request.method == "POST":
        try:
            services.appointment_offer(
                actor=request.actor, profile_id=_int(request.POST.get("profile_id"), 0),
                host_org_id=_int(request.POST.get("host_org_id"), 0), role=request.POST.get("role", ""),
                start_on=_day(request.POST.get("start_on")) or date.min, end_on=_day(request.POST.get("end_on")) or date.min,
                time_share=_int(request.POST.get("time_share"), 0),
            )  # fmt: skip
            messages.success(request, _("已发出兼职聘用，等待原单位同意"))
            return redirect("talent:appointments")
        except DomainError as exc:
            error, status = exc, exc.status
    pk = _int(request.POST.get("profile_id") or request.GET.get("profile"))
    if pk is None:
        raise Invalid(_("请从人才档案页面发起聘用"))
    person = selectors.profile_get(actor=request.actor, profile_id=pk)
    return render(request, "talent/appointment_form.html", {"error": error, "values": request.POST, "person": person,
                  "orgs": selectors.acting_orgs(actor=request.actor)}, status=status)  # fmt: skip


# ---------------------------------------------------------------- review rounds


@require_GET
@login_required
def rounds(request):
    if not ReviewRoundPolicy.can(request.actor, "open_any"):
        raise Forbidden(_("评审轮次仅对地区科技主管部门开放"))
    return render(request, "talent/rounds.html", {"rounds": selectors.round_list(actor=request.actor)[:100]})


@require_http_methods(["GET", "POST"])
@login_required
def round_new(request):
    if not ReviewRoundPolicy.can(request.actor, "open_any"):
        raise Forbidden(_("评审轮次仅对地区科技主管部门开放"))
    error, status = None, 200
    if request.method == "POST":
        try:
            spec = services.RoundSpec(
                title=request.POST.get("title", ""), region_code=request.POST.get("region_code", "").strip()[:6],
                k=_int(request.POST.get("k"), 0), cap=_int(request.POST.get("cap"), 0),
                mode=request.POST.get("mode", "random"), max_prob=float(request.POST.get("max_prob") or 0.5),
                window_years=_int(request.POST.get("window_years"), 3),
                min_other_region=_int(request.POST.get("min_other_region"), 0),
                max_same_region=_int(request.POST.get("max_same_region")),
                achievement_ids=[i for i in map(_int, request.POST.getlist("achievement_ids")) if i],
                application_ids=[i for i in map(_int, request.POST.getlist("application_ids")) if i],
                proposals=_proposals(request),
            )  # fmt: skip
            rnd = services.round_open(actor=request.actor, spec=spec)
            messages.success(request, _("已开启评审轮次"))
            return redirect("talent:round", pk=rnd.pk)
        except ValueError:
            error, status = Invalid(_("单对最高概率应为 0 到 1 之间的小数")), 400
        except DomainError as exc:
            error, status = exc, exc.status
    sources = selectors.round_candidates(actor=request.actor)
    return render(request, "talent/round_form.html", {"error": error, "values": request.POST, "sources": sources,
                  "regions": selectors.bureau_regions(actor=request.actor), **CHOICES}, status=status)  # fmt: skip


def _proposals(request) -> list[dict]:
    upload = request.FILES.get("proposals")
    if upload is None:
        return []
    rows = excel.read_proposals(upload)
    return [{**row, "unsuitable": [n for n in row.get("unsuitable", "").replace("，", "、").split("、") if n.strip()]}
            for _, row in rows]  # fmt: skip


@require_GET
def proposals_template(request):
    return xlsx_response(excel.template("proposals"), "评审项目导入模板.xlsx")


@require_http_methods(["GET", "POST"])
@login_required
def round_detail(request, pk: int):
    rnd = selectors.round_get(actor=request.actor, round_id=pk)
    error, status = None, 200
    if request.method == "POST":
        try:
            services.round_assign(actor=request.actor, round_id=pk)
            messages.success(request, _("已完成专家抽取与分配"))
            return redirect("talent:round", pk=pk)
        except DomainError as exc:
            error, status = exc, exc.status
    items = selectors.round_items(actor=request.actor, rnd=rnd)
    detail = present.round_detail(rnd, items, selectors.excluded_names(actor=request.actor, items=items))
    return render(request, "talent/round_detail.html", {"rnd": rnd, "detail": detail, "error": error,
                  "may_manage": ReviewRoundPolicy.can(request.actor, "manage", rnd)}, status=status)  # fmt: skip


@require_GET
@login_required
def my_reviews(request):
    return render(request, "talent/my_reviews.html", {"seats": selectors.my_seats(actor=request.actor)[:100]})


@require_POST
@login_required
def seat_answer(request, pk: int):
    accept = request.POST.get("accept") == "yes"
    services.seat_answer(actor=request.actor, seat_id=pk, accept=accept)
    messages.success(request, _("已接受评审邀请") if accept else _("已谢绝，该席位已按同样规则重新抽取"))
    return redirect("talent:my_reviews")


# ---------------------------------------------------------------- imports


@require_http_methods(["GET", "POST"])
@login_required
def import_page(request, kind: str):
    if kind not in IMPORTS:
        raise NotFound(_("没有这种导入"))
    policy, read, run, done, back = IMPORTS[kind]
    if not policy.can(request.actor, "import"):
        raise Forbidden(_("批量导入仅对地区科技主管部门和平台开放"))
    report, error, status = None, None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise Invalid(_("请选择要上传的 Excel 文件"))
            report = run(actor=request.actor, rows=read(upload))
        except DomainError as exc:
            error, status = exc, exc.status
        if report is not None and not report.ok:
            status = 400
        elif report is not None:
            messages.success(request, done % {"n": report.created})
            return redirect(back)
    return render(request, "talent/import.html", {"kind": kind, "title": _(IMPORT_TITLES[kind]), "report": report,
                  "error": error}, status=status)  # fmt: skip


@require_GET
def template_download(request, kind: str):
    if kind not in excel.TEMPLATES:
        raise NotFound(_("没有这种导入模板"))
    return xlsx_response(excel.template(kind), excel.TEMPLATES[kind][3])
