"""Entries and postings are never edited or deleted, on SQLite as on PostgreSQL (corrections are reversals).

PostgreSQL already refused edits of postings (0002, 0004); this adds the same rule for entries there, and
triggers for both tables on SQLite, where nothing stopped an UPDATE or DELETE before. The SQLite triggers
ask ``xietong_ledger_sealed()`` (see ``ledger/append_only.py``) so that ``flush`` can still empty the database.

A later migration that rebuilds one of these tables on SQLite (Django copies it into a new table) drops its
triggers: it must create them again (``tests/ledger/test_append_only.py`` checks they exist).
"""

from django.db import migrations

SQLITE_TRIGGERS = {
    f"ledger_{table}_no_{verb.lower()}": f"""
CREATE TRIGGER IF NOT EXISTS ledger_{table}_no_{verb.lower()} BEFORE {verb} ON ledger_{table}
WHEN xietong_ledger_sealed()
BEGIN
    SELECT RAISE(ABORT, 'ledger {table}s are never edited or deleted; post a reversing entry');
END;
"""
    for table in ("entry", "posting")
    for verb in ("UPDATE", "DELETE")
}

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION ledger_entry_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are never edited or deleted; post a reversing entry' USING ERRCODE = '23514';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS ledger_entry_no_update ON ledger_entry;
CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_immutable();
DROP TRIGGER IF EXISTS ledger_entry_no_delete ON ledger_entry;
CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_immutable();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS ledger_entry_no_update ON ledger_entry;
DROP TRIGGER IF EXISTS ledger_entry_no_delete ON ledger_entry;
DROP FUNCTION IF EXISTS ledger_entry_immutable();
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_TRIGGERS.values():
            schema_editor.execute(sql, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};", params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_entry_time_from_platform_clock")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
