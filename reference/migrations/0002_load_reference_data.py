from django.db import migrations


def load(apps, schema_editor):
    from reference.loading import load_reference_data

    # The vocabularies that existed at this migration (0003 loads the languages).
    load_reference_data(apps, only={"Region", "ExploitationForm", "ServiceType", "Nationality"})


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
