from django.db import migrations

from techbridge.directory.taxonomy import load_sectors


def forwards(apps, schema_editor):
    load_sectors(sector_model=apps.get_model("directory", "Sector"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
