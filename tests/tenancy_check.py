"""The tenancy check: tenant-owned models are queried only where a policy scopes the query.

It reads the syntax tree of every module of every app under ``src/xietong`` and reports each query of a
tenant-owned model made outside the places allowed to make one. Used by ``tests/core/test_tenancy_lint.py``.

Tenant-owned models come from the Django app registry: a model is tenant-owned when a chain of forward
foreign keys (or one-to-one links) leads from it to ``Organisation``, ``Region``, ``Zone`` or the user model,
unless ``PUBLIC`` names it with a reason; ``EXTRA_TENANT`` names, with a reason, the few that own no such link
but are tenant data all the same. The four roots are themselves tenant-owned except ``Region`` and ``Zone``,
which are public reference data (``regions.policies``).

A query is any use of a tenant model's manager (``Model.objects``, ``Model._default_manager``,
``Model._base_manager``, ``get_object_or_404(Model, …)``), whatever the chain that follows and however many
lines it spans; the model may be imported under an alias, through its app's ``models`` module, or fetched with
``apps.get_model``. A read through a reverse related manager (``programme.grants.filter(…)``) counts too when
the accessor's name belongs to a tenant model and a queryset method follows it.

Where queries are allowed (see ``ALLOWED``):

- ``selectors`` and ``policies``: they are the gate;
- ``models``, ``migrations``, ``checks`` (whole-data invariants, no actor), ``demo`` and management
  commands (operators acting as the platform), ``locks`` (row-lock querysets used after a policy check);
- ``services``: writes (``create``, ``update``, ``delete`` …) and locked re-reads (``select_for_update``)
  made after a selector or policy check; any other read in a service goes through a selector.

Anything else is an exemption: ``# tenancy-ok: <reason>`` on the same (logical) line as the query, reason
required; a comment on a line of its own, before the query, does not count.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "xietong"
MARK = "# tenancy-ok:"

ROOTS = {("orgs", "Organisation"), ("regions", "Region"), ("regions", "Zone")}
PUBLIC_ROOTS = {("regions", "Region"), ("regions", "Zone")}

# Linked to a root but public reference data (each policy says so).
PUBLIC: dict[tuple[str, str], str] = {
    ("regions", "ZoneMember"): "zone membership is public reference data (regions.policies.ZonePolicy)",
    ("regions", "RegionCentroid"): "map coordinates of public regions",
}
# Tenant data that reaches no root through a forward key.
EXTRA_TENANT: dict[tuple[str, str], str] = {
    ("ledger", "Account"): "ledger accounts belong to programmes and grants (reverse links only)",
    ("ledger", "Entry"): "ledger entries move money of programmes and grants",
    ("ledger", "Posting"): "postings are lines of ledger entries",
}

MANAGERS = {"objects", "_default_manager", "_base_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
READS = {
    "all", "filter", "exclude", "get", "first", "last", "values", "values_list", "in_bulk", "select_related",
    "prefetch_related", "annotate", "aggregate", "count", "exists", "order_by", "only", "defer", "iterator",
    "distinct", "latest", "earliest", "dates", "union", "raw", "alias", "extra", "select_for_update", "none",
}  # fmt: skip
WRITES = {
    "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "update", "delete", "add",
    "remove", "set", "clear",
}  # fmt: skip
LOCK = "select_for_update"


@dataclass(frozen=True)
class Place:
    """Where a module sits: whether it may query freely, only write and lock (services), or not at all."""

    free: bool
    writes_only: bool


def place_of(relative: Path) -> Place:
    parts = relative.parts
    stem = relative.stem
    if "migrations" in parts or ("management" in parts and "commands" in parts):
        return Place(free=True, writes_only=False)
    if stem in {"selectors", "policies", "models", "checks", "demo", "locks"} or "selectors" in parts[:-1]:
        return Place(free=True, writes_only=False)
    if stem == "services" or "services" in parts[:-1]:
        return Place(free=False, writes_only=True)
    return Place(free=False, writes_only=False)


ALLOWED = (
    "selectors, policies, models, migrations, checks, demo, locks, management commands: any query; "
    "services: writes and select_for_update re-reads"
)


@dataclass(frozen=True)
class TenantModels:
    """Tenant-owned models by (app label, class name), and the reverse accessor names that lead to them."""

    names: frozenset[tuple[str, str]]
    accessors: frozenset[str]
    app_of_module: dict[str, str]

    def by_name(self, name: str) -> set[tuple[str, str]]:
        return {key for key in self.names if key[1] == name}


def tenant_models() -> TenantModels:
    """Read the app registry (needs Django set up)."""
    from django.apps import apps
    from django.conf import settings

    user_key = tuple(settings.AUTH_USER_MODEL.split("."))
    roots = ROOTS | {user_key}
    ours = [m for m in apps.get_models() if m.__module__.startswith("xietong.")]
    owned: set[tuple[str, str]] = set()

    def key(model) -> tuple[str, str]:
        return (model._meta.app_label, model.__name__)

    def reaches(model, seen: frozenset) -> bool:
        if key(model) in roots:
            return True
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and (field.many_to_one or field.one_to_one):
                target = field.related_model
                if target is not None and key(target) not in seen and reaches(target, seen | {key(target)}):
                    return True
        return False

    for model in [*ours, apps.get_model(settings.AUTH_USER_MODEL)]:
        k = key(model)
        if k in PUBLIC or k in PUBLIC_ROOTS:
            continue
        if k in EXTRA_TENANT or reaches(model, frozenset({k})):
            owned.add(k)
    tenant_accessors, public_accessors = set(), set()
    for model in ours:
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and (field.many_to_one or field.many_to_many):
                name = field.remote_field.related_name or f"{model._meta.model_name}_set"
                if not name.endswith("+"):
                    (tenant_accessors if key(model) in owned else public_accessors).add(name)
    # A name shared with a public model's accessor (`zone.memberships` vs `user.memberships`) cannot be told
    # apart without types; such reads are left to review.
    accessors = tenant_accessors - public_accessors
    modules = {m.__module__: m._meta.app_label for m in ours}
    return TenantModels(frozenset(owned), frozenset(accessors), modules)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    model: str
    chain: tuple[str, ...]
    text: str
    exemption: str | None  # the reason, when the line carries `# tenancy-ok: <reason>`

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.model} via {'.'.join(self.chain) or '(manager)'}: {self.text}"


def _app_label_of_models_module(module: str, tenants: TenantModels) -> str | None:
    if module in tenants.app_of_module:
        return tenants.app_of_module[module]
    parts = module.split(".")
    if len(parts) >= 3 and parts[0] == "xietong" and parts[-1] == "models":
        return parts[1]
    return None


class _Aliases(ast.NodeVisitor):
    """Names bound to tenant models (or to an app's models module) anywhere in one module."""

    def __init__(self, tenants: TenantModels, own_app: str | None):
        self.tenants = tenants
        self.models: dict[str, tuple[str, str]] = {}
        self.modules: dict[str, str] = {}  # alias -> app label of a models module
        self.own_app = own_app

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level and self.own_app and module in {"models", ""}:
            module = f"xietong.{self.own_app}.models" if module == "models" else f"xietong.{self.own_app}"
        label = _app_label_of_models_module(module, self.tenants)
        for alias in node.names:
            bound = alias.asname or alias.name
            if label and (label, alias.name) in self.tenants.names:
                self.models[bound] = (label, alias.name)
            elif alias.name == "models" and module.startswith("xietong."):
                self.modules[bound] = module.split(".")[1]

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            parts = alias.name.split(".")
            if alias.asname and len(parts) == 3 and parts[0] == "xietong" and parts[2] == "models":
                self.modules[alias.asname] = parts[1]

    def visit_Assign(self, node: ast.Assign) -> None:
        model = _get_model_call(node.value, self.tenants)
        if model:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.models[target.id] = model
        self.generic_visit(node)


def _get_model_call(node: ast.AST, tenants: TenantModels) -> tuple[str, str] | None:
    """`apps.get_model("app", "Model")` with literal arguments naming a tenant model."""
    if not (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_model"
    ):
        return None
    args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if len(args) == 1 and "." in args[0]:
        args = args[0].split(".", 1)
    key = tuple(args) if len(args) == 2 else None
    return key if key in tenants.names else None


def _resolve(node: ast.AST, aliases: _Aliases) -> tuple[str, str] | None:
    if isinstance(node, ast.Name):
        return aliases.models.get(node.id)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in aliases.modules
    ):
        key = (aliases.modules[node.value.id], node.attr)
        return key if key in aliases.tenants.names else None
    return _get_model_call(node, aliases.tenants)


def _chain_after(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> tuple[str, ...]:
    """The method names called on `node`, in order (`.filter(...).values(...)` → filter, values)."""
    chain = []
    current = node
    while True:
        parent = parents.get(current)
        if isinstance(parent, ast.Attribute) and parent.value is current:
            chain.append(parent.attr)
            current = parent
            call = parents.get(current)
            if isinstance(call, ast.Call) and call.func is current:
                current = call
            continue
        if isinstance(parent, ast.Subscript) and parent.value is current:
            current = parent
            continue
        return tuple(chain)


def _allowed_in_services(chain: tuple[str, ...]) -> bool:
    return LOCK in chain or (bool(chain) and chain[-1] in WRITES) or (len(chain) == 1 and chain[0] in WRITES)


def check_source(source: str, relative: Path, tenants: TenantModels) -> list[Finding]:
    """Every tenant query in one module's source that its place does not allow."""
    place = place_of(relative)
    if place.free:
        return []
    tree = ast.parse(source)
    lines = source.splitlines()
    own_app = relative.parts[0] if len(relative.parts) > 1 else None
    aliases = _Aliases(tenants, own_app)
    aliases.visit(tree)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    findings = []

    def report(node: ast.AST, model: tuple[str, str], chain: tuple[str, ...]) -> None:
        if place.writes_only and _allowed_in_services(chain):
            return
        text = lines[node.lineno - 1]
        start, end = _logical_line(node, parents)
        marked = [line for line in lines[start - 1 : end] if MARK in line]
        reason = marked[0].split(MARK, 1)[1].strip() or None if marked else None
        findings.append(Finding(str(relative), node.lineno, ".".join(model), chain, text.strip(), reason))

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            model = _resolve(node.value, aliases)
            if model:
                report(node, model, _chain_after(node, parents))
        elif isinstance(node, ast.Call) and _shortcut_name(node.func) in SHORTCUTS and node.args:
            model = _resolve(node.args[0], aliases)
            if model:
                report(node, model, (_shortcut_name(node.func),))
        elif isinstance(node, ast.Attribute) and node.attr in tenants.accessors:
            chain = _chain_after(node, parents)
            if chain and chain[0] in READS and not _dict_lookup(node, parents):
                report(node, ("related", node.attr), chain)
    return findings


def _logical_line(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> tuple[int, int]:
    """The physical lines of the logical line holding `node`: a simple statement, or the part of a compound
    statement's header (`for … in <expr>:`) that holds it. A formatter may wrap a long query over several
    lines and move its trailing comment to the last; a comment on a line of its own never counts."""
    current = node
    while (parent := parents.get(current)) is not None and not isinstance(current, ast.stmt):
        if isinstance(parent, ast.stmt) and hasattr(parent, "body"):
            # `current` is an expression in a compound statement's header, which ends where the body starts
            header_end = max(current.end_lineno or current.lineno, parent.body[0].lineno - 1)
            return current.lineno, header_end
        current = parent
    return current.lineno, current.end_lineno or current.lineno


def _dict_lookup(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """`result.datasets.get("Normalised")`: a literal positional key means a dict, not a related manager."""
    call = parents.get(parents.get(node))
    return isinstance(call, ast.Call) and any(isinstance(a, ast.Constant) for a in call.args)


def _shortcut_name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


ENGINES = {"composite", "matching", "apportion"}  # no Django inside (import contracts): nothing to query


def app_modules(root: Path = SRC) -> Iterable[Path]:
    """Every module of every Django app under `root`, and the project's own top-level modules."""
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if "__pycache__" not in relative.parts and relative.parts[0] not in ENGINES:
            yield path


def check_tree(root: Path = SRC, tenants: TenantModels | None = None) -> list[Finding]:
    tenants = tenants or tenant_models()
    found = []
    for path in app_modules(root):
        relative = path.relative_to(root)
        found.extend(check_source(path.read_text(encoding="utf-8"), relative, tenants))
    return found


# ---------------------------------------------------------------- no role checks outside policies

ROLE_ATTRIBUTES = {
    "is_bureau", "is_zone_office", "has_role", "is_platform_admin", "organisation_ids", "admin_organisation_ids",
    "bureau_region_codes", "zone_ids", "zone_region_codes", "governs_region", "reads_region", "roles",
}  # fmt: skip
ACTOR_METHODS = {"has_role", "governs_region", "reads_region"}
ASKING_MODULES = {"views", "api", "apps", "edit_views", "urls", "forms"}


def role_checks_in_source(source: str, relative: Path) -> list[str]:
    """`actor.<scope>` read in a view, API handler, nav registration or form: those ask a policy instead."""
    if relative.stem not in ASKING_MODULES and not relative.stem.endswith(("_views", "_api")):
        return []
    lines = source.splitlines()
    tree = ast.parse(source)
    called = {node.func for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return [
        f"{relative}:{node.lineno}: {lines[node.lineno - 1].strip()}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ROLE_ATTRIBUTES
        # a function of that name (`region_selectors.zone_region_codes(zone)`) is not the actor's scope
        and (node not in called or node.attr in ACTOR_METHODS)
    ]


TEMPLATE_ROLE = re.compile(r"\bactor\.(" + "|".join(sorted(ROLE_ATTRIBUTES)) + r")\b")


def role_checks_in_template(text: str, relative: Path) -> list[str]:
    return [
        f"{relative}:{number}: {match.group(0)}"
        for number, line in enumerate(text.splitlines(), start=1)
        for match in TEMPLATE_ROLE.finditer(line)
    ]


def role_checks(root: Path = SRC) -> list[str]:
    found = []
    for path in app_modules(root):
        found += role_checks_in_source(path.read_text(encoding="utf-8"), path.relative_to(root))
    for path in sorted(root.rglob("templates/**/*.html")):
        found += role_checks_in_template(path.read_text(encoding="utf-8"), path.relative_to(root))
    return found


# ---------------------------------------------------------------- every public selector takes the actor

# Public selectors that take no actor, and why. Anything else without `actor` must say in its docstring that
# it is "Public" (the policy says the data is public: regions, zones, categories, approved organisations) or
# "Pure" (it reads no rows).
ACTORLESS = {
    "orgs/selectors.py:actor_build": "builds the actor itself from the user's memberships",
    "ledger/selectors.py:balance_of": "the ledger has no tenants: callers pass accounts they resolved by policy",
    "ledger/selectors.py:balances_of": "the ledger has no tenants: callers pass accounts they resolved by policy",
    "ledger/selectors.py:account_history": "the ledger has no tenants: callers scope with `within`",
}


def selectors_without_actor(root: Path = SRC) -> list[str]:
    found = []
    for path in sorted(root.rglob("selectors.py")):
        relative = path.relative_to(root)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if "actor" in [a.arg for a in node.args.args + node.args.kwonlyargs]:
                continue
            doc = ast.get_docstring(node) or ""
            pure_reads = doc.startswith("Pure") and any(
                isinstance(n, ast.Attribute) and n.attr in MANAGERS for n in ast.walk(node)
            )
            if f"{relative}:{node.name}" in ACTORLESS or (
                doc.startswith(("Public", "Pure")) and not pure_reads
            ):
                continue
            found.append(f"{relative}:{node.lineno}: {node.name}")
    return found
