"""On PostgreSQL, re-check at commit that every entry touched sums to zero, and forbid editing postings.

A DEFERRABLE INITIALLY DEFERRED constraint trigger runs at COMMIT, after all postings of the entry are in,
so a half-written entry can never be committed even by code that bypasses `post_entry`. SQLite has no such
trigger; there the service's check and `checks.entries_balanced` stand guard.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ledger_entry_balanced() RETURNS trigger AS $$
DECLARE
    total bigint;
    target bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN target := OLD.entry_id; ELSE target := NEW.entry_id; END IF;
    SELECT COALESCE(SUM(amount_fen), 0) INTO total FROM ledger_posting WHERE entry_id = target;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger entry % is unbalanced: % fen', target, total USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting;
CREATE CONSTRAINT TRIGGER ledger_posting_balanced
    AFTER INSERT OR UPDATE OR DELETE ON ledger_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();

CREATE OR REPLACE FUNCTION ledger_posting_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger postings are never edited; post a reversing entry' USING ERRCODE = '23514';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS ledger_posting_no_update ON ledger_posting;
CREATE TRIGGER ledger_posting_no_update BEFORE UPDATE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_posting_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS ledger_posting_no_update ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_posting_immutable();
DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_entry_balanced();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_accounts_entries_postings")]

    operations = [migrations.RunPython(forwards, backwards)]
