"""Order reports move to the private storage; photos get generated names and are re-encoded (or dropped)."""

from django.core.files.storage import default_storage
from django.db import migrations, models

import xietong.core.files


def files_to_new_scheme(apps, schema_editor):
    from xietong.core import files

    ServiceOrder = apps.get_model("resources", "ServiceOrder")
    for order in ServiceOrder.objects.exclude(report="").iterator():
        new_name = files.relocate(
            source=default_storage,
            target=files.private_storage(),
            name=order.report.name,
            folder="resources/reports",
            kinds=("pdf", "jpg", "png"),
        )
        if new_name != order.report.name:
            ServiceOrder.objects.filter(pk=order.pk).update(report=new_name or "")
    ResourcePhoto = apps.get_model("resources", "ResourcePhoto")
    for photo in ResourcePhoto.objects.all().iterator():
        new_name = files.relocate(
            source=default_storage,
            target=default_storage,
            name=photo.file.name,
            folder="resources/photos",
            kinds=("jpg", "png"),
        )
        if new_name is None:  # not an image (e.g. HTML behind a PNG signature): the photo goes
            ResourcePhoto.objects.filter(pk=photo.pk).delete()
        elif new_name != photo.file.name:
            ResourcePhoto.objects.filter(pk=photo.pk).update(file=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0003_category_tree"),
    ]

    operations = [
        migrations.AlterField(
            model_name="resourcephoto",
            name="file",
            field=models.FileField(max_length=120, upload_to="resources/photos/", verbose_name="图片"),
        ),
        migrations.AlterField(
            model_name="serviceorder",
            name="report",
            field=models.FileField(
                blank=True,
                max_length=120,
                storage=xietong.core.files.private_storage,
                upload_to="resources/reports/",
                verbose_name="结果报告",
            ),
        ),
        migrations.RunPython(files_to_new_scheme, migrations.RunPython.noop),
    ]
