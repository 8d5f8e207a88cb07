"""How the stored `xietong sharing simulate` cases were made (seeded, so re-running gives the same inputs).

    python tests/sharing/simulate_cases/make_cases.py tests/sharing/simulate_cases

The SHA-256 of each case's shares.csv in tests/sharing/test_simulate_output.py was taken from the simulator as it
was before the streamed writer (commit deb3126), so the test proves the output stayed byte-identical."""

import csv
import json
import random
import sys
from pathlib import Path

out = Path(sys.argv[1])
rng = random.Random(17)


def write(name, rules, rows):
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "rules.json").write_text(json.dumps(rules, ensure_ascii=False, indent=1), encoding="utf-8")
    with (d / "revenue.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["enterprise", "origin", "revenue_type", "period", "amount_fen"])
        w.writerows(rows)


# case 1: two parties, stock_increment (base period and fixed baselines) + proportional, refunds, duplicates,
# several years, shuffled rows
ents = [f"企业{i:03d}" for i in range(40)]
origin = {e: ("510000" if i % 3 else "500000") for i, e in enumerate(ents)}
periods = ["2024"] + [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02"]
rows = []
for e in ents:
    for t in ("增值税", "企业所得税", "个人所得税", "土地出让收入"):
        for p in periods:
            if rng.random() < 0.15:
                continue
            a = rng.choice([0, 1, 2, 3, -1, rng.randint(-50_000, 5_000_000), rng.randint(0, 10**9)])
            rows.append([e, origin[e], t, p, a])
            if rng.random() < 0.05:
                rows.append([e, origin[e], t, p, rng.randint(-1000, 1000)])
rng.shuffle(rows)
rules = {
    "parties": ["510000", "500000"],
    "baselines": {e: {"企业所得税": rng.randint(0, 3_000_000)} for e in ents[::2]},
    "rules": [
        {
            "revenue_type": "增值税",
            "method": "stock_increment",
            "ratios": {"510000": 50, "500000": 50},
            "base_period": "2024",
        },
        {
            "revenue_type": "企业所得税",
            "method": "stock_increment",
            "ratios": {"500000": 1, "510000": 1},
            "base_period": "2024",
        },
        {"revenue_type": "*", "method": "proportional", "ratios": {"510000": 60, "500000": 40}},
    ],
}
write("two_parties", rules, rows)
# case 2: three parties, odd weights, a relocation rule, names that need quoting (comma, quote)
ents = ["甲,公司", '乙"公司"', "丙公司", "丁公司", "戊公司"] + [f"e{i}" for i in range(30)]
origin = {e: rng.choice(["110000", "120000", "130000"]) for e in ents}
origin["丙公司"] = "110000"
rows = []
for e in ents:
    for t in ("增值税", "企业所得税", "营业税", "地区生产总值"):
        for y in (2015, 2016, 2017, 2018, 2019, 2020, 2021):
            for m in (1, 4, 7, 10):
                if rng.random() < 0.3:
                    continue
                rows.append(
                    [e, origin[e], t, f"{y}-{m:02d}", rng.choice([1, 2, -3, rng.randint(-(10**6), 10**8)])]
                )
rng.shuffle(rows)
rules = {
    "parties": ["110000", "120000", "130000"],
    "relocations": {"丙公司": {"start": "2016-01", "cap_fen": 150_000_000}},
    "rules": [
        {
            "revenue_type": "营业税",
            "method": "relocation",
            "ratios": {"110000": 1, "130000": 1},
            "host": "130000",
        },
        {"revenue_type": "*", "method": "proportional", "ratios": {"110000": 40, "120000": 35, "130000": 25}},
    ],
}
# relocation applies only to 丙公司's 营业税: keep other enterprises' 营业税 out
rows = [r for r in rows if r[2] != "营业税" or r[0] == "丙公司"]
write("three_parties_quoted", rules, rows)
