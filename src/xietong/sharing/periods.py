"""Periods are months written "YYYY-MM"; the helpers here are pure (no database)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from xietong.sharing.errors import BadRules

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(text: str) -> str:
    value = str(text or "").strip().replace("/", "-").replace(".", "-")
    if re.match(r"^\d{4}-\d$", value):
        value = value[:5] + "0" + value[5:]
    match = re.match(r"^(\d{4})年(\d{1,2})月$", value)
    if match:
        value = f"{match.group(1)}-{int(match.group(2)):02d}"
    if not PERIOD_RE.match(value) or not 1990 <= int(value[:4]) <= 2100:
        raise BadRules(_("期间“%(text)s”格式有误，应为 YYYY-MM（如 2025-03）") % {"text": text})
    return value


def first_day(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:7]), 1)


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(period: str, months: int) -> str:
    index = int(period[:4]) * 12 + int(period[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(start: str, end: str) -> list[str]:
    """Every month from `start` to `end`, both included."""
    out, current = [], start
    while current <= end:
        out.append(current)
        current = add_months(current, 1)
    return out
