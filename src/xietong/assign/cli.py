"""`xietong assign`: one review round from CSV files, for operators and scripts, without the web app.

    xietong assign --affinity A.csv --k 3 --cap 6 [--conflicts C.csv] [--regions R.csv
        --min-other-region 1] [--max-same-region M] [--mode optimal|fair|random|randomized
        --max-prob Q --seed N] --out out.csv

A.csv has `item,expert,affinity` (a missing pair is not eligible), C.csv `item,expert`, R.csv `id,region`
(items and experts alike); out.csv gets `item,expert,affinity`. The ids of the round are those of A.csv,
so an id in C.csv or R.csv that A.csv does not have is a mistake, not a new person.

Exit codes: 0 the round is staffed and out.csv written; 2 nothing written, because the input is wrong
(a Chinese message says where) or some items cannot be staffed (each listed with the rule that blocks
it); 1 the fair mode ran out of `--time-limit`. The out file is written to a temporary name beside it and
renamed, so a failed run never leaves a partial file.

It lives in the engine package (typer and pandas only, nothing else of xietong), and the root CLI
registers it as an engine command.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import typer

from xietong.assign.errors import InvalidInstance
from xietong.assign.instance import Instance
from xietong.assign.solve import MODES, Result, solve

__all__ = ["COMMANDS", "assign"]

# Column names, with the Chinese headings an operator's own sheet may use.
_ALIASES = {
    "评审对象": "item",
    "项目": "item",
    "专家": "expert",
    "匹配度": "affinity",
    "编号": "id",
    "地域": "region",
    "地区": "region",
}
_SHOWN_ROWS = 5


class _Bad(Exception):
    """A mistake in the command line or a file: printed, exit code 2."""


def assign(
    affinity: str = typer.Option(None, "--affinity", help="匹配度文件 CSV：item,expert,affinity"),
    k: str = typer.Option(None, "--k", help="每项所需专家数"),
    cap: str = typer.Option(None, "--cap", help="每位专家最多评审的项数"),
    out: str = typer.Option(None, "--out", help="结果文件 CSV：item,expert,affinity"),
    conflicts: str = typer.Option(None, "--conflicts", help="回避文件 CSV：item,expert"),
    regions: str = typer.Option(None, "--regions", help="地域文件 CSV：id,region（评审对象与专家）"),
    min_other_region: str = typer.Option(None, "--min-other-region", help="每项至少几位外地专家"),
    max_same_region: str = typer.Option(None, "--max-same-region", help="每项至多几位本地专家"),
    mode: str = typer.Option("optimal", "--mode", help="optimal | fair | random | randomized"),
    max_prob: str = typer.Option(None, "--max-prob", help="随机化优化：单对概率上限 q（0–1）"),
    seed: str = typer.Option(None, "--seed", help="随机种子（random / randomized）"),
    time_limit: str = typer.Option(None, "--time-limit", help="公平优先方式的时间上限（秒）"),
) -> None:
    """评审专家分配：按回避与地域规则，从匹配度文件求出每项的评审专家（最优、公平优先、随机、随机化优化）。"""
    try:
        instance, options, out_path = _prepare(
            affinity, k, cap, out, conflicts, regions, min_other_region, max_same_region, mode, max_prob, seed
        )
        limit = _number(time_limit, "--time-limit", float, minimum=0.0) if time_limit is not None else None
        result = solve(instance, options.pop("mode"), time_limit=limit, **options)
    except (_Bad, InvalidInstance) as error:
        typer.echo(f"错误：{error}", err=True)
        raise typer.Exit(code=2) from None
    except TimeoutError as error:
        typer.echo(f"错误：{error}，请放宽 --time-limit 或改用 optimal 方式", err=True)
        raise typer.Exit(code=1) from None
    if result.infeasible:
        typer.echo(f"以下 {len(result.infeasible)} 项无法配齐评审专家，未写出结果文件：", err=True)
        for item, reason in result.infeasible.items():
            typer.echo(f"  {item}：{reason}", err=True)
        raise typer.Exit(code=2)
    _write(result, out_path)
    _report(result, out_path)


COMMANDS = {"assign": assign}


def _prepare(affinity, k, cap, out, conflicts, regions, min_other, max_same, mode, max_prob, seed):
    for value, flag in ((affinity, "--affinity"), (k, "--k"), (cap, "--cap"), (out, "--out")):
        if value is None:
            raise _Bad(f"缺少必填参数 {flag}")
    if mode not in MODES:
        raise _Bad(f"未知的分配方式“{mode}”，可选：{'、'.join(MODES)}")
    if mode == "randomized" and max_prob is None:
        raise _Bad("随机化优化方式（randomized）需要 --max-prob")
    if mode != "randomized" and max_prob is not None:
        raise _Bad("--max-prob 只用于随机化优化方式（--mode randomized）")
    if (min_other is not None or max_same is not None) and regions is None:
        raise _Bad("地域规则（--min-other-region / --max-same-region）需要 --regions 地域文件")
    out_path = Path(out)
    if not out_path.parent.is_dir():
        raise _Bad(f"结果文件所在的目录不存在：{out_path.parent}")
    frame = _read(affinity, ("item", "expert", "affinity"))
    values = pd.to_numeric(frame["affinity"].str.strip(), errors="coerce")
    bad = values.isna() | ~np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
    if bad.any():
        rows = [f"第 {i + 2} 行“{frame['affinity'].iloc[i]}”" for i in np.flatnonzero(bad)[:_SHOWN_ROWS]]
        raise _Bad(f"{Path(affinity).name} 中的匹配度必须是数字：{'、'.join(rows)}")
    items = list(pd.unique(frame["item"]))
    experts = list(pd.unique(frame["expert"]))
    rules: dict = {
        "k": _number(k, "--k", int, minimum=1),
        "cap": _number(cap, "--cap", int, minimum=1),
    }
    if conflicts is not None:
        table = _read(conflicts, ("item", "expert"))
        rules["conflicts"] = list(zip(table["item"], table["expert"], strict=True))
    if regions is not None:
        table = _read(regions, ("id", "region"))
        region = dict(zip(table["id"], table["region"], strict=True))
        known = set(items) | set(experts)
        if unknown := [i for i in region if i not in known]:
            raise _Bad(f"{Path(regions).name} 中有匹配度文件里没有的编号：{'、'.join(unknown[:_SHOWN_ROWS])}")
        rules["item_region"] = {i: region[i] for i in items if i in region}
        rules["expert_region"] = {e: region[e] for e in experts if e in region}
        rules["min_other_region"] = (
            _number(min_other, "--min-other-region", int, minimum=0) if min_other else 0
        )
        if max_same is not None:
            rules["max_same_region"] = _number(max_same, "--max-same-region", int, minimum=0)
        if not rules["min_other_region"] and max_same is None:
            raise _Bad("给出了 --regions，但没有地域规则（--min-other-region 或 --max-same-region）")
    options = {"mode": mode}
    if max_prob is not None:
        options["max_prob"] = _number(max_prob, "--max-prob", float, minimum=0.0)
    if seed is not None:
        options["seed"] = _number(seed, "--seed", int, minimum=0)
    instance = Instance.from_arrays(
        items, experts, frame["item"].to_numpy(), frame["expert"].to_numpy(), values.to_numpy(float), **rules
    )
    return instance, options, out_path


def _read(path: str, columns: tuple[str, ...]) -> pd.DataFrame:
    name = Path(path).name
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True
        )
    except FileNotFoundError:
        raise _Bad(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise _Bad(f"不是文件：{path}") from None
    except pd.errors.EmptyDataError:
        raise _Bad(f"{name} 是空文件，需要表头：{','.join(columns)}") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise _Bad(f"{name} 不是可读的 UTF-8 CSV 文件（{type(error).__name__}）") from None
    frame.columns = [_ALIASES.get(str(c).strip(), str(c).strip().lower()) for c in frame.columns]
    if missing := [c for c in columns if c not in frame.columns]:
        raise _Bad(f"{name} 缺少列：{'、'.join(missing)}（需要 {','.join(columns)}）")
    frame = frame[list(columns)].apply(lambda column: column.str.strip())
    for column in columns[:2]:
        if (empty := np.flatnonzero(frame[column] == "")).size:
            rows = "、".join(str(i + 2) for i in empty[:_SHOWN_ROWS])
            raise _Bad(f"{name} 第 {rows} 行的 {column} 为空")
    return frame


def _number(text: str, flag: str, kind: type, *, minimum: float):
    noun = "整数" if kind is int else "数字"
    try:
        value = kind(str(text).strip())
    except ValueError:
        raise _Bad(f"{flag} 必须是{noun}，收到“{text}”") from None
    if kind is float and not np.isfinite(value):
        raise _Bad(f"{flag} 必须是有限的数字，收到“{text}”")
    if value < minimum or (flag in ("--k", "--cap") and value == 0):
        bound = "正整数" if minimum >= 1 else f"不小于 {minimum:g} 的{noun}"
        raise _Bad(f"{flag} 必须是{bound}，收到“{text}”")
    return value


def _write(result: Result, path: Path) -> None:
    handle = tempfile.NamedTemporaryFile(
        "w", newline="", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    )
    try:
        with handle:
            writer = csv.writer(handle)
            writer.writerow(("item", "expert", "affinity"))
            writer.writerows((item, expert, repr(value)) for item, expert, value in result.pairs)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _report(result: Result, path: Path) -> None:
    items = len({item for item, _, _ in result.pairs})
    typer.echo(f"总匹配度（objective）：{result.objective:.6f}")
    if result.min_item_affinity is not None:
        typer.echo(f"最弱一项的匹配度：{result.min_item_affinity:.6f}")
    if result.expected_objective is not None:
        typer.echo(
            f"期望总匹配度（线性规划最优值）：{result.expected_objective:.6f}，单对概率上限 {result.max_prob:g}"
        )
    if result.seed is not None:
        typer.echo(f"随机种子：{result.seed}")
    typer.echo(f"已为 {items} 项分配 {len(result.pairs)} 人次，写入 {path}")
