from django.db import migrations, models

from techbridge.directory.models import organisation_search_text


def fill_search_text(apps, schema_editor):
    Organisation = apps.get_model("directory", "Organisation")
    for org in Organisation.objects.all():
        org.search_text = organisation_search_text(org)
        org.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_load_sectors")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
