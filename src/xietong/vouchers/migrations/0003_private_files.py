"""Evidence moves to the private storage under generated names (it was public under MEDIA_URL)."""

import os

from django.core.files.storage import default_storage
from django.db import migrations, models

import xietong.core.files


def evidence_to_private(apps, schema_editor):
    from xietong.core import files

    Evidence = apps.get_model("vouchers", "Evidence")
    for evidence in Evidence.objects.all().iterator():
        new_name = files.relocate(
            source=default_storage,
            target=files.private_storage(),
            name=evidence.file.name,
            folder="vouchers/evidence",
            kinds=("pdf", "jpg", "png"),
        )
        if new_name is None:  # not a PDF or image after all: the claim keeps its row, the bytes are gone
            new_name = ""
        if new_name != evidence.file.name:
            Evidence.objects.filter(pk=evidence.pk).update(file=new_name, extension=os.path.splitext(new_name)[1])


class Migration(migrations.Migration):
    dependencies = [
        ("vouchers", "0002_statement_line_refs_without_row_locks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidence",
            name="file",
            field=models.FileField(
                max_length=120,
                storage=xietong.core.files.private_storage,
                upload_to="vouchers/evidence/",
                verbose_name="文件",
            ),
        ),
        migrations.RunPython(evidence_to_private, migrations.RunPython.noop),
    ]
