"""Demo indices (labelled demo data): 长三角 41 cities, 京津冀 13 cities and 成渝 16 units, from 2011 / 2013 / 2016.

The numbers are generated, not statistics: each city has a size (big centres first) and a growth rate,
each indicator a typical level, how strongly it scales with size, and a trend; a little noise and a
few blank cells (for the imputation to fill) are added. Deterministic (fixed seed) and idempotent.

The platform indicators (``platform:<key>`` in the framework) are left blank in data version 1 for the
years the platform has records for (the demo records of vouchers, resources and transfer, loaded
before this module); "刷新平台指标" then makes data version 2 with those cells computed from the
records, and the published run (rank intervals, Sobol' indices, remove-one analysis) uses version 2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db import transaction

from xietong.core import clock
from xietong.core.actor import SYSTEM
from xietong.core.errors import Conflict, Invalid
from xietong.core.excel import Sheet, write_sheets
from xietong.evaluation import platform_indicators, services
from xietong.evaluation.models import Framework
from xietong.evaluation.presets import FRAMEWORK_PRESETS, FrameworkPreset

SEED = 2026
LAST_YEAR = max(2024, clock.today().year)  # the platform's records are dated this year
YEARS = {
    "yrd": range(2011, LAST_YEAR + 1),
    "jjj": range(2013, LAST_YEAR + 1),
    "cy": range(2016, LAST_YEAR + 1),
}
RUN_OPTIONS = {"sensitivity_runs": 64, "sensitivity_method": "sobol"}
# Relative size of the big centres; other cities draw theirs from the seed.
SIZE = {
    "310000": 10.0, "320100": 4.5, "320500": 5.0, "330100": 5.5, "340100": 3.6, "330200": 3.4, "320200": 3.2,
    "320400": 2.0, "330300": 1.8, "320600": 1.8, "330400": 1.6, "330600": 1.6, "340200": 1.4, "321000": 1.2,
    "110000": 10.0, "120000": 4.0, "130100": 2.0, "130200": 1.6, "130600": 1.2, "131000": 1.0,
    "500000": 8.0, "510100": 7.5, "510700": 1.6, "510600": 1.3, "511500": 1.1, "510500": 1.0,
}  # fmt: skip
# Typical level by unit of measure: (level for a size-1 city, elasticity to size, yearly trend).
BY_UNIT = {
    "台": (600, 0.9, 0.06), "万小时": (4.0, 0.9, 0.10), "人": (1500, 1.0, 0.09), "万人年": (2.5, 1.0, 0.06),
    "个": (15, 0.9, 0.07), "家": (260, 1.0, 0.08), "篇": (900, 1.1, 0.08), "件": (300, 1.1, 0.12),
    "项": (40, 1.0, 0.09), "万元": (600, 1.0, 0.15), "亿元": (25, 1.2, 0.14), "万户": (150, 0.8, 0.05),
    "万元/人": (14, 0.3, 0.05),
}  # fmt: skip
BY_CODE = {
    "es_rd_intensity": (1.9, 0.25, 0.03), "ca_rd_intensity": (1.6, 0.35, 0.03), "es_fiscal": (3.2, 0.2, 0.03),
    "en_fiscal": (2.8, 0.25, 0.03), "il_hitech_output": (14, 0.2, 0.03), "il_strategic": (9, 0.2, 0.04),
    "ip_hitech_share": (11, 0.25, 0.03), "es_pm25": (58, -0.05, -0.05), "en_energy": (0.75, -0.2, -0.045),
    "ip_gdp_per_capita": (6.5, 0.25, 0.06),
    # 成渝: 创新合作 grows fastest (as the 2021 report found), 产业联动 next
    "cy_rd_intensity": (1.5, 0.35, 0.04), "cy_hitech_share": (10, 0.25, 0.04), "cy_fiscal": (2.4, 0.25, 0.03),
    "cy_transport": (4.5, 0.3, 0.03), "cy_copapers": (700, 1.1, 0.16), "cy_copatents": (200, 1.1, 0.18),
    "cy_joint_projects": (30, 1.0, 0.17), "cy_chain_links": (120, 1.0, 0.12), "cy_branches": (150, 1.0, 0.11),
}  # fmt: skip


def generate(preset: FrameworkPreset, *, seed: int = SEED) -> pd.DataFrame:
    """The demo data of a preset framework: one row per city × year (uCode, Time, indicators)."""
    rng = np.random.default_rng([seed, sum(map(ord, preset.code))])
    units = list(preset.units)
    years = np.array(list(YEARS[preset.code]))
    size = np.array([SIZE.get(u, 0.0) or float(rng.lognormal(-0.2, 0.35)) for u in units])
    growth = rng.uniform(0.85, 1.25, size=len(units))  # cities catch up at different speeds
    catch_up = (1.0 / size) ** 0.12  # smaller cities grow a little faster
    columns = {}
    elapsed = years - years[0]
    for code, _name, unit, _direction, _parent, _source in preset.indicators:
        level, elasticity, trend = BY_CODE.get(code) or BY_UNIT.get(unit, (100, 1.0, 0.07))
        base = level * size**elasticity  # units
        rate = trend * growth * catch_up  # units
        noise = rng.lognormal(0.0, 0.06, size=(len(years), len(units)))
        columns[code] = base[None, :] * np.exp(rate[None, :] * elapsed[:, None]) * noise
    frame = pd.DataFrame(
        {
            "uCode": np.tile(units, len(years)),
            "Time": np.repeat(years, len(units)),
            **{code: np.round(values.ravel(), 2) for code, values in columns.items()},
        }
    )
    blanks = rng.random(size=(len(frame), len(columns))) < 0.01  # ~1 % blank cells, for imputation
    indicator_frame = frame[list(columns)].mask(blanks)
    frame[list(columns)] = indicator_frame
    return frame


def workbook(preset_code: str, *, names: dict[str, str] | None = None) -> bytes:
    """The demo data as an import workbook (地区代码, 地区名称, 年份, indicator codes)."""
    frame = generate(FRAMEWORK_PRESETS[preset_code])
    names = names or {}
    indicators = [c for c in frame.columns if c not in ("uCode", "Time")]
    rows = (
        [record[0], names.get(record[0], ""), int(record[1]), *[None if pd.isna(v) else float(v) for v in record[2:]]]
        for record in frame.itertuples(index=False)
    )  # fmt: skip
    header = ["地区代码", "地区名称", "年份", *indicators]
    return write_sheets([Sheet(title="指标数据（演示）", rows=[header, *rows])])


def _framework(preset: FrameworkPreset) -> Framework:
    existing = Framework.objects.filter(preset=preset.code, is_demo=True, zone__code=preset.zone_code).first()
    if existing is not None:
        return existing
    return services.framework_create_from_preset(actor=SYSTEM, preset=preset.code, is_demo=True)


def blank_platform_years(frame: pd.DataFrame, preset: FrameworkPreset) -> int:
    """Blank each platform indicator's cells in the years the platform has records for; return how many."""
    blanked = 0
    units, years = list(preset.units), sorted(int(y) for y in frame["Time"].unique())
    for code, _name, _unit, _direction, _parent, source in preset.indicators:
        if not source.startswith("platform:"):
            continue
        covered = platform_indicators.compute(source.removeprefix("platform:"), units=units, years=years)
        cells = frame["Time"].isin(list(covered))
        blanked += int(frame.loc[cells, code].notna().sum())
        frame.loc[cells, code] = None
    return blanked


def _datasets(framework: Framework, preset: FrameworkPreset, seed: int) -> None:
    frame = generate(preset, seed=seed)
    frame.index = pd.Index(range(2, len(frame) + 2), name="row")
    blanked = blank_platform_years(frame, preset)
    services.dataset_import(
        actor=SYSTEM, framework_id=framework.pk, frame=frame, is_demo=True, fill_platform=False,
        name=f"{preset.short_name}演示数据（生成）",
    )  # fmt: skip
    if blanked:
        try:
            services.dataset_refresh_platform(actor=SYSTEM, framework_id=framework.pk)
        except (Conflict, Invalid):
            pass  # the platform has no value for the blank cells: version 1 stays the latest


@transaction.atomic
def load(*, seed: int = SEED) -> str:
    """Create (once) each preset's demo framework, its data versions and a published run."""
    made = []
    for preset in FRAMEWORK_PRESETS.values():
        framework = _framework(preset)
        if not framework.datasets.exists():
            _datasets(framework, preset, seed)
        if not framework.runs.exists():
            run = services.run_create(
                actor=SYSTEM, framework_id=framework.pk, options=RUN_OPTIONS, background=False
            )
            services.run_execute(run_id=run.pk)
            services.run_publish(actor=SYSTEM, run_id=run.pk)
        made.append(f"{preset.short_name} {len(preset.units)} 个城市")
    return "协同创新指数（演示）：" + "、".join(made)
