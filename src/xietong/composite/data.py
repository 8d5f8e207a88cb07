"""Indicator data as a (year × unit × column) cube, read from COINr's iData layout.

A cube keeps every year aligned, so per-year statistics are one numpy reduction over an axis instead
of a group-by; units missing from a year (or screened out) are marked absent rather than dropped.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as pacsv

from .errors import CompositeError, DataError, Issue, raise_issues
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
    """Read a CSV, Parquet or Excel table, keeping every header as written (a repeated one is refused).

    CSV goes through pyarrow's multi-threaded columnar reader (measured here against polars and
    pandas' text reader: docs/PERFORMANCE.md): numeric columns arrive as numbers, and a column with
    a bad cell arrives as text so that :func:`dataset_from_table` can report the cell. Unit codes
    and names are always read as text (``"0101"`` keeps its zero).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = _read_excel(path)
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = _read_csv(path)
    except CompositeError:
        raise
    except (OSError, ValueError, pa.ArrowException) as error:  # unreadable, not CSV/Parquet/xlsx
        raise DataError(
            "the file {name} cannot be read as a table ({reason})",
            code="unreadable_file",
            name=path.name,
            reason=str(error).splitlines()[0][:200] if str(error) else type(error).__name__,
        ) from error
    _require_unique_headers(list(frame.columns), path.name)
    return frame


def _read_csv(path: Path) -> pd.DataFrame:
    with open(path, "rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf")
    if not head.strip():
        raise DataError("the file {name} is empty", code="empty_file", name=path.name)
    header = next(csv.reader(io.StringIO(head.decode("utf-8", errors="replace").splitlines()[0])))
    _require_unique_headers(header, path.name)  # pyarrow would keep both; pandas would rename one
    text_columns = {c: pa.string() for c in header if c.strip() in ("uCode", "uName")}
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(encoding="utf-8"),
        convert_options=pacsv.ConvertOptions(
            column_types=text_columns,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    return table.to_pandas()


def _read_excel(path: Path) -> pd.DataFrame:
    raw = pd.read_excel(path, dtype=object, header=None)
    if raw.empty:
        raise DataError("the file {name} is empty", code="empty_file", name=path.name)
    header = ["" if pd.isna(c) else str(c) for c in raw.iloc[0]]
    _require_unique_headers(header, path.name)
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = header
    return frame


def _require_unique_headers(header: list, name: str) -> None:
    stripped = [str(c).strip() for c in header]
    repeated = sorted({c for c in stripped if stripped.count(c) > 1})
    if repeated:
        raise DataError(
            "columns appear more than once in {name}: {columns}",
            code="duplicate_column",
            name=name,
            columns=repeated,
        )


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
            raise DataError("the data table has no {column} column", code="missing_column", column=needed)
    missing = [c for c in framework.indicators if c not in table.columns]
    if missing:
        raise DataError(
            "the data table lacks these indicator columns: {columns}", code="missing_column", columns=missing
        )
    duplicated = sorted({c for c in table.columns if list(table.columns).count(c) > 1})
    if duplicated:
        raise DataError(
            "columns appear more than once: {columns}", code="duplicate_column", columns=duplicated
        )
    if len(table) == 0:
        raise DataError("the data table has no rows", code="no_rows")
    rows = np.arange(len(table)) + HEADER_ROWS + 1
    labels, uniques = pd.factorize(table["uCode"], use_na_sentinel=True)  # clean each distinct code once
    clean = np.append(pd.Series(uniques, dtype=object).astype(str).str.strip().to_numpy(dtype=object), "")
    codes = pd.Series(clean[labels], index=table.index, dtype=object)
    for row in rows[(codes == "").to_numpy()]:
        issues.append(_cell(row, "uCode", "the unit code is blank", "blank_code"))
    if region_codes is not None:
        bad = (codes != "") & ~codes.isin(region_codes)
        for row, code in zip(rows[bad], codes[bad], strict=True):
            issues.append(
                _cell(
                    row,
                    "uCode",
                    "region code {value} is not a GB/T 2260 division code",
                    "unknown_region",
                    value=code,
                )
            )
    if "Time" in table.columns:
        times_raw = pd.to_numeric(table["Time"], errors="coerce")
        bad = times_raw.isna() | (times_raw % 1 != 0)
        for row, raw in zip(rows[bad], table["Time"][bad], strict=True):
            issues.append(
                _cell(row, "Time", "the year must be an integer (got '{raw}')", "not_numeric", raw=str(raw))
            )
        times = times_raw.fillna(0).astype(int).to_numpy()
    else:
        times = np.zeros(len(table), dtype=int)
    numeric_columns = list(framework.indicators) + [c for c in framework.denominators if c in table.columns]
    numbers = {}
    for column in numeric_columns:
        numbers[column], bad, infinite = _to_numbers(table[column])
        for row, raw in zip(rows[bad], table[column][bad], strict=True):
            issues.append(_cell(row, column, "must be a number (got '{raw}')", "not_numeric", raw=str(raw)))
        for row, raw in zip(rows[infinite], table[column][infinite], strict=True):
            issues.append(
                _cell(row, column, "must be a finite number (got '{raw}')", "not_finite", raw=str(raw))
            )
    keys = pd.DataFrame({"code": codes.to_numpy(), "time": times})
    duplicated = (keys.duplicated(keep="first") & (keys["code"] != "")).to_numpy()
    for row, code, time in zip(
        rows[duplicated], keys["code"][duplicated], keys["time"][duplicated], strict=True
    ):
        if "Time" in table.columns:
            issues.append(
                _cell(
                    row,
                    "uCode",
                    "unit {unit} appears twice in {year}",
                    "duplicate",
                    unit=code,
                    year=int(time),
                )
            )
        else:
            issues.append(_cell(row, "uCode", "unit {unit} appears twice", "duplicate", unit=code))
    raise_issues(issues, DataError, "the indicator data are invalid")

    units = tuple(dict.fromkeys(codes))
    years = tuple(sorted(set(times.tolist())))
    u_index = pd.Index(units).get_indexer(codes)
    t_index = pd.Index(years).get_indexer(times)
    shape = (len(years), len(units))
    values = np.full((*shape, len(framework.indicators)), np.nan)
    for j, code in enumerate(framework.indicators):  # column by column: no (rows × indicators) temporary
        values[t_index, u_index, j] = numbers[code]
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


def _to_numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, not a number, infinite): an infinite cell is refused, never used as a number."""
    if pd.api.types.is_numeric_dtype(series):
        values = series.to_numpy(dtype=float)
        return values, np.zeros(len(series), dtype=bool), np.isinf(values)
    text = series.map(lambda v: v.strip() if isinstance(v, str) else v)
    blank = text.isna() | (text == "")
    converted = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = (converted.isna() & ~blank).to_numpy()
    values = converted.to_numpy(dtype=float)
    return values, bad, np.isinf(values)


def _cell(row: int, column: str, template: str, code: str, **params) -> Issue:
    return Issue(template, row=int(row), column=column, code=code, params=params)
