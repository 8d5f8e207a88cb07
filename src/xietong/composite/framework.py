"""The indicator framework: a tree of indicators → 二级 → 一级 → index, read from a COINr-style iMeta table.

Validation collects every problem before raising, so a user fixing a spreadsheet sees all the rows at
fault at once, each message naming the spreadsheet row and the column as it is headed in the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from .errors import FrameworkError, Issue, raise_issues

KINDS = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
KIND_ALIASES = {
    "指标": "Indicator",
    "汇总": "Aggregate",
    "聚合": "Aggregate",
    "分组": "Group",
    "分母": "Denominator",
}
# Chinese headers accepted beside COINr's English ones.
COLUMN_ALIASES = {
    "层级": "Level",
    "代码": "iCode",
    "指标代码": "iCode",
    "名称": "iName",
    "指标名称": "iName",
    "方向": "Direction",
    "权重": "Weight",
    "单位": "Unit",
    "目标值": "Target",
    "分母": "Denominator",
    "上级": "Parent",
    "类型": "Type",
}
HEADER_ROWS = 1  # a spreadsheet's data starts on row 2
# One template per column, so that an app's catalogue can word each in its own language.
NOT_A_NUMBER = {
    "Level": "level must be a number (got '{raw}')",
    "Direction": "direction must be a number (got '{raw}')",
    "Weight": "weight must be a number (got '{raw}')",
    "Target": "target must be a number (got '{raw}')",
}
NOT_FINITE = {
    "Level": "level must be a finite number (got '{raw}')",
    "Direction": "direction must be a finite number (got '{raw}')",
    "Weight": "weight must be a finite number (got '{raw}')",
    "Target": "target must be a finite number (got '{raw}')",
}


@dataclass(frozen=True)
class Node:
    """One row of the framework: an indicator, an aggregate, a group column or a denominator."""

    code: str
    kind: str = "Indicator"
    level: int | None = 1
    parent: str | None = None
    name: str = ""
    direction: int = 1
    weight: float = 1.0
    unit: str = ""
    target: float | None = None
    denominator: str | None = None


@dataclass(frozen=True)
class Framework:
    """A validated indicator tree.

    Build it with :meth:`from_table` (iMeta layout) or :meth:`from_nodes`; both validate. Levels count
    upwards as in COINr: 1 = indicators, the highest level is the index.

    Examples
    --------
    >>> fw = Framework.from_nodes([
    ...     Node("a", parent="P"), Node("b", parent="P", direction=-1),
    ...     Node("P", kind="Aggregate", level=2, parent="Index"), Node("Index", kind="Aggregate", level=3)])
    >>> fw.indicators, fw.aggregates, fw.root
    (('a', 'b'), ('P', 'Index'), 'Index')
    """

    nodes: tuple[Node, ...]

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_nodes(cls, nodes) -> Framework:
        framework = cls(nodes=tuple(nodes))
        framework.validate()
        return framework

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> Framework:
        """Read an iMeta table (English or Chinese headers); every bad cell is reported at once."""
        table = table.rename(columns=lambda c: str(c).strip())
        header = {COLUMN_ALIASES.get(c, c): c for c in table.columns}  # canonical -> as written
        issues: list[Issue] = []
        if "iCode" not in header:
            raise FrameworkError(
                "the framework table has no iCode column", code="missing_column", column="iCode"
            )
        nodes: list[Node] = []
        rows: dict[str, int] = {}
        for position, record in enumerate(table.to_dict("records")):
            row = position + HEADER_ROWS + 1
            node = _node_from_record(record, header, row, issues)
            if node is None:
                continue
            if node.code in rows:
                issues.append(
                    _issue(
                        row,
                        header["iCode"],
                        "code {node} repeats row {first}",
                        "duplicate",
                        node=node.code,
                        first=rows[node.code],
                    )
                )
                continue
            rows[node.code] = row
            nodes.append(node)
        raise_issues(issues, FrameworkError, "the framework is invalid")
        framework = cls(nodes=tuple(nodes))
        framework.validate(rows=rows, header=header)
        return framework

    def validate(
        self, *, rows: Mapping[str, int] | None = None, header: Mapping[str, str] | None = None
    ) -> None:
        """Check parents, cycles, orphans, levels, denominators and sibling weights."""
        rows = rows or {node.code: i + HEADER_ROWS + 1 for i, node in enumerate(self.nodes)}
        header = header or {}
        col = lambda name: header.get(name, name)  # noqa: E731
        by_code = {node.code: node for node in self.nodes}
        issues: list[Issue] = []
        first_row: dict[str, int] = {}
        for position, node in enumerate(self.nodes):
            row = position + HEADER_ROWS + 1
            if node.code in first_row:
                issues.append(
                    _issue(
                        row,
                        col("iCode"),
                        "code {node} repeats row {first}",
                        "duplicate",
                        node=node.code,
                        first=first_row[node.code],
                    )
                )
            first_row.setdefault(node.code, row)
        raise_issues(issues, FrameworkError, "the framework is invalid")
        tree = [n for n in self.nodes if n.kind in ("Indicator", "Aggregate")]
        for node in tree:
            row = rows[node.code]
            if not node.weight >= 0 or not np.isfinite(node.weight):  # also catches NaN
                issues.append(
                    _issue(
                        row,
                        col("Weight"),
                        "weight must not be negative ({value})",
                        "negative_weight",
                        value=f"{node.weight:g}",
                    )
                )
            if node.direction not in (1, -1):
                issues.append(
                    _issue(
                        row,
                        col("Direction"),
                        "direction must be 1 or -1 (got {value})",
                        "bad_direction",
                        value=str(node.direction),
                    )
                )
            if node.parent is not None and node.parent not in by_code:
                issues.append(
                    _issue(
                        row,
                        col("Parent"),
                        "parent {parent} does not exist",
                        "unknown_parent",
                        parent=node.parent,
                    )
                )
            elif node.parent is not None and by_code[node.parent].kind != "Aggregate":
                issues.append(
                    _issue(
                        row,
                        col("Parent"),
                        "parent {parent} is not an Aggregate",
                        "bad_parent",
                        parent=node.parent,
                    )
                )
            if node.denominator is not None:
                target = by_code.get(node.denominator)
                if target is None or target.kind != "Denominator":
                    issues.append(
                        _issue(
                            row,
                            col("Denominator"),
                            "denominator {denominator} is not defined as a Denominator in the framework",
                            "unknown_denominator",
                            denominator=node.denominator,
                        )
                    )
        issues.extend(self._cycle_issues(rows, col))
        if not issues:
            issues.extend(self._shape_issues(rows, col))
        raise_issues(issues, FrameworkError, "the framework is invalid")

    def _cycle_issues(self, rows, col) -> list[Issue]:
        parent = {n.code: n.parent for n in self.nodes if n.kind in ("Indicator", "Aggregate")}
        issues, reported = [], set()
        for start in parent:
            path, seen = [start], {start}
            current = parent[start]
            while current is not None and current in parent:
                if current in seen:
                    cycle = [*path[path.index(current) :], current]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        first = min(cycle[:-1], key=lambda c: rows[c])
                        text = " → ".join(cycle)
                        issues.append(
                            _issue(
                                rows[first],
                                col("Parent"),
                                "parents form a cycle: {cycle}",
                                "cycle",
                                cycle=text,
                            )
                        )
                    break
                path.append(current)
                seen.add(current)
                current = parent[current]
        return issues

    def _shape_issues(self, rows, col) -> list[Issue]:
        by_code = {node.code: node for node in self.nodes}
        issues: list[Issue] = []
        tree = [n for n in self.nodes if n.kind in ("Indicator", "Aggregate")]
        if not any(n.kind == "Indicator" for n in tree):
            return [Issue("the framework has no indicator (Type = Indicator)", code="no_indicators")]
        roots = [n for n in tree if n.parent is None]
        top = max(n.level or 0 for n in tree)
        for node in roots:
            if node.kind == "Indicator" or (node.level or 0) < top:
                issues.append(
                    _issue(
                        rows[node.code],
                        col("Parent"),
                        "{node} has no parent (orphan)",
                        "orphan",
                        node=node.code,
                    )
                )
        if len([n for n in roots if n.kind == "Aggregate" and n.level == top]) > 1:
            codes = [n.code for n in roots if n.level == top]
            issues.append(
                Issue(
                    "the framework has several top-level indices: {codes}; only one is allowed",
                    code="many_roots",
                    params={"codes": codes},
                )
            )
        with_children = {n.parent for n in tree if n.parent is not None}
        for node in tree:
            row = rows[node.code]
            if node.kind == "Aggregate" and node.code not in with_children:
                issues.append(
                    _issue(
                        row,
                        col("iCode"),
                        "aggregate {node} has no children (orphan)",
                        "orphan_aggregate",
                        node=node.code,
                    )
                )
            if node.kind == "Indicator" and node.level != 1:
                issues.append(
                    _issue(
                        row,
                        col("Level"),
                        "an indicator's level must be 1 (got {level})",
                        "bad_level",
                        level=node.level,
                    )
                )
            if node.parent is not None and (by_code[node.parent].level or 0) <= (node.level or 0):
                issues.append(
                    _issue(
                        row,
                        col("Level"),
                        "level {level} is not below the level {parent_level} of its parent {parent}",
                        "bad_level",
                        level=node.level,
                        parent=node.parent,
                        parent_level=by_code[node.parent].level,
                    )
                )
        for parent, children in self._children_map.items():
            if children and sum(by_code[c].weight for c in children) <= 0:
                issues.append(
                    _issue(
                        rows[children[0]],
                        col("Weight"),
                        "the weights of the children of {parent} sum to 0",
                        "zero_weights",
                        parent=parent,
                    )
                )
        return issues

    # ------------------------------------------------------------------ structure
    @cached_property
    def _children_map(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {n.code: [] for n in self.nodes if n.kind == "Aggregate"}
        for node in self.nodes:
            if node.kind in ("Indicator", "Aggregate") and node.parent in out:
                out[node.parent].append(node.code)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def by_code(self) -> dict[str, Node]:
        return {node.code: node for node in self.nodes}

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nodes if n.kind == "Indicator")

    @cached_property
    def aggregates(self) -> tuple[str, ...]:
        """Aggregate codes, lower levels first (the order they are computed in)."""
        nodes = [n for n in self.nodes if n.kind == "Aggregate"]
        return tuple(n.code for n in sorted(nodes, key=lambda n: n.level or 0))

    @cached_property
    def denominators(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nodes if n.kind == "Denominator")

    @cached_property
    def groups(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nodes if n.kind == "Group")

    @cached_property
    def levels(self) -> tuple[int, ...]:
        """Aggregation levels (2 … top)."""
        return tuple(sorted({self.by_code[c].level for c in self.aggregates}))

    @property
    def root(self) -> str:
        return self.aggregates[-1]

    def children(self, code: str) -> tuple[str, ...]:
        return self._children_map.get(code, ())

    def aggregates_at(self, level: int) -> tuple[str, ...]:
        return tuple(c for c in self.aggregates if self.by_code[c].level == level)

    def directions(self) -> np.ndarray:
        return np.array([self.by_code[c].direction for c in self.indicators], dtype=float)

    def weights(self) -> dict[str, float]:
        return {n.code: n.weight for n in self.nodes if n.kind in ("Indicator", "Aggregate")}

    def with_weights(self, weights: Mapping[str, float]) -> Framework:
        """A copy with some weights replaced (unknown codes are an error, not silently dropped)."""
        unknown = [code for code in weights if code not in self.by_code]
        if unknown:
            raise FrameworkError(
                "unknown codes among the weights: {codes}",
                code="unknown_code",
                codes=[str(c) for c in unknown],
            )
        nodes = tuple(
            replace(n, weight=float(weights[n.code])) if n.code in weights else n for n in self.nodes
        )
        return Framework.from_nodes(nodes)

    def effective_weights(self, *, every_level: bool = False) -> pd.Series:
        """Each indicator's share of the index: the product of its normalised weights up the tree.

        ``every_level`` adds the aggregates (the index has 1), as COINr's ``get_eff_weights``; the
        nodes of each level then sum to 1.

        Examples
        --------
        >>> fw = Framework.from_nodes([Node("a", parent="P", weight=1), Node("b", parent="P", weight=3),
        ...     Node("c", parent="Q"), Node("P", kind="Aggregate", level=2, parent="I"),
        ...     Node("Q", kind="Aggregate", level=2, parent="I"), Node("I", kind="Aggregate", level=3)])
        >>> fw.effective_weights().round(3).tolist()
        [0.125, 0.375, 0.5]
        >>> fw.effective_weights(every_level=True).round(3).to_dict()
        {'a': 0.125, 'b': 0.375, 'c': 0.5, 'P': 0.5, 'Q': 0.5, 'I': 1.0}
        """
        share = {}
        for code in reversed(self.aggregates):
            node = self.by_code[code]
            share.setdefault(code, 1.0 if node.parent is None else share[node.parent])
            children = self.children(code)
            total = sum(self.by_code[c].weight for c in children)
            for child in children:
                share[child] = share[code] * self.by_code[child].weight / total
        codes = self.indicators + (self.aggregates if every_level else ())
        return pd.Series({c: share.get(c, np.nan) for c in codes}, name="effective_weight")

    def level_matrix(self, level: int) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
        """(child codes, parent codes, weight matrix children × parents) for aggregating into ``level``."""
        parents = self.aggregates_at(level)
        children = tuple(c for p in parents for c in self.children(p))
        matrix = np.zeros((len(children), len(parents)))
        for j, parent in enumerate(parents):
            for child in self.children(parent):
                matrix[children.index(child), j] = self.by_code[child].weight
        return children, parents, matrix

    def to_table(self) -> pd.DataFrame:
        """The framework in COINr's iMeta layout."""
        return pd.DataFrame(
            {
                "Level": [n.level for n in self.nodes],
                "iCode": [n.code for n in self.nodes],
                "iName": [n.name for n in self.nodes],
                "Direction": [n.direction for n in self.nodes],
                "Weight": [n.weight for n in self.nodes],
                "Unit": [n.unit for n in self.nodes],
                "Target": [n.target for n in self.nodes],
                "Denominator": [n.denominator for n in self.nodes],
                "Parent": [n.parent for n in self.nodes],
                "Type": [n.kind for n in self.nodes],
            }
        )


# ---------------------------------------------------------------------- reading cells
def _issue(row: int, column: str, template: str, code: str, **params) -> Issue:
    return Issue(template, row=row, column=column, code=code, params=params)


def _blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _text(value) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(record, header, name, row, issues) -> float | None:
    if name not in header or _blank(record.get(header[name])):
        return None
    raw = record[header[name]]
    try:
        value = float(str(raw).strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        issues.append(_issue(row, header[name], NOT_A_NUMBER[name], "not_numeric", raw=str(raw)))
        return None
    if not np.isfinite(value):
        issues.append(_issue(row, header[name], NOT_FINITE[name], "not_finite", raw=str(raw)))
        return None
    return value


def _node_from_record(record, header, row, issues) -> Node | None:
    code = _text(record.get(header["iCode"]))
    if code is None:
        issues.append(_issue(row, header["iCode"], "the code is blank", "blank_code"))
        return None
    kind = _text(record.get(header.get("Type", ""))) if "Type" in header else None
    kind = KIND_ALIASES.get(kind, kind) if kind else None
    before = len(issues)
    level = _number(record, header, "Level", row, issues)
    if kind is None:
        kind = "Indicator" if level in (None, 1) else "Aggregate"
    if kind not in KINDS:
        issues.append(
            _issue(
                row,
                header["Type"],
                "type must be Indicator, Aggregate, Group or Denominator (got '{kind}')",
                "bad_type",
                kind=kind,
            )
        )
        return None
    if kind in ("Indicator", "Aggregate"):
        if level is None:
            if kind == "Aggregate":
                issues.append(
                    _issue(row, header.get("Level", "Level"), "an aggregate needs a level", "blank_level")
                )
            level = 1 if kind == "Indicator" else 0
        elif not float(level).is_integer() or level < 1:
            issues.append(
                _issue(
                    row,
                    header["Level"],
                    "level must be a positive integer (got {value})",
                    "bad_level",
                    value=f"{level:g}",
                )
            )
    direction = _number(record, header, "Direction", row, issues)
    if direction is not None and direction not in (1.0, -1.0):
        issues.append(
            _issue(
                row,
                header["Direction"],
                "direction must be 1 or -1 (got {value})",
                "bad_direction",
                value=f"{direction:g}",
            )
        )
    weight = _number(record, header, "Weight", row, issues)
    if weight is not None and weight < 0:
        issues.append(
            _issue(
                row,
                header["Weight"],
                "weight must not be negative ({value})",
                "negative_weight",
                value=f"{weight:g}",
            )
        )
    target = _number(record, header, "Target", row, issues)
    if len(issues) > before:
        return None
    is_tree = kind in ("Indicator", "Aggregate")
    return Node(
        code=code,
        kind=kind,
        level=int(level) if is_tree and level is not None else None,
        parent=_text(record.get(header["Parent"])) if is_tree and "Parent" in header else None,
        name=_text(record.get(header.get("iName", ""))) or "" if "iName" in header else "",
        direction=int(direction) if direction is not None else 1,
        weight=float(weight) if weight is not None else 1.0,
        unit=(_text(record.get(header["Unit"])) or "") if "Unit" in header else "",
        target=target,
        denominator=_text(record.get(header["Denominator"])) if "Denominator" in header and is_tree else None,
    )
