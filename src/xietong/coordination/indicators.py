"""The platform indicator this app adds to the evaluation registry: tasks completed on time per member."""

from __future__ import annotations

from collections.abc import Sequence

from xietong.coordination import selectors
from xietong.coordination.enums import TaskStatus
from xietong.core import clock
from xietong.core.actor import SYSTEM
from xietong.evaluation import platform_indicators

KEY = "coordination.on_time_share"


@platform_indicators.register(KEY, name="督办事项按期完成率", unit="%", app_label="coordination")
def on_time_share(units: Sequence[str], years: Sequence[int]) -> platform_indicators.Values:
    """Share (%) of tasks due in the year whose lead unit lies in the member and that were completed by their
    deadline. Only tasks whose deadline has passed, or that are already completed, count: a task still running
    before its deadline has not yet been late. A member with no such task has no value (left blank)."""
    unit_of = platform_indicators.unit_of_region(units)
    today = clock.today()
    out: platform_indicators.Values = {}
    for year in years:
        counted: dict[str, list[int]] = {}
        for region, deadline, completed_on, status in selectors.unit_task_stats(actor=SYSTEM, year=year):
            member = unit_of.get(region) if region else None
            if member is None or status == TaskStatus.SUSPENDED:
                continue
            done = status == TaskStatus.COMPLETED and completed_on is not None
            if not done and deadline >= today:
                continue
            pair = counted.setdefault(member, [0, 0])
            pair[1] += 1
            pair[0] += int(done and completed_on <= deadline)
        if counted:
            out[year] = {member: round(100 * ok / total, 2) for member, (ok, total) in counted.items()}
    return out
