"""Load the 仪器类别 fixture tree (data/categories.json); idempotent, reversible (leaves rows in place)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "categories.json"


def load(apps, schema_editor):
    Category = apps.get_model("resources", "Category")
    tree = json.loads(DATA.read_text(encoding="utf-8"))["tree"]
    for position, (code, name, children) in enumerate(tree):
        parent, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "position": position})
        for child_position, (child_code, child_name) in enumerate(children):
            Category.objects.get_or_create(
                code=child_code, defaults={"name": child_name, "parent": parent, "position": child_position}
            )


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_no_double_booking_on_postgresql")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
