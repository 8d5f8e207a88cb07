"""Review in levels (区县 → 市 → 发券方): where an application waits and what each step is called.

A programme names the region levels that review before the issuer (`Programme.review_levels`, lowest
first). For one application the steps are the applicant's own district / city at those levels, then the
issuer, who alone sets 核定金额. A level the applicant has no region at (a firm registered at city level)
or whose region is the issuer itself is skipped. The bureau that reviews a step is the one whose own region
is the step's region: it governs that region but not the region's parent (`reviews_region`), so a city
bureau never reviews in its districts' place and each level sees only what waits at its level.
"""

from __future__ import annotations

from xietong.core.actor import Actor
from xietong.regions.models import Region

STEP_WORDS = {1: ["审核"], 2: ["初审", "复审"], 3: ["初审", "复审", "终审"]}


def levels_of(programme) -> list[str]:
    return [level for level in (programme.review_levels or "").split(",") if level]


def _ancestor_at(region: Region | None, level: str) -> Region | None:
    while region is not None and region.level != level:
        region = region.parent
    return region


def step_regions(programme, enterprise_region: Region) -> list[Region]:
    """The regions whose bureaus review before the issuer, lowest first (empty: the issuer reviews alone)."""
    out: list[Region] = []
    for level in levels_of(programme):
        region = _ancestor_at(enterprise_region, level)
        if region is None or region.code == programme.issuer_region_id or region in out:
            continue
        out.append(region)
    return out


def first_region(programme, enterprise_region: Region) -> Region | None:
    steps = step_regions(programme, enterprise_region)
    return steps[0] if steps else None


def next_region(programme, enterprise_region: Region, after: Region) -> Region | None:
    """The step after `after`; None when the issuer comes next."""
    regions = step_regions(programme, enterprise_region)
    codes = [r.code for r in regions]
    if after.code not in codes:
        return None
    index = codes.index(after.code)
    return regions[index + 1] if index + 1 < len(regions) else None


def step(programme, enterprise_region: Region, region: Region | None) -> tuple[str, str]:
    """(who, word) of a step: ("嘉兴市南湖区", "初审"), ("嘉兴市", "复审")… — the reviewer's place and the
    step's name in the sequence (初审 / 复审 / 终审, or 审核 when the issuer reviews alone)."""
    regions = step_regions(programme, enterprise_region)
    words = STEP_WORDS.get(len(regions) + 1, STEP_WORDS[3])
    if region is None:
        return programme.issuer_name, words[-1]
    codes = [r.code for r in regions]
    position = codes.index(region.code) if region.code in codes else 0
    return region.name, words[min(position, len(words) - 1)]


def step_label(programme, enterprise_region: Region, region: Region | None) -> str:
    """ "嘉兴市南湖区初审", "嘉兴市复审"…"""
    return "".join(step(programme, enterprise_region, region))


def reviews_region(actor: Actor, region: Region | None) -> bool:
    """The actor is the bureau of `region` itself (not of a region above it)."""
    if region is None:
        return False
    if actor.is_platform_admin:
        return True
    return region.code in actor.bureau_region_codes and region.parent_id not in actor.bureau_region_codes
