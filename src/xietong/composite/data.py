"""Indicator data as a (year × unit × column) cube, read from COINr's iData layout.

A cube keeps every year aligned, so per-year statistics are one numpy reduction over an axis instead
of a group-by; units missing from a year (or screened out) are marked absent rather than dropped.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError, Issue, raise_issues
from .framework import HEADER_ROWS, Framework

ID_COLUMNS = ("uCode", "uName", "Time")
REGIONS_FIXTURE = Path(__file__).resolve().parent.parent / "regions" / "data" / "regions.json.gz"


@dataclass(frozen=True, eq=False)
class Dataset:
    """Values of one stage of the pipeline.

    Parameters
    ----------
    values : ndarray, shape (years, units, columns)
        Indicator (and, after aggregation, aggregate) values; NaN is missing.
    present : ndarray of bool, shape (years, units)
        Whether the unit takes part in that year (it has a row and was not screened out).
    units, times, columns : tuple
        Labels of the three axes.
    groups : dict of str to ndarray, shape (years, units)
        Group labels (e.g. ``EurAsia_group``) used by group imputation.
    extra : dict of str to ndarray, shape (years, units)
        Denominators and other numeric non-indicator columns.
    names : dict of str to str
        Unit names by code.
    """

    values: np.ndarray
    present: np.ndarray
    units: tuple[str, ...]
    times: tuple[int, ...]
    columns: tuple[str, ...]
    groups: dict[str, np.ndarray] = field(default_factory=dict)
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.values.shape

    def with_values(
        self, values: np.ndarray, columns: tuple[str, ...] | None = None, present=None
    ) -> Dataset:
        return replace(
            self,
            values=values,
            columns=self.columns if columns is None else tuple(columns),
            present=self.present if present is None else present,
        )

    def column(self, code: str) -> np.ndarray:
        return self.values[:, :, self.columns.index(code)]

    def take(self, codes) -> np.ndarray:
        index = [self.columns.index(c) for c in codes]
        return self.values[:, :, index]

    def to_frame(self, *, include_absent: bool = False, columns=None) -> pd.DataFrame:
        """Long-wide table: one row per (unit, year) present, columns uCode, Time, then values."""
        t_index, u_index = np.nonzero(np.ones(self.present.shape, bool) if include_absent else self.present)
        codes = list(self.columns if columns is None else columns)
        index = [self.columns.index(c) for c in codes]
        frame = pd.DataFrame(self.values[t_index, u_index][:, index], columns=codes)
        frame.insert(0, "Time", np.asarray(self.times)[t_index])
        frame.insert(0, "uCode", np.asarray(self.units, dtype=object)[u_index])
        return frame

    @classmethod
    def from_arrays(cls, values, *, units, columns, times=(0,), groups=None, extra=None) -> Dataset:
        """Wrap a plain (units × columns) matrix, or a (years × units × columns) cube."""
        values = np.asarray(values, dtype=float)
        if values.ndim == 2:
            values = values[None, :, :]
        present = np.ones(values.shape[:2], dtype=bool)
        return cls(
            values=values,
            present=present,
            units=tuple(units),
            times=tuple(times),
            columns=tuple(columns),
            groups=dict(groups or {}),
            extra=dict(extra or {}),
        )


@lru_cache(maxsize=1)
def gb2260_codes() -> frozenset[str]:
    """The six-digit GB/T 2260 division codes shipped with the regions app (read without Django)."""
    with gzip.open(REGIONS_FIXTURE, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    position = payload["columns"].index("code")
    return frozenset(row[position] for row in payload["rows"])


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Excel sheet with every cell as text, so bad cells can be reported, not coerced."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        frame = pd.read_excel(path, dtype=object)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    return frame


def dataset_from_table(
    table: pd.DataFrame, framework: Framework, *, region_codes: frozenset[str] | None = None
) -> Dataset:
    """Build a :class:`Dataset` from an iData table, reporting every bad cell by row and column.

    ``region_codes`` (for example :func:`gb2260_codes`) makes unknown unit codes an error: Chinese
    regional indices key their units by GB/T 2260 codes.
    """
    table = table.rename(columns=lambda c: str(c).strip())
    issues: list[Issue] = []
    for needed in ("uCode",):
        if needed not in table.columns:
            raise DataError(f"数据表缺少「{needed}」列", code="missing_column", column=needed)
    missing = [c for c in framework.indicators if c not in table.columns]
    if missing:
        raise DataError(f"数据表缺少以下指标列：{'、'.join(missing)}", code="missing_column", columns=missing)
    rows = np.arange(len(table)) + HEADER_ROWS + 1
    labels, uniques = pd.factorize(table["uCode"], use_na_sentinel=True)  # clean each distinct code once
    clean = np.append(pd.Series(uniques, dtype=object).astype(str).str.strip().to_numpy(dtype=object), "")
    codes = pd.Series(clean[labels], index=table.index, dtype=object)
    for row in rows[(codes == "").to_numpy()]:
        issues.append(_cell(row, "uCode", "单位代码为空", "blank_code"))
    if region_codes is not None:
        bad = (codes != "") & ~codes.isin(region_codes)
        for row, code in zip(rows[bad], codes[bad], strict=True):
            issues.append(
                _cell(row, "uCode", f"地区代码“{code}”不在 GB/T 2260 行政区划代码中", "unknown_region")
            )
    if "Time" in table.columns:
        times_raw = pd.to_numeric(table["Time"], errors="coerce")
        bad = times_raw.isna() | (times_raw % 1 != 0)
        for row, raw in zip(rows[bad], table["Time"][bad], strict=True):
            issues.append(_cell(row, "Time", f"年份应为整数（实为“{raw}”）", "not_numeric"))
        times = times_raw.fillna(0).astype(int).to_numpy()
    else:
        times = np.zeros(len(table), dtype=int)
    numeric_columns = list(framework.indicators) + [c for c in framework.denominators if c in table.columns]
    numbers = {}
    for column in numeric_columns:
        numbers[column], bad = _to_numbers(table[column])
        for row, raw in zip(rows[bad], table[column][bad], strict=True):
            issues.append(_cell(row, column, f"应为数字（实为“{raw}”）", "not_numeric"))
    keys = pd.DataFrame({"code": codes.to_numpy(), "time": times})
    duplicated = (keys.duplicated(keep="first") & (keys["code"] != "")).to_numpy()
    for row, code, time in zip(
        rows[duplicated], keys["code"][duplicated], keys["time"][duplicated], strict=True
    ):
        what = f"单位“{code}”" + (f"在 {time} 年" if "Time" in table.columns else "")
        issues.append(_cell(row, "uCode", f"{what}重复出现", "duplicate"))
    raise_issues(issues, DataError, "指标数据有误")

    units = tuple(dict.fromkeys(codes))
    years = tuple(sorted(set(times.tolist())))
    u_index = pd.Index(units).get_indexer(codes)
    t_index = pd.Index(years).get_indexer(times)
    shape = (len(years), len(units))
    values = np.full((*shape, len(framework.indicators)), np.nan)
    values[t_index, u_index, :] = np.column_stack([numbers[c] for c in framework.indicators])
    present = np.zeros(shape, dtype=bool)
    present[t_index, u_index] = True
    extra = {}
    for column in framework.denominators:
        if column in numbers:
            extra[column] = np.full(shape, np.nan)
            extra[column][t_index, u_index] = numbers[column]
    groups = {}
    for column in framework.groups:
        if column in table.columns:
            groups[column] = np.full(shape, None, dtype=object)
            groups[column][t_index, u_index] = table[column].to_numpy(dtype=object)
    names = {}
    if "uName" in table.columns:
        names = {c: str(n) for c, n in zip(codes, table["uName"], strict=True) if not pd.isna(n)}
    return Dataset(
        values=values,
        present=present,
        units=units,
        times=years,
        columns=framework.indicators,
        groups=groups,
        extra=extra,
        names=names,
    )


def _to_numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if pd.api.types.is_numeric_dtype(series):
        return series.to_numpy(dtype=float), np.zeros(len(series), dtype=bool)
    text = series.map(lambda v: v.strip() if isinstance(v, str) else v)
    blank = text.isna() | (text == "")
    converted = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = (converted.isna() & ~blank).to_numpy()
    return converted.to_numpy(dtype=float), bad


def _cell(row: int, column: str, text: str, code: str) -> Issue:
    return Issue(f"第 {row} 行「{column}」列：{text}", row=int(row), column=column, code=code)
