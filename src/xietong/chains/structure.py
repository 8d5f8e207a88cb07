"""Validating a chain's structure (rows of segments) before anything is written.

Pure: no database. A chain import, the preset loader and the API all pass their rows through
`validate_rows`, which reports every bad row in Chinese (duplicate code, unknown parent or upstream
segment, a cycle) so that the caller writes all rows or none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

from django.utils.translation import gettext as _

from xietong.chains.enums import Stage
from xietong.core.excel import RowError

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
STAGE_BY_LABEL = {label: value for value, label in Stage.choices} | {v: v for v in Stage.values}
LIST_SPLIT = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True)
class SegmentRow:
    row: int
    code: str
    name: str
    stage: str
    parent: str
    upstream: tuple[str, ...]
    description: str
    keywords: tuple[str, ...]
    tech_fields: tuple[str, ...]


def split_list(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in LIST_SPLIT.split(text or ""):
        if part:
            seen.setdefault(part[:40], None)
    return tuple(seen)


def _clean(number: int, raw: dict[str, str], errors: list[RowError]) -> SegmentRow | None:
    code, name = raw.get("code", "").strip(), raw.get("name", "").strip()
    stage = STAGE_BY_LABEL.get(raw.get("stage", "").strip(), "")
    bad = len(errors)
    if not CODE_RE.match(code):
        errors.append(RowError(number, "环节代码", _("环节代码应为 1–40 位字母、数字、点、横线或下划线")))
    if not name or len(name) > 60:
        errors.append(RowError(number, "环节名称", _("环节名称不能为空，且不超过 60 字")))
    if not stage:
        errors.append(RowError(number, "链位", _("链位应为 上游、中游 或 下游")))
    description = raw.get("description", "").strip()
    if len(description) > 2000:
        errors.append(RowError(number, "说明", _("说明不超过 2000 字")))
    if len(errors) > bad:
        return None
    return SegmentRow(
        row=number, code=code, name=name, stage=stage, parent=raw.get("parent", "").strip(),
        upstream=split_list(raw.get("upstream", "")), description=description,
        keywords=split_list(raw.get("keywords", ""))[:30], tech_fields=split_list(raw.get("tech_fields", ""))[:20],
    )  # fmt: skip


def validate_rows(rows: Sequence[tuple[int, dict[str, str]]]) -> tuple[list[SegmentRow], list[RowError]]:
    """Clean rows and check them as one graph; any error means nothing may be written."""
    errors: list[RowError] = []
    if not rows:
        return [], [RowError(0, "", _("工作簿中没有数据行"))]
    cleaned = [c for number, raw in rows if (c := _clean(number, raw, errors)) is not None]
    first_row: dict[str, int] = {}
    for seg in cleaned:
        if seg.code in first_row:
            errors.append(
                RowError(
                    seg.row,
                    "环节代码",
                    _("环节代码“%(code)s”与第 %(first_row)s 行重复")
                    % {"code": seg.code, "first_row": first_row[seg.code]},
                )
            )
        else:
            first_row[seg.code] = seg.row
    codes = set(first_row)
    for seg in cleaned:
        if seg.parent and seg.parent not in codes:
            errors.append(
                RowError(
                    seg.row, "上级环节代码", _("上级环节“%(parent)s”不存在于本表") % {"parent": seg.parent}
                )
            )
        if seg.parent == seg.code:
            errors.append(RowError(seg.row, "上级环节代码", _("环节不能以自己为上级")))
        for up in seg.upstream:
            if up not in codes:
                errors.append(
                    RowError(seg.row, "上游环节代码", _("上游环节“%(up)s”不存在于本表") % {"up": up})
                )
            elif up == seg.code:
                errors.append(RowError(seg.row, "上游环节代码", _("环节不能以自己为上游")))
    if not errors:
        errors.extend(_cycle_errors(cleaned))
    return cleaned, errors


def _cycle_errors(segments: list[SegmentRow]) -> list[RowError]:
    """A chain is a DAG: neither the sub-segment tree nor the supply edges may loop (nor the two together)."""
    graph: dict[str, set[str]] = {
        s.code: set(s.upstream) | ({s.parent} if s.parent else set()) for s in segments
    }
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = exc.args[1]
        rows = {s.code: s.row for s in segments}
        path = " → ".join(reversed(cycle))
        return [
            RowError(
                rows[cycle[0]],
                "上游环节代码",
                _("环节关系形成循环：%(path)s；产业链应为无环图") % {"path": path},
            )
        ]
    return []
