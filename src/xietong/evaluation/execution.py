"""Computing a queued index run: what the background task does.

Apart from `services` so that the task module can call it while `services` enqueues the task: tasks import
this module, services import tasks and this module, and nothing here imports either (no cycle).
"""

from __future__ import annotations

import logging

from django.db import transaction

from xietong.core import audit, clock
from xietong.core.actor import SYSTEM
from xietong.core.errors import Invalid
from xietong.evaluation import compute
from xietong.evaluation.enums import RunStatus
from xietong.evaluation.models import Run
from xietong.regions.models import Region

log = logging.getLogger(__name__)


def unit_names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def _progress(run_id: int):
    def report(percent: int, message: str) -> None:
        Run.objects.filter(pk=run_id).update(
            progress=percent, message=message[:200]
        )  # tenancy-ok: the task's own run, updated outside any request

    return report


INTERNAL_ERROR = "计算过程中出现内部错误，请稍后重新运行；如仍失败请联系平台管理员"


@transaction.atomic
def _run_claim(run_id: int) -> tuple[Run | None, bool]:
    """Mark a queued run RUNNING under its row lock; a running or finished run (a retried or duplicate task)
    is returned unclaimed, so two workers never compute the same run."""
    runs = Run.objects.select_for_update(of=("self",)).select_related(
        "framework_version", "dataset"
    )  # tenancy-ok: the task's own run; the run was permission-checked when it was created
    run = runs.filter(pk=run_id).first()
    if run is None or run.status != RunStatus.QUEUED:
        return run, False
    run.status, run.started_at, run.progress, run.message = RunStatus.RUNNING, clock.now(), 5, "开始计算"
    run.save(update_fields=["status", "started_at", "progress", "message"])
    return run, True


def run_execute(*, run_id: int) -> Run | None:
    """Compute a queued run (called by the huey task). Every outcome ends the run: DONE, or FAILED with the
    reason (an input problem in the user's terms, anything else as an internal error whose details go to the
    log), so no run is left RUNNING by an error; a run already running or finished is left as it is."""
    run, claimed = _run_claim(run_id)
    if not claimed:
        return run
    try:
        results = compute.run_index(
            table=run.framework_version.table, columns=run.dataset.columns, rows=run.dataset.rows,
            options=run.options, names=unit_names({r[0] for r in run.dataset.rows}),
            platform_cells=run.dataset.platform_cells,
            progress=_progress(run_id),
        )  # fmt: skip
        return _run_finish(run_id, status=RunStatus.DONE, results=results, message="计算完成")
    except Invalid as error:
        return _run_finish(run_id, status=RunStatus.FAILED, error=error.as_dict(), message=error.message)
    except Exception:
        log.exception("index run %s failed", run_id)
        error = {"code": "internal_error", "message": INTERNAL_ERROR}
        return _run_finish(run_id, status=RunStatus.FAILED, error=error, message=INTERNAL_ERROR)


@transaction.atomic
def _run_finish(run_id: int, *, status: str, message: str, results=None, error=None) -> Run:
    """Store a run's outcome (the task's own run, no actor)."""
    run = Run.objects.select_for_update().get(pk=run_id)  # tenancy-ok: the task's own run
    run.status = status
    run.progress = 100
    run.message = message[:200]
    run.results = results or {}
    run.error = error or {}
    run.finished_at = clock.now()
    run.save(update_fields=["status", "progress", "message", "results", "error", "finished_at"])
    warnings = [w["message"] for w in run.results.get("warnings", [])]  # the engine's, in Chinese
    audit.record(
        actor=SYSTEM,
        verb=f"evaluation.run_{status}",
        target=run,
        data={"message": message[:200], "warnings": warnings},
    )
    return run
