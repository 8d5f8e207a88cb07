"""`xietong sharing simulate` writes exactly the same bytes as before the streamed writer.

Two stored cases (tests/sharing/simulate_cases: refunds, duplicate records, several years, base-period and
fixed baselines, a relocation rule, names that need quoting) against the SHA-256 of the output of the simulator
at commit deb3126 (one write of the whole long form); and, for random inputs, the streamed writer cut into
slices of a few records against that one-write rendering built here from `Apportionment.rows()`."""

import hashlib
import io
from pathlib import Path
from unittest import mock

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyarrow import csv as pacsv

from xietong import apportion
from xietong.sharing import simulate

CASES = Path(__file__).parent / "simulate_cases"
# sha256 and size of shares.csv as written by the simulator at commit deb3126
EXPECTED = {
    "two_parties": ("30a9d31a4c0a146ec65e17358bd8412aa3069b05bb77edf3bcb0701b2a84ceef", 259_852),
    "three_parties_quoted": ("84250699a4ff3070c3c82536bd555a573d8f9951a93371df6a71ef046848ec7a", 336_628),
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
@pytest.mark.parametrize("records_per_slice", [1 << 17, 7])
def test_stored_cases_are_byte_identical_to_the_previous_writer(tmp_path, case, records_per_slice):
    # given
    out = tmp_path / "shares.csv"
    # when: one slice, or slices of 7 records (output rows placed by many threads, written in order)
    with mock.patch.object(simulate, "_RECORDS", records_per_slice):
        rows = simulate.simulate(
            rules=CASES / case / "rules.json", revenue=CASES / case / "revenue.csv", out=out
        )
    # then
    data = out.read_bytes()
    assert (hashlib.sha256(data).hexdigest(), len(data)) == EXPECTED[case]
    assert rows == data.count(b"\n") - 1


def _one_write(result: apportion.Apportionment) -> bytes:
    """The whole long form in one pyarrow write, from the row-by-row generator (the previous writer's output)."""
    rows = list(result.rows())
    columns = {
        name: pa.array(
            [getattr(r, name) for r in rows], type=pa.int64() if name == "amount_fen" else pa.string()
        )
        for name in simulate.SHARE_COLUMNS
    }
    text = [
        str(v)
        for name in ("enterprise", "revenue_type", "period", "party", "part")
        for v in columns[name].to_pylist()
    ]
    plain = not any(ch in value for value in text for ch in ',"\r\n')
    sink = io.BytesIO()
    sink.write((",".join(simulate.SHARE_COLUMNS) + "\n").encode())
    if rows:
        buffer = pa.BufferOutputStream()
        options = pacsv.WriteOptions(include_header=False, quoting_style="none" if plain else "needed")
        pacsv.write_csv(pa.table(columns), buffer, write_options=options)
        sink.write(buffer.getvalue().to_pybytes())
    return sink.getvalue()


NAMES = st.sampled_from(["甲", "乙公司", "c,d", 'e"f', "g"])
RECORDS = st.lists(
    st.tuples(
        NAMES,
        st.sampled_from(["增值税", "企业所得税", "土地出让收入"]),
        st.sampled_from(["2024", "2025-01", "2025-02", "2025-12", "2026-01"]),
        st.integers(min_value=-(10**9), max_value=10**12),
    ),
    max_size=60,
)


@settings(max_examples=40, deadline=None)
@given(
    RECORDS,
    st.sampled_from(["proportional", "stock_increment"]),
    st.lists(st.integers(0, 9), min_size=3, max_size=3).filter(any),
    st.integers(1, 9),
)
def test_streamed_writer_equals_one_write_of_the_whole_long_form(
    tmp_path_factory, records, method, w, per_slice
):
    # given
    rules = apportion.parse_rules(
        {
            "parties": ["A", "B", "C"],
            "rules": [
                {
                    "revenue_type": "*",
                    "method": method,
                    "ratios": dict(zip("BCA", w, strict=True)),
                    "base_period": "2024",
                }
            ],
        }
    )
    origin = {"甲": "A", "乙公司": "B", "c,d": "C", 'e"f': "A", "g": "B"}
    columns = list(zip(*records, strict=True)) or [[], [], [], []]
    table = apportion.RevenueTable.from_columns(
        enterprise=columns[0],
        origin=[origin[e] for e in columns[0]],
        revenue_type=columns[1],
        period=columns[2],
        amount_fen=columns[3],
    )
    result = apportion.apportion(table, rules)
    out = tmp_path_factory.mktemp("out") / "shares.csv"
    # when
    with mock.patch.object(simulate, "_RECORDS", per_slice):
        written = simulate.write_shares(result, out)
    # then
    assert out.read_bytes() == _one_write(result)
    assert written == len(list(result.rows()))
