from django.db import migrations


def load(apps, schema_editor):
    from reference.loading import load_reference_data

    load_reference_data(
        apps, only={"MeansOfControl", "RecruitmentMethod", "TraffickerRelationship"}
    )


class Migration(migrations.Migration):
    dependencies = [("reference", "0005_context_vocabularies")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
