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
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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
            # int32 codes, as Arrow holds them: no copy (the engine widens where it does arithmetic)
            encoded.indices.to_numpy(zero_copy_only=False),
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

    Streamed by slices of records: each slice's long form (2–3 rows per record) is built and formatted by
    pyarrow's CSV writer (C++, outside the GIL) on a small pool of threads while earlier slices are written out
    in order, so no column of all the rows ever exists and at most a few slices are in memory."""
    names = {
        "enterprise": result.table.enterprise_names,
        "revenue_type": result.table.type_names,
        "period": result.table.period_names,
        "party": result.parties,
        "part": apportion.PARTS,
    }
    dictionaries = {
        name: pa.array([str(v) for v in values], type=pa.string()) for name, values in names.items()
    }
    # one batch per slice: the writer's per-batch overhead is paid once (measured: −15 % CPU against 1,024-row batches)
    options = pacsv.WriteOptions(
        include_header=False, quoting_style="none" if _plain(names) else "needed", batch_size=1 << 19
    )
    records = len(result.stock)
    total = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".shares-", suffix=".csv", dir=path.parent)
    os.close(handle)
    try:
        with open(temporary, "wb") as sink, ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            sink.write((",".join(SHARE_COLUMNS) + "\n").encode())
            pending: deque = deque()
            for start in range(0, records, _RECORDS):
                pending.append(pool.submit(_format, result, dictionaries, options, start, start + _RECORDS))
                if len(pending) > _WORKERS:
                    total += _drain(pending.popleft(), sink)
            while pending:
                total += _drain(pending.popleft(), sink)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return total


# Records per slice (2–3 output rows each): small enough that the slices' arrays are reused rather than
# faulted in afresh, large enough that numpy and pyarrow work on whole columns.
_RECORDS = 1 << 17
# Formatting threads: both cores on an idle machine; on a loaded one, slices keep flowing while one waits.
_WORKERS = max(2, os.cpu_count() or 1)


def _drain(job, sink) -> int:
    rows, buffer = job.result()
    sink.write(buffer)
    return rows


def _plain(names: dict) -> bool:
    """No value needs quoting (no comma, quote or line break in any name)."""
    return not any(any(ch in str(v) for ch in ',"\r\n') for values in names.values() for v in values)


def _format(result: apportion.Apportionment, dictionaries: dict, options, start: int, stop: int):
    """The CSV text of records [start, stop): (rows, a pyarrow buffer)."""
    cols = result.long_columns_encoded(start, stop)
    arrays = {}
    for name in SHARE_COLUMNS:
        value = cols[name]
        if isinstance(value, tuple):
            arrays[name] = dictionaries[name].take(pa.array(value[0].astype(np.int32, copy=False)))
        else:
            arrays[name] = pa.array(value, type=pa.int64())
    sink = pa.BufferOutputStream()
    pacsv.write_csv(pa.table(arrays), sink, write_options=options)
    return len(cols["amount_fen"]), sink.getvalue()


def simulate(*, rules: Path, revenue: Path, out: Path) -> int:
    """Run the whole what-if; raises SimulateError (nothing written) or returns the rows written."""
    rule_set = read_rules(rules)
    with _ordinary_pages():
        table = read_revenue(revenue)
        try:
            result = apportion.apportion(table, rule_set)
        except apportion.ApportionError as exc:
            raise SimulateError(error_zh(exc)) from exc
        return write_shares(result, out)


@contextmanager
def _ordinary_pages():
    """numpy asks the kernel for transparent huge pages for every large array; on a busy machine each such
    fault can stall on memory compaction (measured: half the CPU time of a 4.8 M-record run was system time).
    The simulator's arrays are short-lived, so it uses ordinary pages while it runs."""
    setter = getattr(getattr(getattr(np, "_core", None), "multiarray", None), "_set_madvise_hugepage", None)
    previous = setter(False) if setter is not None else None
    try:
        yield
    finally:
        if setter is not None:
            setter(previous)
