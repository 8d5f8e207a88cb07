"""Background work (huey): the hourly refresh of lights, measured progress and notices (idempotent)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def refresh_tasks() -> str:
    """Re-light every open task and send what is due; running twice changes nothing and sends nothing twice."""
    from xietong.coordination.refresh import run

    result = run()
    return f"{result.tasks} tasks, {result.changed} changed, {result.notices} notices"
