"""Fill the search blind indexes (given name, family name, date of birth) of persons
registered before they existed. Decrypts each person once, in batches; idempotent."""

from django.db import migrations

BATCH = 1000


def fill(apps, schema_editor):
    # The project's own derivation, so a backfilled index equals one registration computes.
    from cases import identity

    Person = apps.get_model("cases", "Person")
    last = None
    while True:
        # Keyset pages by primary key: every person once, whatever its indexes hold.
        page = Person.objects.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        batch = list(page[:BATCH])
        if not batch:
            return
        for person in batch:
            indexes = identity.person_indexes(
                given_name=person.given_name or "",
                family_name=person.family_name or "",
                date_of_birth=person.date_of_birth,
                document_number=person.document_number or "",
            )
            for name in ("given_name_index", "family_name_index", "date_of_birth_index"):
                setattr(person, name, indexes[name])
        Person.objects.bulk_update(
            batch, ["given_name_index", "family_name_index", "date_of_birth_index"]
        )
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_correction_languages_search_indexes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
