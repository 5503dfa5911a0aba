"""HTCDS 2.0 codes forced military service ``ForcedMilitaryByNonStateActors``, not
``ForcedMilitary``. The code is the primary key: the new row is inserted, the cases' links
repointed to it, and the old row deleted (and the other way back)."""

from django.db import migrations

OLD = "ForcedMilitary"
NEW = "ForcedMilitaryByNonStateActors"
NAMES = {OLD: "Forced military service", NEW: "Forced military service by non-state actors"}


def _rename(apps, old, new):
    ExploitationForm = apps.get_model("reference", "ExploitationForm")
    Case = apps.get_model("cases", "Case")
    links = Case.exploitation_forms.through
    previous = ExploitationForm.objects.filter(code=old).first()
    if previous is None:
        return  # a database loaded after the data file changed has the new code already
    target, _ = ExploitationForm.objects.get_or_create(
        code=new, defaults={"name": NAMES[new], "active": previous.active}
    )
    # A case linked to both keeps one link.
    both = links.objects.filter(exploitationform_id=new).values("case_id")
    links.objects.filter(exploitationform_id=old, case_id__in=both).delete()
    links.objects.filter(exploitationform_id=old).update(exploitationform_id=target.pk)
    previous.delete()


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_case_context_fields"),
        ("reference", "0006_load_context_vocabularies"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
