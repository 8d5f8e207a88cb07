"""Reading the long matrix file ``region,segment,value[,year]`` with the line of every bad cell.

The file is checked whole before anything is computed: a bad cell is reported with its line number in the
file (header = line 1) and its column, so that an operator can fix it in a spreadsheet. Values may be
rounded to float32 first (``float32=True``, ``single_precision``) to reproduce results computed by tools that
store values in single precision, such as Stata (whose default numeric type ``float`` is float32) and so
the Growth Lab's ground truth.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import SpecialisationError
from .matrix import matrix_from_long

REQUIRED = ("region", "segment", "value")
MIN_YEAR, MAX_YEAR = 1000, 9999


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecialisationError("文件不是 UTF-8 编码的 CSV") from exc
    except OSError as exc:
        raise SpecialisationError(f"无法读取文件“{Path(path).name}”") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SpecialisationError("文件为空") from None
    except csv.Error as exc:
        raise SpecialisationError("CSV 格式有误", line=1) from exc
    rows = []
    try:
        for record in reader:
            # a blank line is skipped, as a spreadsheet would; line_num is where the record ends
            if len(record) > 1 or (record and record[0].strip()):
                rows.append((reader.line_num, record))
    except csv.Error as exc:
        raise SpecialisationError("CSV 格式有误", line=reader.line_num) from exc
    return header, rows


def _number(text: str, line: int, column: str) -> float:
    text = text.strip()
    if not text:
        raise SpecialisationError("缺少数值", line=line, column=column)
    try:
        number = float(text)
    except ValueError:
        raise SpecialisationError(f"“{text[:40]}”不是数字", line=line, column=column) from None
    if not math.isfinite(number):
        raise SpecialisationError(f"“{text[:40]}”不是有限数", line=line, column=column)
    return number


def read_long(path: Path | str) -> pd.DataFrame:
    """The file as a long table (``region``, ``segment``, ``value`` and ``year`` if present), every cell checked.

    Refused with the line and column: an empty region or segment, a value that is missing, not a number or
    negative, a year that is not a whole number. A missing required column is refused with the header line.
    """
    header, rows = _rows(Path(path))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SpecialisationError(
            f"缺少列：{'、'.join(missing)}（需要 region、segment、value，可选 year）", line=1
        )
    repeated = sorted({h for h in header if header.count(h) > 1 and h in (*REQUIRED, "year")})
    if repeated:
        raise SpecialisationError(f"列重复：{'、'.join(repeated)}", line=1)
    if not rows:
        raise SpecialisationError("文件中没有数据行")
    at = {name: header.index(name) for name in (*REQUIRED, "year") if name in header}
    lines = np.fromiter((line for line, _ in rows), dtype=np.int64, count=len(rows))
    cells = {
        name: pd.Series([record[i].strip() if i < len(record) else "" for _, record in rows], dtype=object)
        for name, i in at.items()
    }
    for name in ("region", "segment"):
        empty = (cells[name] == "").to_numpy()
        if empty.any():
            raise SpecialisationError("不能为空", line=int(lines[empty.argmax()]), column=name)
    columns = {"region": cells["region"].to_numpy(), "segment": cells["segment"].to_numpy()}
    columns["value"] = _numbers(cells["value"], lines, "value")
    if (negative := columns["value"] < 0).any():
        at_fault = int(negative.argmax())
        text = cells["value"].iloc[at_fault]
        raise SpecialisationError(
            f"数值为负（{text}）；数值不能为负", line=int(lines[at_fault]), column="value"
        )
    if "year" in at:
        years = _numbers(cells["year"], lines, "year")
        if (fractional := years != np.floor(years)).any():
            at_fault = int(fractional.argmax())
            text = cells["year"].iloc[at_fault]
            raise SpecialisationError(f"年份“{text}”不是整数", line=int(lines[at_fault]), column="year")
        if (outside := (years < MIN_YEAR) | (years > MAX_YEAR)).any():
            at_fault = int(outside.argmax())
            text = cells["year"].iloc[at_fault]
            raise SpecialisationError(
                f"年份“{text}”不在 {MIN_YEAR}—{MAX_YEAR} 之间", line=int(lines[at_fault]), column="year"
            )
        columns["year"] = years.astype(np.int64)
    return pd.DataFrame(columns)


def _numbers(texts: pd.Series, lines: np.ndarray, column: str) -> np.ndarray:
    """The column as float64, or the message of its first bad cell (the same words as ``_number``)."""
    numbers = pd.to_numeric(texts, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(numbers)
    if bad.any():
        at_fault = int(bad.argmax())
        _number(texts.iloc[at_fault], int(lines[at_fault]), column)
        raise SpecialisationError(
            f"“{texts.iloc[at_fault][:40]}”不是数字", line=int(lines[at_fault]), column=column
        )
    return numbers


def single_precision(values: np.ndarray) -> np.ndarray:
    """Values rounded to float32 and back, as Stata stores a variable of its default type ``float``."""
    with np.errstate(over="ignore"):
        rounded = values.astype(np.float32).astype(np.float64)
    if not np.isfinite(rounded).all():
        raise SpecialisationError("数值超出单精度浮点数的范围；请换用更大的单位，或按双精度读取")
    return rounded


def matrices_by_year(
    frame: pd.DataFrame, *, year: int | None = None, float32: bool = False
) -> dict[int | None, pd.DataFrame]:
    """One region × segment matrix per year (key ``None`` without a year column), or only ``year``'s."""
    if float32:
        frame = frame.assign(value=single_precision(frame["value"].to_numpy(np.float64)))
    if "year" not in frame.columns:
        if year is not None:
            raise SpecialisationError(f"文件没有 year 列，无法选取 {year} 年")
        return {None: matrix_from_long(frame)}
    years = sorted(frame["year"].unique().tolist())
    if year is not None:
        if year not in years:
            raise SpecialisationError(f"文件中没有 {year} 年的数据（有：{'、'.join(map(str, years))}）")
        years = [year]
    return {y: matrix_from_long(frame[frame["year"] == y]) for y in years}
