"""Background work (huey): index runs. Enqueued with transaction.on_commit; idempotent."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def run_index(run_id: int) -> str:
    """Compute one queued run; a running or finished run is left alone, so a retried or duplicate task does no
    harm, and a failure ends the run FAILED (see `execution.run_execute`)."""
    from xietong.evaluation.execution import run_execute

    run = run_execute(run_id=run_id)
    return run.status if run is not None else "missing"
