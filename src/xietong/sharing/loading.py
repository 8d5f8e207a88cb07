"""Revenue records into the engine's arrays, set-based: PostgreSQL streams them with COPY, SQLite through
one values_list; either way one query, no model instances (millions of records are settled at once)."""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
from django.db import connection
from pyarrow import csv as pacsv

from xietong import apportion
from xietong.sharing.models import ParkEnterprise, RevenueRecord

_COLUMNS = ("enterprise_id", "revenue_type", "period", "amount_fen")


def load_records(
    *,
    agreement_id: int,
    start: str,
    end: str,
    types: list[str] | None = None,
    enterprise_id: int | None = None,
) -> apportion.RevenueTable:
    """Current records of the agreement with start ≤ period ≤ end (optionally of some types or one
    enterprise), with each enterprise's origin; enterprises are named by their id."""
    qs = RevenueRecord.objects.filter(  # tenancy-ok: called by services after the agreement passed its policy
        agreement_id=agreement_id, is_current=True, period__gte=start, period__lte=end
    )
    if types is not None:
        qs = qs.filter(revenue_type__in=types)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    if connection.vendor == "postgresql" and enterprise_id is None:
        arrays = _copy(qs)
    else:
        rows = list(qs.values_list(*_COLUMNS))
        arrays = pa.table(
            {
                name: pa.array([r[i] for r in rows], type=pa.int64() if i in (0, 3) else pa.string())
                for i, name in enumerate(_COLUMNS)
            }
        )
    origins = dict(
        ParkEnterprise.objects.filter(agreement_id=agreement_id).values_list(
            "pk", "origin_id"
        )  # tenancy-ok: as above
    )
    return _table(arrays, origins)


def _copy(qs) -> pa.Table:
    sql, params = qs.values_list(*_COLUMNS).query.sql_with_params()
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        statement = raw.mogrify(sql, params)
        with raw.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
            for chunk in copy:
                buffer.write(chunk)
    buffer.seek(0)
    types = {
        "enterprise_id": pa.int64(),
        "revenue_type": pa.string(),
        "period": pa.string(),
        "amount_fen": pa.int64(),
    }
    return pacsv.read_csv(
        buffer,
        read_options=pacsv.ReadOptions(column_names=list(_COLUMNS)),
        convert_options=pacsv.ConvertOptions(column_types=types),
    )


def _encode(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    encoded = column.combine_chunks().dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), np.asarray(
        encoded.dictionary.to_pylist(), dtype=object
    )


def _table(arrays: pa.Table, origins: dict[int, str]) -> apportion.RevenueTable:
    enterprise_ids = arrays.column("enterprise_id").to_numpy()
    unique_ids, enterprise = np.unique(enterprise_ids, return_inverse=True)
    origin_codes = sorted(set(origins.values())) or [""]
    origin_index = {code: i for i, code in enumerate(origin_codes)}
    origin_of_enterprise = np.array([origin_index[origins[int(e)]] for e in unique_ids], dtype=np.int64)
    types, type_names = _encode(arrays.column("revenue_type"))
    periods, period_names = _encode(arrays.column("period"))
    return apportion.RevenueTable(
        enterprise=enterprise.astype(np.int64),
        origin=origin_of_enterprise[enterprise] if len(enterprise) else np.zeros(0, dtype=np.int64),
        revenue_type=types,
        period=periods,
        amount_fen=arrays.column("amount_fen").to_numpy().astype(np.int64),
        enterprise_names=np.asarray([str(int(e)) for e in unique_ids], dtype=object),
        origin_names=np.asarray(origin_codes, dtype=object),
        type_names=type_names,
        period_names=period_names,
    )
