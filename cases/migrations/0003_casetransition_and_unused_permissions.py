"""StageChange becomes CaseTransition (it records status changes too); the three global
permissions no code ever checked (close_case, override_consent, decide_status) are removed."""

import django.db.models.deletion
from django.db import migrations, models

UNUSED = ["close_case", "override_consent", "decide_status"]


def delete_unused_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="cases", codename__in=UNUSED).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cases", "0002_consent_consentoverride_note_servicerecord_and_more"),
    ]

    operations = [
        migrations.RenameModel("StageChange", "CaseTransition"),
        migrations.AlterField(
            model_name="casetransition",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="transitions",
                to="cases.case",
            ),
        ),
        migrations.AlterModelOptions(
            name="case",
            options={
                "ordering": ["-created_at", "-reference"],
                "permissions": [
                    ("view_identity", "See the identity fields and summary of a case"),
                ],
                "verbose_name": "case",
                "verbose_name_plural": "cases",
            },
        ),
        migrations.RunPython(delete_unused_permissions, migrations.RunPython.noop),
    ]
