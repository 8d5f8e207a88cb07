"""Pages of the evaluation app: thin, the same services and selectors as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.core.errors import Conflict, DomainError, Invalid
from xietong.core.excel import xlsx_response
from xietong.core.pagination import paginate
from xietong.core.pdf import pdf_response
from xietong.evaluation import (
    compute,
    engine_errors,
    excel,
    platform_indicators,
    reports,
    selectors,
    services,
)
from xietong.evaluation.enums import RunStatus
from xietong.evaluation.policies import FrameworkPolicy, RunPolicy, is_evaluator
from xietong.evaluation.presets import FRAMEWORK_PRESETS, RUN_PRESET_NAMES, run_preset_name


@require_GET
def index(request):
    actor = request.actor
    frameworks = list(selectors.framework_list(actor=actor)[:100]) if actor.is_authenticated else []
    runs = paginate(selectors.run_list(actor=actor), page=request.GET.get("page") or 1, page_size=20)
    return render(
        request,
        "evaluation/index.html",
        {
            "frameworks": frameworks,
            "page": runs,
            "presets": FRAMEWORK_PRESETS.values(),
            "can_create": is_evaluator(actor),
            "scopes": selectors.scope_choices(actor=actor) if is_evaluator(actor) else [],
        },
    )


def _scope_codes(post) -> dict[str, str]:
    """zone / region codes from the form: a "zone:<code>" or "region:<code>" choice, or a typed region code."""
    kind, _, code = (post.get("scope") or "").partition(":")
    typed = (post.get("region") or "").strip()
    if typed:
        return {"zone_code": "", "region_code": typed}
    if kind in ("zone", "region") and code:
        return {"zone_code": code if kind == "zone" else "", "region_code": code if kind == "region" else ""}
    return {"zone_code": (post.get("zone") or "").strip(), "region_code": ""}


@require_POST
@login_required
def framework_from_preset(request):
    framework = services.framework_create_from_preset(
        actor=request.actor, preset=request.POST.get("preset", ""), **_scope_codes(request.POST)
    )
    messages.success(
        request,
        gettext("已建立指数：%(name)s（%(scope)s）")
        % {"name": framework.name, "scope": framework.scope_name},
    )
    return redirect("evaluation:framework", framework_id=framework.pk)


def _import_page(request, *, error: DomainError | None = None, status: int = 200):
    context = {
        "scopes": selectors.scope_choices(actor=request.actor),
        "may_scope_any_region": FrameworkPolicy.can(request.actor, "scope_any_region"),
        "form": request.POST if request.method == "POST" else {},
        "import_error": error,
    }
    return render(request, "evaluation/framework_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def framework_import(request):
    if request.method == "GET":
        return _import_page(request)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise Invalid(gettext("请选择要导入的 Excel 文件"), code="no_file")
        base_year = (request.POST.get("base_year") or "").strip()
        if base_year and not (base_year.isascii() and base_year.isdigit() and 1900 <= int(base_year) <= 2200):
            raise Invalid(gettext("基期应为 1900–2200 之间的年份"), code="bad_base_year", field="base_year")
        frame, sources = excel.framework_frame(upload)
        framework = services.framework_import(
            actor=request.actor, name=request.POST.get("name", ""), frame=frame, sources=sources,
            base_year=int(base_year) if base_year else None, **_scope_codes(request.POST),
        )  # fmt: skip
    except Invalid as error:
        return _import_page(request, error=error, status=error.status)
    messages.success(
        request,
        gettext("已导入指数框架：%(name)s（%(scope)s）")
        % {"name": framework.name, "scope": framework.scope_name},
    )
    return redirect("evaluation:framework", framework_id=framework.pk)


@require_GET
@login_required
def framework_template(request):
    example = FRAMEWORK_PRESETS["yrd"]
    return xlsx_response(
        excel.framework_workbook(name=f"示例：{example.name}", table=example.table()), "指标框架模板.xlsx"
    )


def _framework_context(request, framework_id: int, **extra):
    framework = selectors.framework_get(actor=request.actor, framework_id=framework_id)
    version = framework.versions.order_by("-number").first()
    datasets = list(selectors.dataset_list(actor=request.actor, framework=framework)[:50])
    for dataset in datasets:
        dataset.platform_count = selectors.platform_count(dataset)
    table = version.table if version else []
    return {
        "framework": framework,
        "version": version,
        "table": table,
        "datasets": datasets,
        "platform_rows": selectors.platform_rows(table=table, dataset=datasets[0] if datasets else None),
        "runs": list(selectors.run_list(actor=request.actor, framework=framework)[:50]),
        "can_manage": FrameworkPolicy.can(request.actor, "manage", framework),
        "providers": {p["key"]: p for p in platform_indicators.providers()},
        "presets": list(RUN_PRESET_NAMES.items()),
        **extra,
    }


@require_GET
@login_required
def framework_detail(request, framework_id: int):
    return render(request, "evaluation/framework.html", _framework_context(request, framework_id))


def _import_failed(request, framework_id: int, error: DomainError, what: str):
    context = _framework_context(request, framework_id, import_error=error, import_what=what)
    return render(request, "evaluation/framework.html", context, status=error.status)


@require_POST
@login_required
def dataset_import(request, framework_id: int):
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise Invalid(gettext("请选择要导入的 Excel 文件"), code="no_file")
        table = selectors.framework_table(actor=request.actor, framework_id=framework_id)
        frame, headers = excel.data_frame(upload, table=table)
        dataset = services.dataset_import(
            actor=request.actor,
            framework_id=framework_id,
            frame=frame,
            headers=headers,
            name=request.POST.get("name", ""),
        )
    except Invalid as error:
        return _import_failed(request, framework_id, error, "data")
    messages.success(
        request,
        gettext("导入成功：数据版本 %(number)s，%(units)s 个地区，%(first)s–%(last)s 年")
        % {
            "number": dataset.number,
            "units": dataset.unit_count,
            "first": dataset.year_min,
            "last": dataset.year_max,
        },
    )
    return redirect("evaluation:framework", framework_id=framework_id)


@require_POST
@login_required
def dataset_refresh_platform(request, framework_id: int):
    try:
        dataset = services.dataset_refresh_platform(actor=request.actor, framework_id=framework_id)
    except (Invalid, Conflict) as error:
        return _import_failed(request, framework_id, error, "refresh")
    cells = sum(len(c) for c in dataset.platform_cells.values())
    messages.success(
        request,
        gettext("已刷新平台指标：生成数据版本 %(number)s，其中 %(cells)s 个单元格由平台业务数据计算")
        % {"number": dataset.number, "cells": cells},
    )
    return redirect("evaluation:framework", framework_id=framework_id)


@require_POST
@login_required
def framework_version_import(request, framework_id: int):
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise Invalid(gettext("请选择要导入的 Excel 文件"), code="no_file")
        frame, sources = excel.framework_frame(upload)
        version = services.framework_version_import(
            actor=request.actor, framework_id=framework_id, frame=frame, sources=sources
        )
    except Invalid as error:
        return _import_failed(request, framework_id, error, "framework")
    messages.success(request, gettext("已导入指标框架第 %(number)s 版") % {"number": version.number})
    return redirect("evaluation:framework", framework_id=framework_id)


@require_POST
@login_required
def run_create(request, framework_id: int):
    keys = (
        "preset", "weighting", "aggregation", "base_year", "coupling_form", "sensitivity_runs", "sensitivity_method",
    )  # fmt: skip
    options = {k: request.POST[k] for k in keys if request.POST.get(k, "") != ""}
    try:
        run = services.run_create(actor=request.actor, framework_id=framework_id, options=options)
    except Invalid as error:
        return _import_failed(request, framework_id, error, "run")
    return redirect("evaluation:run", run_id=run.pk)


@require_GET
@login_required
def framework_export(request, framework_id: int):
    framework = selectors.framework_get(actor=request.actor, framework_id=framework_id)
    version = selectors.framework_version_latest(actor=request.actor, framework=framework)
    return xlsx_response(excel.framework_workbook(name=framework.name, table=version.table), "指标框架.xlsx")


@require_GET
@login_required
def data_template(request, framework_id: int):
    framework = selectors.framework_get(actor=request.actor, framework_id=framework_id)
    return xlsx_response(excel.data_template_for(framework, actor=request.actor), "数据导入模板.xlsx")


@require_GET
def run_detail(request, run_id: int):
    run = selectors.run_get(actor=request.actor, run_id=run_id)
    context = {"run": run, "can_manage": RunPolicy.can(request.actor, "manage", run),
               "preset_name": run_preset_name((run.options or {}).get("preset", ""))}  # fmt: skip
    if run.status == RunStatus.DONE:
        results = run.results
        context.update(
            results=results,
            ranks=reports.rank_rows(results),
            growth=reports.growth_rows(results),
            growth_sentence=reports.growth_sentence(reports.growth_rows(results)),
            published_growth=reports.published_growth(run),
            engine_warnings=engine_errors.warnings_shown(results.get("warnings") or []),
            level1_labels=[results["labels"][c] for c in results["level1"]],
            strengths=reports.strength_rows(results),
            fixed_base_note=reports.fixed_base_note(results),
            partial=(partial := reports.partial_year(run)),
            year_labels=[reports.year_label(y, partial) for y in results["years"]],
            remove_one=reports.remove_one_rows(results),
            sobol=[{**r, "input": gettext(r["input"])} for r in reports.sobol_rows(results)],  # names are msgids
            others=[r for r in selectors.run_list(actor=request.actor, framework=run.framework)[:20] if r.pk != run.pk and r.status == RunStatus.DONE],
        )  # fmt: skip
    return render(request, "evaluation/run.html", context)


@require_GET
def run_progress(request, run_id: int):
    run = selectors.run_progress(actor=request.actor, run_id=run_id)
    response = render(request, "evaluation/_progress.html", {"run": run})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_GET
def run_xlsx(request, run_id: int):
    run = selectors.run_get_finished(actor=request.actor, run_id=run_id)
    return xlsx_response(reports.workbook(run), f"评价报告-{run.pk}.xlsx")


@require_GET
def run_pdf(request, run_id: int):
    run = selectors.run_get_finished(actor=request.actor, run_id=run_id)
    return pdf_response(reports.pdf(run), f"evaluation-run-{run.pk}.pdf")


@require_POST
@login_required
def run_rerun(request, run_id: int):
    run = services.run_rerun(actor=request.actor, run_id=run_id)
    return redirect("evaluation:run", run_id=run.pk)


@require_POST
@login_required
def run_publish(request, run_id: int):
    publish = request.POST.get("publish", "1") == "1"
    services.run_publish(actor=request.actor, run_id=run_id, publish=publish)
    messages.success(request, gettext("已发布，所有访客均可查看该报告") if publish else gettext("已撤回发布"))
    return redirect("evaluation:run", run_id=run_id)


@require_GET
def run_compare(request, run_id: int):
    first = selectors.run_get_finished(actor=request.actor, run_id=run_id)
    try:
        other_id = int(request.GET.get("other", ""))
    except ValueError:
        raise Invalid(gettext("请选择要比较的另一次运行"), code="bad_other") from None
    second = selectors.run_get_finished(actor=request.actor, run_id=other_id)
    comparison = compute.compare(first.results, second.results)
    return render(
        request, "evaluation/compare.html", {"first": first, "second": second, "comparison": comparison}
    )
