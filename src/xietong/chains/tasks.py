"""Background work (huey): recompute the zone matrices after a change of the links or the chains' structure.

Enqueued with `transaction.on_commit` by every service that moves the data stamp (`services.schedule_refresh`);
idempotent: a zone whose matrix is already on disk for the current stamp is skipped, so duplicate or late tasks
cost one stamp query and one file header each.
"""

from __future__ import annotations

from functools import cache

from huey.contrib.djhuey import db_task


@db_task()
def refresh_zone_matrices() -> int:
    """Recompute every zone's matrix and relatedness density for the current data; the number recomputed."""
    from xietong.chains import analysis, selectors
    from xietong.regions import selectors as region_selectors

    stamp = (
        selectors.links_stamp()
    )  # read before the links: a change meanwhile only makes the file look stale
    cells = cache(selectors.link_cells)
    return sum(analysis.refresh(zone, stamp, cells) for zone in region_selectors.zone_list())
