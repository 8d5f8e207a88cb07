"""Plain SQL for the few statements that run hundreds of times a second (the voucher reserve path, the ledger).

Building a statement through the ORM costs 0.5–3 ms of CPU; PostgreSQL runs the same statement in a few
hundredths of a millisecond once it is prepared. On the reserve path that was most of a redemption's cost.
These helpers keep such SQL short and honest: column names come from the models (a renamed field fails at
import, not in production), values go through each field's own `get_db_prep_save`, rows come back as model
instances (`Model.from_db`, unselected fields deferred), and the SQL is the same on SQLite and PostgreSQL.
Everything else in the platform uses the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=models.Model)


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[models.Model]) -> str:
    return qn(model._meta.db_table)


def column(model: type[models.Model], name: str) -> str:
    """The quoted column of a field (by name or attname), e.g. `"enterprise_id"`."""
    return qn(model._meta.get_field(name).column)


def select_list(alias: str, model: type[models.Model], names: Sequence[str]) -> str:
    """`"a"."col", …` for the named fields, in order; `instance` takes the values back in the same order."""
    return ", ".join(f"{qn(alias)}.{column(model, n)}" for n in names)


def placeholders(count: int) -> str:
    """`%s, %s, …` for an IN list (at least one, so an empty list is `IN (NULL)`, which matches nothing)."""
    return ", ".join(["%s"] * max(count, 1))


def in_params(values: Iterable[Any]) -> list[Any]:
    return list(values) or [None]


def lock_clause(alias: str) -> str:
    """`FOR UPDATE OF "alias"` where the database has row locks; SQLite serialises writers instead."""
    if connection.features.has_select_for_update_of:
        return f" FOR UPDATE OF {qn(alias)}"
    return ""


def cursor():
    """Django's cursor (its wrappers, error translation and query counting), binding on the server on PostgreSQL.

    Server-side binding is what lets psycopg prepare a statement (`prepare_threshold` in settings), and it is
    confined to these statements on purpose: Django hands the ORM's integers to psycopg as `Int4`, which
    psycopg's binary dumper truncates to 32 bits when binding on the server — `F("balance_fen") - 6_668_000_000`
    became `+ 1_921_934_592` in our benchmark. Values sent from here are plain Python (see `_plain`), typed by
    psycopg from the value, so PostgreSQL refuses an out-of-range number instead of storing a wrapped one.
    """
    db = _db()
    if db.vendor != "postgresql":
        return db.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    db.ensure_connection()
    with db.wrap_database_errors:
        raw = ServerBindingCursor(db.connection)
    return db._prepare_cursor(raw)


def _db():
    """The default connection itself: each attribute read through `django.db.connection` (a proxy) costs a
    context-local lookup, and these paths read dozens per statement."""
    return connections[DEFAULT_DB_ALIAS]


def _plain(value: Any) -> Any:
    """psycopg's `Int2`/`Int4`/`Int8` wrappers (Django's `get_db_prep_save`) as plain ints: see `cursor`."""
    if isinstance(value, int) and type(value) not in (int, bool):
        return int(value)
    return value


def fetch_one(sql: str, params: Sequence[Any]) -> tuple | None:
    with cursor() as c:
        c.execute(sql, params)
        return c.fetchone()


def concrete(model: type[models.Model]) -> tuple[str, ...]:
    """Every stored field's attname, in the model's order: select them all and nothing is deferred."""
    return tuple(f.attname for f in model._meta.concrete_fields)


@cache
def _reader(model: type[models.Model], names: tuple[str, ...]) -> tuple[tuple[str, ...], list]:
    """Attnames, and per column the converters a queryset would apply (SQLite dates, booleans, JSON, …)."""
    fields = [model._meta.get_field(n) for n in names]
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if funcs:
            converters.append((i, col, funcs))
    return tuple(f.attname for f in fields), converters


def instance(model: type[M], names: Sequence[str], values: Sequence[Any]) -> M:
    """A model instance from selected values, as a queryset would build it; fields not selected are deferred."""
    attnames, converters = _reader(model, tuple(names))
    db = _db()
    if converters:
        values = list(values)
        for i, col, funcs in converters:
            for func in funcs:
                values[i] = func(values[i], col, db)
    return model.from_db(db.alias, attnames, values)


def split(row: Sequence[Any], *parts: tuple[type[models.Model], Sequence[str]]) -> tuple[list, list]:
    """The instances of a row that selected several models' columns in turn (one `select_list` per part), and
    the values left over after them (e.g. `EXISTS` answers)."""
    instances, start = [], 0
    for model, names in parts:
        instances.append(instance(model, names, row[start : start + len(names)]))
        start += len(names)
    return instances, list(row[start:])


@cache
def _insert_sql(model: type[models.Model], rows: int) -> tuple[str, tuple[models.Field, ...]]:
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    row = f"({placeholders(len(fields))})"
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {qn(model._meta.pk.column)}"
    )
    return sql, fields


def insert(objs: Sequence[M]) -> Sequence[M]:
    """INSERT new instances of one model in one statement and set their primary keys.

    What `save()` writes (defaults, `auto_now_add`, each field's database preparation), without the compiler:
    a model with save signals is saved the ordinary way so its receivers still run.
    """
    if not objs:
        return objs
    model = type(objs[0])
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        for obj in objs:
            obj.save(force_insert=True)
        return objs
    sql, fields = _insert_sql(model, len(objs))
    db = _db()
    params = [_plain(f.get_db_prep_save(f.pre_save(obj, True), db)) for obj in objs for f in fields]
    with cursor() as c:
        c.execute(sql, params)
        ids = [row[0] for row in c.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = db.alias
    return objs


def create(model: type[M], **values: Any) -> M:
    """`Model.objects.create(**values)` through `insert`."""
    return insert([model(**values)])[0]
