"""Recompute a data version's platform indicators (刷新平台指标); pure, the service stores the result."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from xietong.core.errors import Invalid
from xietong.evaluation.compute import json_number, source_of


@dataclass(frozen=True)
class RefreshedData:
    columns: list[str]
    rows: list[list[Any]]
    sources: dict[str, dict[str, int]]
    platform_cells: dict[str, list[list[Any]]]
    changed: dict[str, int]  # indicator → cells whose value changed


def platform_refresh(
    *, table: Sequence[dict], columns: Sequence[str], rows: Sequence[Sequence[Any]],
    sources: Mapping[str, Mapping[str, int]], platform_cells: Mapping[str, Sequence[Sequence[Any]]],
    platform: Callable[[str, Sequence[str], Sequence[int]], dict[int, dict[str, float]]],
) -> RefreshedData:  # fmt: skip
    """A data version's rows with every platform indicator recomputed; imported values are never touched.

    A cell is the platform's if it was blank or was filled by the platform before; it takes the platform's
    current value, and keeps its previous value when the platform has none now. A platform indicator the
    latest framework version added is appended as a new column.
    """
    keys = {r["iCode"]: source_of(table, r["iCode"]) for r in table if r.get("Type") == "Indicator"}
    keys = {code: key for code, key in keys.items() if key}
    if not keys:
        raise Invalid(
            _("该指数的指标框架中没有由平台计算的指标（来源为 platform:<代码>）"),
            code="no_platform_indicators",
        )
    columns = list(columns)
    rows = [list(r) for r in rows]
    for code in keys:
        if code not in columns:
            columns.append(code)
            for row in rows:
                row.append(None)
    units = sorted({str(r[0]) for r in rows})
    years = sorted({int(r[1]) for r in rows})
    new_sources = {code: dict(counts) for code, counts in sources.items()}
    new_cells = {code: [list(c) for c in cells] for code, cells in platform_cells.items()}
    changed: dict[str, int] = {}
    for code, key in keys.items():
        j = columns.index(code)
        ours = {(str(u), int(y)) for u, y in platform_cells.get(code, [])}
        computed = platform(key, units, years)
        count = 0
        for row in rows:
            cell = (str(row[0]), int(row[1]))
            if row[j] is not None and cell not in ours:
                continue  # imported: the statistics win
            value = computed.get(cell[1], {}).get(cell[0])
            if value is None:
                continue
            if row[j] != value:
                count += 1
                row[j] = json_number(value)
            ours.add(cell)
        if count:
            changed[code] = count
        filled = sum(1 for row in rows if row[j] is not None and (str(row[0]), int(row[1])) in ours)
        imported = sum(1 for row in rows if row[j] is not None) - filled
        new_sources[code] = {"import": imported, **({f"platform:{key}": filled} if filled else {})}
        new_cells[code] = [[u, y] for u, y in sorted(ours)]
    return RefreshedData(
        columns=columns, rows=rows, sources=new_sources, platform_cells=new_cells, changed=changed
    )
