"""Pure: turn a zone matrix, a chain's structure and a gap list into what the pages and the API show
(graph nodes and links, dashboard tables, a region's specialisation map)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from django.utils.translation import gettext

from xietong.chains.analysis import STAGE_LABELS, ZoneMatrix
from xietong.chains.enums import GapKind, Stage

STAGE_X = {Stage.UPSTREAM: 0, Stage.MIDSTREAM: 1, Stage.DOWNSTREAM: 2}


def rca_band(value: float, count: float) -> str:
    """Pure: the colour band of a cell: absent, weak (< 0.5), below average (< 1), specialised (≥ 1)."""
    if count <= 0:
        return "absent"
    if value < 0.5:
        return "weak"
    if value < 1.0:
        return "average"
    return "strong"


def segment_rows(matrix: ZoneMatrix, region: str, segments, gaps_by_segment: dict[int, str]) -> list[dict]:
    """Pure: per segment of a chain, the region's count and RCA, the members present and the gap kind."""
    rows = []
    m = matrix.m
    for s in segments:
        present = int(m[s.pk].sum()) if s.pk in m.columns else 0
        count = float(matrix.counts.at[region, s.pk]) if region and s.pk in matrix.counts.columns else 0.0
        value = float(matrix.rca.at[region, s.pk]) if region and s.pk in matrix.rca.columns else 0.0
        rows.append({
            "id": s.pk, "code": s.code, "name": s.name, "stage": s.stage, "stage_label": gettext(STAGE_LABELS[s.stage]),
            "parent": s.parent.code if s.parent_id else "", "rca": round(value, 4), "count": count,
            "band": rca_band(value, count), "present_members": present, "zone_count": float(matrix.counts[s.pk].sum()) if s.pk in matrix.counts.columns else 0.0,
            "gap": gaps_by_segment.get(s.pk, ""),
        })  # fmt: skip
    return rows


def graph(rows: list[dict], edges: list[tuple[int, int]], members: int) -> dict:
    """Pure: ECharts graph data; x by stage, y by order in the stage (sub-segments indented), size by presence."""
    y_in_stage: dict[str, int] = defaultdict(int)
    nodes = []
    for row in rows:
        stage = row["stage"]
        y = y_in_stage[stage]
        y_in_stage[stage] += 1
        size = 18 + 34 * (row["present_members"] / members if members else 0)
        nodes.append({
            "id": str(row["id"]), "name": row["name"], "code": row["code"], "x": STAGE_X[stage] * 360 + (40 if row["parent"] else 0),
            "y": y * 46, "symbolSize": round(size, 1), "band": row["band"], "rca": row["rca"], "count": row["count"],
            "present": row["present_members"], "gap": row["gap"], "stage": row["stage_label"],
        })  # fmt: skip
    by_code = {r["code"]: str(r["id"]) for r in rows}
    links = [{"source": str(up), "target": str(down)} for up, down in edges]
    links += [{"source": by_code[r["parent"]], "target": str(r["id"]), "lineStyle": {"type": "dashed", "opacity": 0.35}}
              for r in rows if r["parent"] in by_code]  # fmt: skip
    return {"nodes": nodes, "links": links, "members": members}


def completeness(matrix: ZoneMatrix, chains_with_segments: list[tuple]) -> list[dict]:
    """Pure: per chain and member, the share of the chain's segments where the member has any link."""
    out = []
    counts = matrix.counts
    for chain, segment_ids in chains_with_segments:
        ids = [i for i in segment_ids if i in counts.columns]
        if not ids:
            continue
        block = counts[ids].to_numpy() > 0
        per_member = {m: round(float(block[i].mean()) * 100, 1) for i, m in enumerate(matrix.members)}
        zone = round(float(block.any(axis=0).mean()) * 100, 1) if len(matrix.members) else 0.0
        out.append(
            {
                "chain": chain.name,
                "code": chain.code,
                "members": per_member,
                "zone": zone,
                "segments": len(ids),
            }
        )
    return out


def complementarity(matrix: ZoneMatrix) -> list[list[float]]:
    """Pure: cell [a][b] = share (%) of member a's segments without advantage (RCA < 1) where b is specialised."""
    m = matrix.m.to_numpy()
    n = len(matrix.members)
    out = [[0.0] * n for _ in range(n)]
    for a in range(n):
        lacking = m[a] == 0
        if not lacking.any():
            continue
        for b in range(n):
            if a != b:
                out[a][b] = round(float((m[b][lacking] == 1).mean()) * 100, 1)
    return out


def region_map(
    matrix: ZoneMatrix, region: str, chains_with_segments: list[tuple], names: dict[int, str]
) -> list[dict]:
    """Pure: the region's 优势产业发展地图 — per chain, its segments' RCA and the summary figures."""
    out = []
    for chain, segment_ids in chains_with_segments:
        ids = [i for i in segment_ids if i in matrix.rca.columns]
        rca = matrix.rca.loc[region, ids].to_numpy() if region else np.zeros(len(ids))
        counts = matrix.counts.loc[region, ids].to_numpy() if region else np.zeros(len(ids))
        out.append({
            "chain": chain.name, "code": chain.code, "strong": int(((rca >= 1) & (counts > 0)).sum()),
            "present": int((counts > 0).sum()), "segments": len(ids),
            "completeness": round(float((counts > 0).mean()) * 100, 1) if ids else 0.0,
            "cells": [{"name": names[i], "rca": round(float(r), 3), "count": float(c)} for i, r, c in zip(ids, rca, counts, strict=True)],
        })  # fmt: skip
    return out


GAP_KIND_LABELS = dict(GapKind.choices)
