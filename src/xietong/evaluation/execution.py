"""Computing a queued index run: what the background task does.

Apart from `services` so that the task module can call it while `services` enqueues the task: tasks import
this module, services import tasks and this module, and nothing here imports either (no cycle).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xietong.core import audit
from xietong.core.actor import SYSTEM
from xietong.core.errors import Invalid
from xietong.evaluation import compute
from xietong.evaluation.enums import RunStatus
from xietong.evaluation.models import Run
from xietong.regions.models import Region


def unit_names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def _progress(run_id: int):
    def report(percent: int, message: str) -> None:
        # tenancy-ok: the task's own run, updated outside any request
        Run.objects.filter(pk=run_id).update(progress=percent, message=message[:200])

    return report


def run_execute(*, run_id: int) -> Run:
    """Compute a queued run (called by the huey task; idempotent: a finished run is left as it is)."""
    # tenancy-ok: the task's own run; the run was permission-checked when it was created
    run = Run.objects.select_related("framework_version", "dataset").filter(pk=run_id).first()
    if run is None or run.is_finished:
        return run
    # tenancy-ok: the task's own run
    Run.objects.filter(pk=run_id).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=5, message="开始计算"
    )
    try:
        results = compute.run_index(
            table=run.framework_version.table, columns=run.dataset.columns, rows=run.dataset.rows,
            options=run.options, names=unit_names({r[0] for r in run.dataset.rows}),
            progress=_progress(run_id),
        )  # fmt: skip
    except Invalid as error:
        return _run_finish(run_id, status=RunStatus.FAILED, error=error.as_dict(), message=error.message)
    return _run_finish(run_id, status=RunStatus.DONE, results=results, message="计算完成")


@transaction.atomic
def _run_finish(run_id: int, *, status: str, message: str, results=None, error=None) -> Run:
    """Store a run's outcome (the task's own run, no actor)."""
    # tenancy-ok: the task's own run
    run = Run.objects.select_for_update().get(pk=run_id)
    run.status = status
    run.progress = 100
    run.message = message[:200]
    run.results = results or {}
    run.error = error or {}
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "progress", "message", "results", "error", "finished_at"])
    warnings = [w["message"] for w in run.results.get("warnings", [])]  # the engine's, in Chinese
    audit.record(
        actor=SYSTEM,
        verb=f"evaluation.run_{status}",
        target=run,
        data={"message": message[:200], "warnings": warnings},
    )
    return run
