"""Every write of the evaluation app: one function per use case, transactional, permission-checked, audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xietong.core import audit
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.evaluation import compute, platform_indicators, refresh, selectors
from xietong.evaluation.enums import RunStatus
from xietong.evaluation.execution import run_execute  # noqa: F401  (callers use services.run_execute)
from xietong.evaluation.models import Dataset, Framework, FrameworkVersion, Run
from xietong.evaluation.policies import FrameworkPolicy, RunPolicy, manages_scope
from xietong.evaluation.presets import FRAMEWORK_PRESETS
from xietong.regions import selectors as region_selectors

SCOPE_DENIED = gettext_lazy("您只能在本协同区或本辖区内建立指数")


# ---------------------------------------------------------------------- scope helpers
def _next_number(related) -> int:
    """The next version, data set or run number of a framework; the caller holds the framework's row lock."""
    return (related.aggregate(n=Max("number"))["n"] or 0) + 1


def _scope(*, zone_code: str = "", region_code: str = ""):
    """(zone, region) from codes; exactly one must be given."""
    if bool(zone_code) == bool(region_code):
        raise Invalid(_("请指定协同区或地区（二者选一）"), code="bad_scope")
    if zone_code:
        return region_selectors.zone_get(zone_id_or_code=zone_code), None
    return None, region_selectors.region_get(region_code)


def scope_units(framework: Framework) -> frozenset[str]:
    """Region codes a framework's data may cover: the zone's (or region's) divisions."""
    if framework.zone_id is not None:
        return region_selectors.zone_region_codes(framework.zone)
    return region_selectors.region_descendant_codes(framework.region_id)


# ---------------------------------------------------------------------- frameworks
@transaction.atomic
def framework_create_from_preset(
    *, actor: Actor, preset: str, zone_code: str = "", region_code: str = "", is_demo: bool = False
) -> Framework:
    """A framework from a preset (长三角 / 京津冀), by default in the preset's own zone."""
    spec = FRAMEWORK_PRESETS.get(preset)
    if spec is None:
        raise Invalid(
            _("未知的指数预设“%(preset)s”，可选：%(FRAMEWORK_PRESETS)s")
            % {"preset": preset, "FRAMEWORK_PRESETS": _("、").join(FRAMEWORK_PRESETS)},
            code="bad_preset",
        )
    zone, region = _scope(
        zone_code=zone_code or ("" if region_code else spec.zone_code), region_code=region_code
    )
    if not manages_scope(
        actor, zone_id=zone.pk if zone else None, region_code=region.code if region else None
    ):
        raise Forbidden(SCOPE_DENIED)
    framework = Framework.objects.create(
        name=spec.name + ("（演示）" if is_demo else ""), zone=zone, region=region, preset=spec.code,
        base_year=spec.base_year, description=spec.source, is_demo=is_demo, created_by_id=actor.user_id,
    )  # fmt: skip
    FrameworkVersion.objects.create(
        framework=framework, number=1, table=spec.table(), note="预设框架", created_by_id=actor.user_id
    )
    audit.record(actor=actor, verb="evaluation.framework_created", target=framework, data={"preset": preset})
    return framework


@transaction.atomic
def framework_import(
    *, actor: Actor, name: str, frame: pd.DataFrame, sources: Mapping[str, str], zone_code: str = "",
    region_code: str = "", base_year: int | None = None,
) -> Framework:  # fmt: skip
    """A new framework from an uploaded iMeta sheet (validated first; nothing is written if any row is wrong)."""
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise Invalid(_("请填写指数名称（不超过 120 个字符）"), code="bad_name", field="name")
    if base_year is not None and base_year not in compute.YEARS:
        raise Invalid(_("基期应为 1900–2200 之间的年份"), code="bad_base_year", field="base_year")
    zone, region = _scope(zone_code=zone_code, region_code=region_code)
    if not manages_scope(
        actor, zone_id=zone.pk if zone else None, region_code=region.code if region else None
    ):
        raise Forbidden(SCOPE_DENIED)
    table = compute.framework_validate_upload(frame, sources, rows=list(frame.index))
    framework = Framework.objects.create(
        name=name, zone=zone, region=region, base_year=base_year, created_by_id=actor.user_id
    )
    FrameworkVersion.objects.create(
        framework=framework, number=1, table=table, note="Excel 导入", created_by_id=actor.user_id
    )
    audit.record(
        actor=actor, verb="evaluation.framework_created", target=framework, data={"nodes": len(table)}
    )
    return framework


@transaction.atomic
def framework_version_import(
    *, actor: Actor, framework_id: int, frame: pd.DataFrame, sources: Mapping[str, str], note: str = ""
) -> FrameworkVersion:
    """A new version of a framework's indicator tree from an uploaded sheet."""
    framework = selectors.framework_get(actor=actor, framework_id=framework_id)
    FrameworkPolicy.require(actor, "manage", framework)
    table = compute.framework_validate_upload(frame, sources, rows=list(frame.index))
    # lock the framework row (already scoped above) to number versions one at a time
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    version = FrameworkVersion.objects.create(
        framework=framework, number=_next_number(framework.versions), table=table,
        note=(note or "Excel 导入")[:200], created_by_id=actor.user_id,
    )  # fmt: skip
    audit.record(
        actor=actor, verb="evaluation.framework_versioned", target=framework, data={"version": version.number}
    )
    return version


# ---------------------------------------------------------------------- data
def _platform_values(key: str, units, years):
    return platform_indicators.compute(key, units=units, years=years)


@transaction.atomic
def dataset_import(
    *, actor: Actor, framework_id: int, frame: pd.DataFrame, headers: Mapping[str, str] | None = None,
    name: str = "", is_demo: bool = False, fill_platform: bool = True,
) -> Dataset:  # fmt: skip
    """A new data version: every cell checked first (all or nothing); blank platform cells filled from the platform.

    ``fill_platform=False`` leaves them blank (the demo uses it to show a later refresh).
    """
    framework = selectors.framework_get(actor=actor, framework_id=framework_id)
    FrameworkPolicy.require(actor, "manage", framework)
    version = selectors.framework_version_latest(actor=actor, framework=framework)
    if frame.empty:
        raise Invalid(_("工作簿中没有数据行"), code="empty")
    clean = compute.dataset_validate(
        frame, table=version.table, allowed_units=scope_units(framework), scope_name=framework.scope_name,
        headers=headers, platform=_platform_values if fill_platform else None,
    )  # fmt: skip
    # lock the framework row (already scoped above) to number data versions one at a time
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    number = _next_number(framework.datasets)
    dataset = Dataset.objects.create(
        framework=framework, number=number, name=(name or f"{framework.name} 数据")[:120], columns=clean.columns,
        rows=clean.rows, sources=clean.sources, platform_cells=clean.platform_cells, unit_count=len(clean.units),
        year_min=min(clean.years),
        year_max=max(clean.years), is_demo=is_demo, created_by_id=actor.user_id,
    )  # fmt: skip
    audit.record(
        actor=actor, verb="evaluation.dataset_imported", target=framework,
        data={"dataset": dataset.number, "rows": len(clean.rows), "units": len(clean.units)},
    )  # fmt: skip
    return dataset


REFRESH_SUFFIX = "·平台指标更新"


@transaction.atomic
def dataset_refresh_platform(*, actor: Actor, framework_id: int) -> Dataset:
    """A new data version from the latest one with every platform indicator recomputed (imported values win)."""
    framework = selectors.framework_get(actor=actor, framework_id=framework_id)
    FrameworkPolicy.require(actor, "manage", framework)
    # lock the framework row (already scoped above) so that the latest version stays the latest
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    version = selectors.framework_version_latest(actor=actor, framework=framework)
    latest = selectors.dataset_get(actor=actor, framework=framework)
    refreshed = refresh.platform_refresh(
        table=version.table, columns=latest.columns, rows=latest.rows, sources=latest.sources,
        platform_cells=latest.platform_cells, platform=_platform_values,
    )  # fmt: skip
    if not refreshed.changed and refreshed.columns == latest.columns:
        raise Conflict(
            _("平台数据没有变化：数据版本 %(number)s 已包含平台当前能计算的全部指标值，未生成新版本")
            % {"number": latest.number},
            code="platform_unchanged",
        )
    dataset = Dataset.objects.create(
        framework=framework, number=_next_number(framework.datasets),
        name=(latest.name.removesuffix(REFRESH_SUFFIX)[: 120 - len(REFRESH_SUFFIX)] + REFRESH_SUFFIX),
        columns=refreshed.columns, rows=refreshed.rows, sources=refreshed.sources,
        platform_cells=refreshed.platform_cells, unit_count=latest.unit_count, year_min=latest.year_min,
        year_max=latest.year_max, is_demo=latest.is_demo, created_by_id=actor.user_id,
    )  # fmt: skip
    audit.record(
        actor=actor, verb="evaluation.dataset_refreshed", target=framework,
        data={"dataset": dataset.number, "from": latest.number, "changed": refreshed.changed},
    )  # fmt: skip
    return dataset


# ---------------------------------------------------------------------- runs
@transaction.atomic
def run_create(
    *, actor: Actor, framework_id: int, options: Mapping[str, Any] | None = None, dataset_id: int | None = None,
    version_number: int | None = None, rerun_of: Run | None = None, background: bool = True,
) -> Run:  # fmt: skip
    """Queue a run of the latest (or given) framework version on the latest (or given) data version."""
    framework = selectors.framework_get(actor=actor, framework_id=framework_id)
    FrameworkPolicy.require(actor, "manage", framework)
    version = selectors.framework_version_get(actor=actor, framework=framework, number=version_number)
    dataset = selectors.dataset_get(actor=actor, framework=framework, dataset_id=dataset_id)
    years = list(range(dataset.year_min or 0, (dataset.year_max or 0) + 1))
    defaults = {"base_year": framework.base_year if framework.base_year in years else None}
    clean = compute.options_clean({**defaults, **dict(options or {})}, years=years)
    missing = [
        r["iCode"] for r in version.table if r["Type"] == "Indicator" and r["iCode"] not in dataset.columns
    ]
    if missing:
        raise Invalid(
            _("数据版本 %(number)s 缺少框架版本 %(number2)s 的指标：%(missing)s")
            % {"number": dataset.number, "number2": version.number, "missing": _("、").join(missing)},
            code="incompatible_data",
        )
    # lock the framework row (already scoped above) to number runs one at a time
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    run = Run.objects.create(
        framework=framework, framework_version=version, dataset=dataset, number=_next_number(framework.runs),
        options=clean, rerun_of=rerun_of, created_by_id=actor.user_id, message="排队等待计算",
    )  # fmt: skip
    audit.record(actor=actor, verb="evaluation.run_created", target=run, data={"options": clean})
    if background:
        from xietong.evaluation import tasks

        transaction.on_commit(lambda: tasks.run_index(run.pk))
    return run


def run_rerun(*, actor: Actor, run_id: int, background: bool = True) -> Run:
    """The same framework version, data version and options again (e.g. after an engine fix)."""
    run = selectors.run_get(actor=actor, run_id=run_id)
    RunPolicy.require(actor, "manage", run)
    return run_create(
        actor=actor, framework_id=run.framework_id, options=run.options, dataset_id=run.dataset_id,
        version_number=run.framework_version.number, rerun_of=run, background=background,
    )  # fmt: skip


@transaction.atomic
def run_publish(*, actor: Actor, run_id: int, publish: bool = True) -> Run:
    """Publish a finished run (its report becomes public) or withdraw it."""
    run = selectors.run_get(actor=actor, run_id=run_id)
    RunPolicy.require(actor, "manage", run)
    if publish and run.status != RunStatus.DONE:
        raise Conflict(_("只有计算完成的运行才能发布"))
    if run.is_published != publish:
        run.is_published = publish
        run.save(update_fields=["is_published"])
        audit.record(
            actor=actor,
            verb="evaluation.run_published" if publish else "evaluation.run_withdrawn",
            target=run,
        )
    return run
