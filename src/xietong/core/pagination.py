"""One pagination for pages and API: bounded page sizes, counted once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def paginate(qs: QuerySet, *, page: int = 1, page_size: int = 20) -> Page:
    page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    total = qs.count()
    last = max(1, -(-total // page_size))
    page = min(max(int(page), 1), last)
    start = (page - 1) * page_size
    return Page(items=list(qs[start : start + page_size]), total=total, page=page, page_size=page_size)
