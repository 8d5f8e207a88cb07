"""On PostgreSQL, postings are never deleted either: the ledger is append-only (corrections are reversals).

This is also what lets a settlement statement's lines point at their postings without a per-row foreign key
(see vouchers 0002): a posting cannot disappear from under a line.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ledger_posting_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger postings are never edited or deleted; post a reversing entry' USING ERRCODE = '23514';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS ledger_posting_no_delete ON ledger_posting;
CREATE TRIGGER ledger_posting_no_delete BEFORE DELETE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_posting_immutable();
"""

DROP = "DROP TRIGGER IF EXISTS ledger_posting_no_delete ON ledger_posting;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_posting_account_index_covered_by_composite")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
