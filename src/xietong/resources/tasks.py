"""Background work (huey): the nightly list-price refresh for price lists that take effect that day."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="0", minute="5"))
def refresh_list_prices() -> int:
    from xietong.resources.services.list_prices import list_prices_refresh

    return list_prices_refresh()
