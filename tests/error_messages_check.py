"""Finds domain error messages that would stay Chinese in the English UI.

A message shown to the user is translated when it is raised (the request's language is active then), so
every message written at a raise site must be a gettext call on a plain literal with named placeholders:
`_("指标数据有误：%(shown)s") % {"shown": shown}`. Read by `tests/core/test_error_messages.py`.

Places checked, in every module of `src/xietong` (migrations aside):
- `raise`/construction of `DomainError` and its subclasses (found by name through the class tree): the
  first argument or `message=`; `RowError(row, column, message)`: the third or `message=`;
- `get_visible(qs, message, …)` and `denial_message(actor, message)`: the second argument;
- row-error dictionaries: `errors[key] = message`, `errors.setdefault(key, message)` (any name ending
  in `errors`);
- class attributes `default_message` and `denied_message`: these are evaluated at import, when no request
  language is active, so they must be `gettext_lazy` (an eager gettext would freeze the default language);
- flash messages, `messages.success/info/warning/error/debug(request, message)`: the second argument or
  `message=`; `messages.add_message(request, level, message)`: the third.

A message is untranslated when, outside any gettext call, it holds a string literal or an f-string with
Chinese text, or when a gettext call gets an f-string or a computed argument (its msgid would never be in
the catalogue). A message held in a local variable is followed to the variable's assignments in the same
function.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "xietong"
HAN = re.compile(r"[\u4e00-\u9fff]")
BASE_ERRORS = {"DomainError", "Invalid", "Forbidden", "NotFound", "Conflict"}
EAGER = {"gettext", "pgettext", "ngettext"}
LAZY = {"gettext_lazy", "pgettext_lazy", "ngettext_lazy"}
MESSAGE_HELPERS = {"get_visible": 1, "denial_message": 1}
CLASS_MESSAGES = {"default_message", "denied_message"}
# Modules whose display helpers build text shown to users (labels, names, import cell errors): there a
# `return` of a Chinese f-string or a `raise ValueError(<Chinese f-string>)` (an import turns it into a row
# error) would stay Chinese in the English UI. Listed, not the whole tree: CLI output, demo data and the
# Chinese documents (PDF reports) legitimately build Chinese f-strings.
DISPLAY_MODULES = {
    "core/excel.py",
    "core/money.py",
    "coordination/models.py",
    "evaluation/engine_messages.py",
    "evaluation/models.py",
    "evaluation/reports.py",
    "orgs/validation.py",
    "resources/validation.py",
    "sharing/models.py",
    "sharing/references.py",
    "sharing/rule_messages.py",
    "transfer/services.py",
}
FLASH_LEVELS = {"success", "info", "warning", "error", "debug"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


@dataclass(frozen=True)
class Msgid:
    path: str
    line: int
    msgid: str


def modules(root: Path = SRC) -> dict[str, ast.Module]:
    return {
        str(p.relative_to(root)): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(root.rglob("*.py"))
        if "migrations" not in p.parts
    }


def error_classes(trees: dict[str, ast.Module]) -> set[str]:
    """Names of DomainError and every class deriving from it, by name, across the given modules."""
    names = set(BASE_ERRORS)
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    if any(_name(b) in names for b in node.bases):
                        names.add(node.name)
                        grew = True
    return names


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return _name(node.value)
    return ""


def _translation_aliases(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(eager, lazy) names bound to Django's gettext functions by the module's imports."""
    eager, lazy = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                bound = alias.asname or alias.name
                if alias.name in EAGER:
                    eager.add(bound)
                elif alias.name in LAZY:
                    lazy.add(bound)
    return eager, lazy


def _message_of(call: ast.Call, classes: set[str]) -> ast.expr | None:
    callee = _name(call.func)
    if callee == "RowError":
        if len(call.args) >= 3:
            return call.args[2]
        return next((k.value for k in call.keywords if k.arg == "message"), None)
    if callee in classes and isinstance(call.func, ast.Name | ast.Attribute):
        if call.args:
            return call.args[0]
        return next((k.value for k in call.keywords if k.arg == "message"), None)
    if callee in MESSAGE_HELPERS:
        index = MESSAGE_HELPERS[callee]
        if len(call.args) > index:
            return call.args[index]
        return next((k.value for k in call.keywords if k.arg in {"message", "default"}), None)
    if isinstance(call.func, ast.Attribute) and _name(call.func.value) == "messages":
        index = {**dict.fromkeys(FLASH_LEVELS, 1), "add_message": 2}.get(call.func.attr)
        if index is not None:
            if len(call.args) > index:
                return call.args[index]
            return next((k.value for k in call.keywords if k.arg == "message"), None)
    if isinstance(call.func, ast.Attribute) and call.func.attr == "setdefault" and len(call.args) == 2:
        if _name(call.func.value).endswith("errors"):
            return call.args[1]
    return None


def _problems(expr: ast.AST, gettexts: set[str], assigned: dict[str, list[ast.expr]], seen=()) -> list[str]:
    """What keeps this message expression from being translated (empty when nothing does)."""
    out: list[str] = []
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in gettexts:
        arg = expr.args[0] if expr.args else None
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            out.append("gettext of a computed or f-string msgid (use a literal with %(name)s placeholders)")
        return out
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str) and HAN.search(expr.value):
        return [f"Chinese literal not wrapped in gettext: {expr.value[:40]!r}"]
    if isinstance(expr, ast.JoinedStr) and any(
        isinstance(v, ast.Constant) and HAN.search(str(v.value)) for v in expr.values
    ):
        return ["Chinese f-string (use gettext with %(name)s placeholders)"]
    if isinstance(expr, ast.Name):
        # a message (or a placeholder's value) held in a variable: what was assigned to it
        if expr.id not in seen:
            for value in assigned.get(expr.id, []):
                out += _problems(value, gettexts, assigned, (*seen, expr.id))
        return out
    for child in ast.iter_child_nodes(expr):
        if isinstance(child, ast.expr):
            out += _problems(child, gettexts, assigned, seen)
    return out


def _scopes(tree: ast.Module):
    """Each function with the assignments to plain names made in it (module-level names, such as tables of
    Chinese column labels, are not followed), and the module with none."""
    yield tree, {}
    for scope in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
        assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        yield scope, assigned


def check_source(source: str, path: str, classes: set[str]) -> list[Finding]:
    tree = ast.parse(source)
    eager, lazy = _translation_aliases(tree)
    gettexts = eager | lazy
    findings: set[Finding] = set()
    for scope, assigned in _scopes(tree):
        for node in ast.walk(scope):
            message = None
            if isinstance(node, ast.Call):
                message = _message_of(node, classes)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Subscript) and _name(target.value).endswith("errors"):
                    message = node.value
            if message is not None:
                for problem in _problems(message, gettexts, assigned):
                    findings.add(Finding(path, message.lineno, problem))
    if path in DISPLAY_MODULES:
        for node in ast.walk(tree):
            value = None
            if isinstance(node, ast.Return):
                value = node.value
            elif (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and _name(node.exc.func) == "ValueError"
            ):
                value = node.exc.args[0] if node.exc.args else None
            if isinstance(value, ast.JoinedStr) and _problems(value, gettexts, {}):
                findings.add(
                    Finding(
                        path,
                        value.lineno,
                        "Chinese f-string shown to users (use gettext with %(name)s placeholders)",
                    )
                )
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
            if isinstance(stmt, ast.AnnAssign):
                target = stmt.target
            if not (isinstance(target, ast.Name) and target.id in CLASS_MESSAGES and stmt.value is not None):
                continue
            value = stmt.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in eager:
                findings.add(
                    Finding(path, value.lineno, f"{target.id} must be gettext_lazy (read at import)")
                )
            for problem in _problems(value, gettexts, {}):
                findings.add(Finding(path, value.lineno, problem))
    return sorted(findings, key=lambda f: (f.path, f.line, f.problem))


def check_tree(root: Path = SRC) -> list[Finding]:
    trees = modules(root)
    classes = error_classes(trees)
    return [
        f for path in trees for f in check_source((root / path).read_text(encoding="utf-8"), path, classes)
    ]


def msgids_in_source(source: str, path: str, classes: set[str]) -> list[Msgid]:
    """The gettext msgids written in the checked places (what the English catalogue must hold), including
    those of a message held in a local variable (`done = _("已接受…") if … else _("已婉拒…")`)."""
    tree = ast.parse(source)
    eager, lazy = _translation_aliases(tree)
    gettexts = eager | lazy
    out: list[Msgid] = []
    seen: set[tuple[int, int]] = set()
    for scope, assigned in _scopes(tree):
        for root in _message_roots(scope, classes):
            for node in _followed(root, assigned):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                if node.func.id in gettexts and (node.lineno, node.col_offset) not in seen:
                    if (
                        node.args
                        and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)
                    ):
                        seen.add((node.lineno, node.col_offset))
                        out.append(Msgid(path, node.lineno, node.args[0].value))
    return out


def _message_roots(scope: ast.AST, classes: set[str]) -> list[ast.expr]:
    roots: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Call) and (message := _message_of(node, classes)) is not None:
            roots.append(message)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Subscript) and _name(target.value).endswith("errors"):
                roots.append(node.value)
            if isinstance(target, ast.Name) and target.id in CLASS_MESSAGES:
                roots.append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.target.id in CLASS_MESSAGES and node.value is not None:
                roots.append(node.value)
    return roots


def _followed(expr: ast.AST, assigned: dict[str, list[ast.expr]], seen=()):
    """Every node of the expression and of the values assigned to the local names it reads."""
    for node in ast.walk(expr):
        yield node
        if isinstance(node, ast.Name) and node.id not in seen:
            for value in assigned.get(node.id, []):
                yield from _followed(value, assigned, (*seen, node.id))


def msgids_in_tree(root: Path = SRC) -> list[Msgid]:
    trees = modules(root)
    classes = error_classes(trees)
    return [
        m
        for path in trees
        for m in msgids_in_source((root / path).read_text(encoding="utf-8"), path, classes)
    ]
