"""manage.py rotate_field_keys: every protected value ends under the first key, resumably."""

import base64
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEntry
from cases.management.commands import rotate_field_keys
from cases.models import Case, Person
from cases.registration import CaseData, PersonData, register_case
from core import crypto
from reference.models import ExploitationForm, Region

PERSON_FIELDS = [
    "given_name",
    "family_name",
    "date_of_birth",
    "phone",
    "address",
    "document_number",
]
KEYS = {
    kid: base64.b64encode(bytes([n]) * 32).decode()
    for n, kid in enumerate(["k1", "k2", "k3", "k4", "k5"], 1)
}


def keyring(*kids: str) -> str:
    return ",".join(f"{kid}:{KEYS[kid]}" for kid in kids)


def values_for(n: int) -> dict:
    """Distinct values of every supported type, some empty, some None."""
    return {
        "given_name": f"Given-{n}-Aïcha",
        "family_name": "" if n % 7 == 0 else f"Family-{n}",
        "date_of_birth": datetime.date(1980, 1, 1) + datetime.timedelta(days=n),
        "phone": n if n % 3 == 0 else f"+212 6{n:08d}",
        "address": None if n % 5 == 0 else f"{n} Derb Sultan",
        "document_number": False if n % 11 == 0 else f"AB{n:06d}",
    }


def make_people(settings, kid_order: list[str], count: int, *, start: int = 0) -> dict:
    """bulk_create ``count`` people with ``kid_order[0]`` first; return pk → values."""
    settings.FIELD_ENCRYPTION_KEYS = keyring(*kid_order)
    made = {}
    people = []
    for n in range(start, start + count):
        values = values_for(n)
        person = Person(**values)
        people.append(person)
        made[person.pk] = values
    Person.objects.bulk_create(people, batch_size=1000)
    return made


def stored_key_ids(model, names, pks=None) -> dict:
    """kid → number of stored values, read from the raw column."""
    qs = model.objects.all() if pks is None else model.objects.filter(pk__in=pks)
    counts = {}
    for row in qs.values_list(*names):
        for value in row:
            if value is not None:
                kid = crypto.key_id_of(value.blob)
                counts[kid] = counts.get(kid, 0) + 1
    return counts


def raw_blobs(pks) -> dict:
    rows = Person.objects.filter(pk__in=pks).values_list("pk", *PERSON_FIELDS)
    return {pk: tuple(v.blob if v is not None else None for v in values) for pk, *values in rows}


def rotate(**options) -> str:
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out, stderr=out, **options)
    return out.getvalue()


def assert_reads(made: dict):
    loaded = {p.pk: p for p in Person.objects.filter(pk__in=made)}
    assert len(loaded) == len(made)
    for pk, values in made.items():
        person = loaded[pk]
        for name, value in values.items():
            read = getattr(person, name)
            assert (read, type(read)) == (value, type(value)), (pk, name)


def make_case(cast, summary: str) -> Case:
    return register_case(
        actor=cast.police,
        person=PersonData(given_name="Canary-Zorglub", family_name="Quixote", sex="female"),
        case=CaseData(
            identified_on=datetime.date(2025, 5, 5),
            region=Region.objects.get(code="MA-01"),
            exploitation_forms=[ExploitationForm.objects.get(code="ForcedBegging")],
            summary=summary,
        ),
    )


def test_encrypted_models_finds_every_encrypted_field():
    found = {
        model._meta.label: [f.name for f in fields]
        for model, fields in rotate_field_keys.encrypted_models()
    }
    assert found["cases.Person"] == PERSON_FIELDS
    assert found["cases.Case"] == ["summary"]
    assert all(fields for fields in found.values())


def test_rotation_over_three_keys_lets_the_old_keys_go(cast, settings):
    made = {}
    made |= make_people(settings, ["k1", "k2", "k3"], 1000, start=0)
    made |= make_people(settings, ["k2", "k1", "k3"], 1000, start=1000)
    made |= make_people(settings, ["k3", "k1", "k2"], 1000, start=2000)
    case = make_case(cast, "Found at the port, passport withheld by the employer.")
    before = stored_key_ids(Person, PERSON_FIELDS, made)
    assert set(before) == {"k1", "k2", "k3"}
    assert min(before.values()) > 4000  # ~5,500 non-null values under each key
    audit_before = AuditEntry.objects.count()

    settings.FIELD_ENCRYPTION_KEYS = keyring("k4", "k1", "k2", "k3")
    output = rotate(batch_size=500)

    assert stored_key_ids(Person, PERSON_FIELDS, made) == {"k4": sum(before.values())}
    assert stored_key_ids(Case, ["summary"], [case.pk]) == {"k4": 1}
    assert AuditEntry.objects.count() == audit_before
    assert "cases.Person: 3001/3001 rows (100%), 3001 re-encrypted" in output
    assert "the other keys (k1, k2, k3) can be removed" in output
    assert "Given-" not in output and "Canary" not in output and "passport" not in output

    settings.FIELD_ENCRYPTION_KEYS = keyring("k4")
    assert_reads(made)
    case = Case.objects.select_related("person").get(pk=case.pk)
    assert case.summary == "Found at the port, passport withheld by the employer."
    assert case.person.given_name == "Canary-Zorglub"


def test_rotation_reseals_each_value_with_a_fresh_nonce_under_the_new_key(db, settings):
    made = make_people(settings, ["k1"], 30)
    blobs = raw_blobs(made)
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2", "k1")
    rotate(batch_size=7, verbosity=0)
    after = raw_blobs(made)
    for pk in made:
        for old, new in zip(blobs[pk], after[pk], strict=True):
            assert (old is None) == (new is None)
            if old is not None:
                assert old != new and crypto.key_id_of(new) == "k2"
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2")
    assert_reads(made)


def test_rotation_only_rewrites_values_under_an_old_key(db, settings):
    made = make_people(settings, ["k1"], 3)
    pk = next(iter(made))
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2", "k1")
    person = Person.objects.get(pk=pk)
    person.given_name = "Renamed"
    person.save()
    made[pk]["given_name"] = "Renamed"
    kept = raw_blobs([pk])[pk]
    output = rotate(verbosity=1)
    rotated = raw_blobs([pk])[pk]
    assert rotated[0] == kept[0]  # given_name was already under k2
    assert all(new != old for new, old in zip(rotated[1:], kept[1:], strict=True) if old)
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2")
    assert_reads(made)
    assert "cases.Person: 3/3 rows (100%), 3 re-encrypted" in output


def test_dry_run_writes_nothing_and_counts(db, settings):
    made = make_people(settings, ["k1"], 40)
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2", "k1")
    blobs = raw_blobs(made)
    output = rotate(dry_run=True, batch_size=9)
    assert raw_blobs(made) == blobs
    values = sum(stored_key_ids(Person, PERSON_FIELDS, made).values())
    assert f"Dry run: {values} values in 40 rows would be re-encrypted under 'k2'" in output
    assert "cases.Person: 40/40 rows (100%), 40 to re-encrypt" in output


def test_rotation_twice_changes_nothing_the_second_time(db, settings):
    made = make_people(settings, ["k1"], 12)
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2", "k1")
    rotate(batch_size=5)
    blobs = raw_blobs(made)
    output = rotate(batch_size=5)
    assert raw_blobs(made) == blobs
    assert "Re-encrypted 0 values in 0 rows under 'k2'" in output


def test_rotation_resumes_after_limit(db, settings):
    made = make_people(settings, ["k1"], 50)
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2", "k1")
    output = rotate(batch_size=8, limit=20)
    assert "Stopped at --limit" in output
    rows_by_kid = _rows_by_primary_kid(made)
    assert rows_by_kid == {"k2": 20, "k1": 30}
    output = rotate(batch_size=8)
    assert _rows_by_primary_kid(made) == {"k2": 50}
    assert "Re-encrypted" in output and "in 30 rows" in output
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2")
    assert_reads(made)


def test_rotation_resumes_after_an_interruption(db, settings, monkeypatch):
    made = make_people(settings, ["k1"], 50)
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2", "k1")
    batches = []

    def interrupt_after_three(self, model, tally):
        if model is Person:
            batches.append(tally.scanned)
            if len(batches) == 3:
                raise KeyboardInterrupt

    monkeypatch.setattr(rotate_field_keys.Command, "after_batch", interrupt_after_three)
    with pytest.raises(CommandError, match="Interrupted"):
        rotate(batch_size=10)
    assert _rows_by_primary_kid(made) == {"k2": 30, "k1": 20}
    monkeypatch.undo()
    rotate(batch_size=10)
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2")
    assert_reads(made)


def test_rotation_reports_values_it_cannot_decrypt_and_rotates_the_rest(db, settings):
    readable = make_people(settings, ["k1"], 10)
    lost = make_people(settings, ["k5"], 1, start=100)
    tampered_pk = next(iter(readable))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_person SET phone = set_byte(phone, 30, get_byte(phone, 30) # 1)"
            " WHERE id = %s",
            [tampered_pk],
        )
    settings.FIELD_ENCRYPTION_KEYS = keyring("k2", "k1")
    blobs = raw_blobs(list(readable) + list(lost))
    with pytest.raises(CommandError, match="6 values cannot be decrypted"):
        rotate(dry_run=True)  # a dry run finds them too, and writes nothing
    assert raw_blobs(list(readable) + list(lost)) == blobs
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("rotate_field_keys", stdout=out)
    message = str(error.value)
    lost_pk = next(iter(lost))
    assert "6 values cannot be decrypted" in message  # 5 of the lost row + the tampered phone
    assert f"cases.Person {tampered_pk} phone" in message
    assert f"cases.Person {lost_pk} given_name" in message
    assert "Given-" not in message + out.getvalue()
    assert "can be removed" not in out.getvalue()
    # Everything else moved to k2; the failures stay as they were, for a later run.
    counts = stored_key_ids(Person, PERSON_FIELDS, readable)
    assert counts == {"k2": counts["k2"], "k1": 1}
    assert stored_key_ids(Person, PERSON_FIELDS, lost) == {"k5": 5}


def test_rotation_refuses_bad_options(db):
    with pytest.raises(CommandError, match="--batch-size"):
        rotate(batch_size=0)
    with pytest.raises(CommandError, match="--limit"):
        rotate(limit=0)


def _rows_by_primary_kid(made) -> dict:
    counts = {}
    for _pk, given_name in Person.objects.filter(pk__in=made).values_list("pk", "given_name"):
        kid = crypto.key_id_of(given_name.blob)
        counts[kid] = counts.get(kid, 0) + 1
    return counts
