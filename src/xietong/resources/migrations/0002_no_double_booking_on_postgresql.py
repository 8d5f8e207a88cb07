"""No double booking, in the database: on PostgreSQL an exclusion constraint over the booked time range.

Two slot-holding bookings of the same resource unit may not have overlapping ``[starts_at, ends_at)``
ranges. The constraint needs btree_gist (``=`` on integers inside a GiST index). SQLite has no
exclusion constraints; there the booking service checks for overlaps while holding the write lock.
"""

from django.db import migrations

HOLDING = "('submitted', 'confirmed', 'in_progress', 'delivered', 'completed', 'no_show')"
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE resources_serviceorder ADD CONSTRAINT order_no_double_booking EXCLUDE USING gist ("
    " resource_id WITH =, unit WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&"
    f") WHERE (kind = 'booking' AND status IN {HOLDING})",
]
BACKWARD = ["ALTER TABLE resources_serviceorder DROP CONSTRAINT IF EXISTS order_no_double_booking"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_catalogue_prices_calendars_orders")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
