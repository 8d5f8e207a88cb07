"""`xietong sharing simulate`: what-if apportionment on files, without the database.

rules.json (see `xietong.apportion.rules`), revenue.csv (``enterprise,origin,revenue_type,period,amount_fen``)
→ shares.csv (``enterprise,revenue_type,period,party,amount_fen,part``). Read and written with pyarrow's
columnar CSV, so millions of records take seconds. The output is written to a temporary file beside the
target and renamed only when everything succeeded: a refused input leaves no output file.
"""

from __future__ import annotations

import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
from pyarrow import csv as pacsv

from xietong import apportion
from xietong.sharing.rule_messages import error_zh

REVENUE_COLUMNS = ("enterprise", "origin", "revenue_type", "period", "amount_fen")
SHARE_COLUMNS = ("enterprise", "revenue_type", "period", "party", "amount_fen", "part")


class SimulateError(Exception):
    """A refused input, with its 中文 message."""


def read_rules(path: Path) -> apportion.RuleSet:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SimulateError(f"找不到规则文件：{path}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SimulateError(f"规则文件不是有效的 UTF-8 JSON：{exc}") from exc
    try:
        return apportion.parse_rules(data)
    except apportion.ApportionError as exc:
        raise SimulateError(error_zh(exc)) from exc


def read_revenue(path: Path) -> apportion.RevenueTable:
    # text columns read straight into dictionaries (a few thousand distinct values among millions of rows)
    types = {name: pa.dictionary(pa.int32(), pa.string()) for name in REVENUE_COLUMNS[:4]} | {
        "amount_fen": pa.int64()
    }
    try:
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=types, include_columns=list(REVENUE_COLUMNS), strings_can_be_null=False
            ),
        )
    except FileNotFoundError as exc:
        raise SimulateError(f"找不到收入文件：{path}") from exc
    except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
        raise SimulateError(_arrow_message(str(exc))) from exc
    if table.column("amount_fen").null_count:
        raise SimulateError("revenue.csv 的 amount_fen 列有空值：每行都要有金额（整数分）")
    columns = {}
    for name in REVENUE_COLUMNS[:4]:
        encoded = _one_dictionary(table.column(name))
        columns[name] = (
            encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
            np.asarray(encoded.dictionary.to_pylist(), dtype=object),
        )
    amount = table.column("amount_fen").to_numpy()
    if len(amount) and np.abs(amount).max() > 10**15:
        raise SimulateError("revenue.csv 中有金额超出允许范围（绝对值不超过 10 万亿元）")
    return apportion.RevenueTable(
        enterprise=columns["enterprise"][0],
        origin=columns["origin"][0],
        revenue_type=columns["revenue_type"][0],
        period=columns["period"][0],
        amount_fen=amount.astype(np.int64),
        enterprise_names=columns["enterprise"][1],
        origin_names=columns["origin"][1],
        type_names=columns["revenue_type"][1],
        period_names=columns["period"][1],
    )


def _one_dictionary(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """One dictionary for the column (the reader gives each chunk its own)."""
    column = column.unify_dictionaries() if column.num_chunks > 1 else column
    return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)


def _arrow_message(text: str) -> str:
    if "not found" in text or ("Column" in text and "not" in text):
        return "revenue.csv 表头应为 enterprise,origin,revenue_type,period,amount_fen"
    if "conversion error" in text.lower() or "invalid value" in text.lower() or "In CSV column" in text:
        return f"revenue.csv 中有不是整数分的金额：{text.splitlines()[0]}"
    return f"revenue.csv 无法读取：{text.splitlines()[0]}"


def write_shares(result: apportion.Apportionment, path: Path) -> int:
    """Write shares.csv atomically (temporary file, then rename); returns the number of rows.

    The rows are formatted in slices by pyarrow's writer (C++, outside the GIL) on a second thread while the
    previous slice is written out, so formatting and writing overlap and at most two slices are in memory."""
    cols = result.long_columns_encoded()
    total = len(cols["amount_fen"])
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".shares-", suffix=".csv", dir=path.parent)
    os.close(handle)
    try:
        with open(temporary, "wb") as sink:
            sink.write((",".join(SHARE_COLUMNS) + "\n").encode())
            quoting = "none" if _plain(cols) else "needed"
            with ThreadPoolExecutor(max_workers=1) as pool:
                pending = None
                for start in range(0, max(total, 1), _SLICE):
                    job = pool.submit(_format, cols, start, min(start + _SLICE, total), quoting)
                    if pending is not None:
                        sink.write(pending.result())
                    pending = job
                if pending is not None:
                    sink.write(pending.result())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return total


_SLICE = 1_000_000


def _plain(cols) -> bool:
    """No value needs quoting (no comma, quote or line break in any name)."""
    for value in cols.values():
        if isinstance(value, tuple) and any(any(ch in str(v) for ch in ',"\r\n') for v in value[1]):
            return False
    return True


def _format(cols, start: int, stop: int, quoting: str) -> bytes:
    arrays = {}
    for name in SHARE_COLUMNS:
        value = cols[name]
        if isinstance(value, tuple):
            codes, names = value
            arrays[name] = pa.array(names, type=pa.string()).take(
                pa.array(codes[start:stop].astype(np.int32))
            )
        else:
            arrays[name] = pa.array(value[start:stop], type=pa.int64())
    sink = pa.BufferOutputStream()
    pacsv.write_csv(
        pa.table(arrays), sink, write_options=pacsv.WriteOptions(include_header=False, quoting_style=quoting)
    )
    return sink.getvalue().to_pybytes()


def simulate(*, rules: Path, revenue: Path, out: Path) -> int:
    """Run the whole what-if; raises SimulateError (nothing written) or returns the rows written."""
    rule_set = read_rules(rules)
    table = read_revenue(revenue)
    try:
        result = apportion.apportion(table, rule_set)
    except apportion.ApportionError as exc:
        raise SimulateError(error_zh(exc)) from exc
    return write_shares(result, out)
