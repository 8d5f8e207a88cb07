"""Actor-scoped reads of frameworks, data sets and runs."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from xietong.core.actor import Actor
from xietong.core.errors import NotFound
from xietong.core.policies import get_visible
from xietong.evaluation.models import Dataset, Framework, FrameworkVersion, Run
from xietong.evaluation.policies import FrameworkPolicy, RunPolicy

# Runs listed without their (large) results and options.
RUN_LIST_FIELDS = (
    "id", "framework_id", "framework__name", "framework__zone_id", "framework__region_id", "framework_version__number",
    "dataset__number", "dataset__name", "number", "status", "progress", "message", "is_published", "created_at",
    "finished_at", "rerun_of_id",
)  # fmt: skip


def framework_list(*, actor: Actor) -> QuerySet[Framework]:
    return (
        FrameworkPolicy.visible_qs(actor)
        .select_related("zone", "region")
        .annotate(
            version_count=Count("versions", distinct=True),
            dataset_count=Count("datasets", distinct=True),
            run_count=Count("runs", distinct=True),
        )
        .order_by("id")
    )


def framework_get(*, actor: Actor, framework_id: int) -> Framework:
    qs = FrameworkPolicy.visible_qs(actor).select_related("zone", "region")
    return get_visible(qs, _("指数不存在或您无权查看"), pk=framework_id)


def _of_visible(actor: Actor, related) -> QuerySet:
    """A framework's versions or data sets, restricted in the same query to frameworks the actor sees."""
    return related.filter(framework__in=FrameworkPolicy.visible_qs(actor).values("pk"))


def framework_version_latest(*, actor: Actor, framework: Framework) -> FrameworkVersion:
    version = _of_visible(actor, framework.versions).order_by("-number").first()
    if version is None:
        raise NotFound(_("该指数还没有指标框架"))
    return version


def framework_version_get(
    *, actor: Actor, framework: Framework, number: int | None = None
) -> FrameworkVersion:
    if number is None:
        return framework_version_latest(actor=actor, framework=framework)
    version = _of_visible(actor, framework.versions).filter(number=number).first()
    if version is None:
        raise NotFound(_("框架版本 %(number)s 不存在") % {"number": number})
    return version


def dataset_list(*, actor: Actor, framework: Framework) -> QuerySet[Dataset]:
    """A visible framework's data versions, without their (large) rows."""
    return (
        _of_visible(actor, framework.datasets).defer("rows", "columns", "platform_cells").order_by("-number")
    )


def platform_count(dataset: Dataset) -> int:
    """Pure (reads no rows: counts inside a data version already read).

    How many of a data version's cells the platform computed (from its per-indicator source counts)."""
    return sum(
        n for counts in dataset.sources.values() for key, n in counts.items() if key.startswith("platform:")
    )


def platform_rows(*, table: list[dict], dataset: Dataset | None) -> list[dict]:
    """Pure (reads no rows): the framework's platform indicators with how many values of the latest data
    version came from where."""
    from xietong.evaluation import platform_indicators

    known = {p["key"]: p for p in platform_indicators.providers()}
    rows = []
    for row in table:
        source = row.get("Source") or ""
        if row.get("Type") != "Indicator" or not source.startswith("platform:"):
            continue
        key = source.removeprefix("platform:")
        counts = (dataset.sources if dataset is not None else {}).get(row["iCode"], {})
        rows.append(
            {"code": row["iCode"], "name": row.get("iName") or row["iCode"], "key": key,
             "available": known.get(key, {}).get("available", False), "imported": counts.get("import", 0),
             "platform": counts.get(source, 0)}
        )  # fmt: skip
    return rows


def dataset_get(*, actor: Actor, framework: Framework, dataset_id: int | None = None) -> Dataset:
    qs = _of_visible(actor, framework.datasets).order_by("-number")
    dataset = qs.filter(pk=dataset_id).first() if dataset_id is not None else qs.first()
    if dataset is None:
        raise NotFound(_("数据版本不存在") if dataset_id is not None else _("该指数还没有导入数据"))
    return dataset


def run_list(
    *, actor: Actor, framework: Framework | None = None, published: bool | None = None
) -> QuerySet[Run]:
    qs = RunPolicy.visible_qs(actor)
    if framework is not None:
        qs = qs.filter(framework=framework)
    if published is not None:
        qs = qs.filter(is_published=published)
    return (
        qs.select_related("framework", "framework_version", "dataset", "framework__zone", "framework__region")
        .only(*RUN_LIST_FIELDS, "framework__zone__name", "framework__region__name", "options")
        .order_by("-id")
    )


def run_get(*, actor: Actor, run_id: int) -> Run:
    qs = RunPolicy.visible_qs(actor).select_related(
        "framework", "framework__zone", "framework__region", "framework_version", "dataset"
    )
    return get_visible(qs, _("指数运行不存在或您无权查看"), pk=run_id)


def run_progress(*, actor: Actor, run_id: int) -> Run:
    qs = RunPolicy.visible_qs(actor).only("id", "status", "progress", "message", "error")
    return get_visible(qs, _("指数运行不存在或您无权查看"), pk=run_id)


def framework_table(*, actor: Actor, framework_id: int) -> list[dict]:
    """The latest indicator table of a visible framework."""
    framework = framework_get(actor=actor, framework_id=framework_id)
    return framework_version_latest(actor=actor, framework=framework).table


def template_rows(*, actor: Actor, framework: Framework) -> tuple[list[tuple[str, str]], list[int]]:
    """Units and years for a data template: the preset's cities, else the last data version's, else none."""
    from xietong.evaluation.presets import FRAMEWORK_PRESETS
    from xietong.regions.models import Region

    units: list[str] = []
    years: list[int] = []
    last = _of_visible(actor, framework.datasets).order_by("-number").first()
    if last is not None:
        units = list(dict.fromkeys(r[0] for r in last.rows))
        years = list(range(last.year_min, last.year_max + 1))
    elif framework.preset in FRAMEWORK_PRESETS:
        units = list(FRAMEWORK_PRESETS[framework.preset].units)
    if not years and framework.base_year:
        years = [framework.base_year]
    names = dict(Region.objects.filter(code__in=units).values_list("code", "name"))
    return [(u, names.get(u, "")) for u in units], years


def run_get_finished(*, actor: Actor, run_id: int) -> Run:
    """A visible run whose results exist (a queued, running or failed run has none: 409)."""
    from xietong.core.errors import Conflict
    from xietong.evaluation.enums import RunStatus

    run = run_get(actor=actor, run_id=run_id)
    if run.status != RunStatus.DONE:
        raise Conflict(
            _("该运行尚未完成（%(status)s）") % {"status": run.get_status_display()}, code="run_not_done"
        )
    return run


def scope_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """Scopes the actor may create an index in, as (value, label): "zone:<code>" and "region:<code>"."""
    from xietong.regions.models import Region
    from xietong.regions.selectors import zone_list

    zones = zone_list() if actor.is_platform_admin else zone_list().filter(pk__in=list(actor.zone_ids))
    out = [(f"zone:{z.code}", _("协同区：%(name)s") % {"name": z.name}) for z in zones]
    regions = Region.objects.filter(code__in=sorted(actor.bureau_region_codes)).order_by("code")
    out += [
        (f"region:{r.code}", _("地区：%(name)s（%(code)s）") % {"name": r.name, "code": r.code})
        for r in regions
    ]
    return out
