"""The case list's order copied onto the grants (``CaseGroupObjectPermission.listed_at`` and
``listed_reference``) and the listing index over them: the columns are added empty, filled
from each grant's case in one UPDATE, then made required."""

from django.db import migrations, models

COPY_FROM_CASES = """
UPDATE cases_casegroupobjectpermission AS grant_row
   SET listed_at = c.created_at, listed_reference = c.reference
  FROM cases_case AS c
 WHERE c.id = grant_row.content_object_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_forced_military_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="casegroupobjectpermission",
            name="listed_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="casegroupobjectpermission",
            name="listed_reference",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunSQL(COPY_FROM_CASES, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="casegroupobjectpermission",
            name="listed_at",
            field=models.DateTimeField(editable=False),
        ),
        migrations.AlterField(
            model_name="casegroupobjectpermission",
            name="listed_reference",
            field=models.CharField(editable=False, max_length=32),
        ),
        migrations.AddIndex(
            model_name="casegroupobjectpermission",
            index=models.Index(
                fields=["group", "permission", "-listed_at", "-listed_reference"],
                include=["content_object"],
                name="cases_grant_listing",
            ),
        ),
    ]
