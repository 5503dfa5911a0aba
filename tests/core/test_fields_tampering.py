"""core.fields: tampered, moved or wrongly keyed values raise; lookups and bulk writes that would
bypass the encryption are refused."""

import datetime
import uuid

import pytest
from django.core.exceptions import FieldError
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Person
from core import crypto
from tests.core.fields_support import K1, K2, K3, make_case, raw, reload, run_sql

# Each hypothesis example makes its own Person, inside the test's one transaction (examples do
# not roll back one by one); the function-scoped db fixture is shared on purpose.
db_examples = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@db_examples
@given(data=st.data())
def test_any_flipped_byte_in_the_database_raises_on_read(db, data):
    value = data.draw(st.text(max_size=40) | st.integers() | st.booleans() | st.dates())
    person = Person.objects.create(given_name=value)
    length = len(raw(person, "given_name"))
    position = data.draw(st.integers(0, length - 1), label="position")
    mask = data.draw(st.integers(1, 255), label="mask")
    run_sql(
        "UPDATE cases_person SET given_name = set_byte(given_name, %s, "
        "get_byte(given_name, %s) # %s) WHERE id = %s",
        [position, position, mask, person.pk],
    )
    loaded = reload(person)
    with pytest.raises(crypto.DecryptionError):
        loaded.given_name  # noqa: B018


@pytest.mark.parametrize(
    "sql",
    [
        "substring(given_name from 1 for length(given_name) - 1)",  # tag cut short
        "substring(given_name from 1 for 20)",  # header and part of the nonce
        "''::bytea",
        "given_name || '\\x00'::bytea",
        "overlay(given_name placing '\\x00'::bytea from 3 for 1)",  # key id altered
    ],
)
def test_truncated_or_extended_value_raises_on_read(db, sql):
    person = Person.objects.create(given_name="Amina")
    run_sql(f"UPDATE cases_person SET given_name = {sql} WHERE id = %s", [person.pk])  # noqa: S608
    with pytest.raises(crypto.DecryptionError):
        reload(person).given_name  # noqa: B018


def test_reading_with_a_keyring_without_the_key_id_raises(keys, db):
    person = Person.objects.create(given_name="Amina")
    keys.FIELD_ENCRYPTION_KEYS = f"k2:{K2}"
    with pytest.raises(crypto.DecryptionError, match="no key with id 'k1'"):
        reload(person).given_name  # noqa: B018


def test_reading_with_another_key_under_the_same_id_raises(keys, db):
    person = Person.objects.create(given_name="Amina", date_of_birth=datetime.date(2001, 2, 3))
    keys.FIELD_ENCRYPTION_KEYS = f"k1:{K3},k2:{K2}"
    loaded = reload(person)
    with pytest.raises(crypto.DecryptionError, match="authentication failed"):
        loaded.given_name  # noqa: B018
    with pytest.raises(crypto.DecryptionError):
        loaded.date_of_birth  # noqa: B018


def test_reading_with_the_old_key_as_secondary_works(keys, db):
    person = Person.objects.create(given_name="Amina")
    keys.FIELD_ENCRYPTION_KEYS = f"k3:{K3},k1:{K1}"
    assert reload(person).given_name == "Amina"


def test_failed_read_is_not_cached_as_a_value(keys, db):
    person = Person.objects.create(given_name="Amina")
    keys.FIELD_ENCRYPTION_KEYS = f"k2:{K2}"
    loaded = reload(person)
    for _ in range(2):
        with pytest.raises(crypto.DecryptionError):
            loaded.given_name  # noqa: B018


def test_ciphertext_moved_to_another_row_raises(db):
    source = Person.objects.create(given_name="Amina")
    target = Person.objects.create(given_name="Kofi")
    run_sql(
        "UPDATE cases_person SET given_name = (SELECT given_name FROM cases_person WHERE id = %s)"
        " WHERE id = %s",
        [source.pk, target.pk],
    )
    with pytest.raises(crypto.DecryptionError):
        reload(target).given_name  # noqa: B018
    assert reload(source).given_name == "Amina"


@pytest.mark.parametrize("target", ["family_name", "address", "document_number", "phone"])
def test_ciphertext_moved_to_another_field_of_the_row_raises(db, target):
    person = Person.objects.create(given_name="Amina", **{target: "other"})
    run_sql(
        f"UPDATE cases_person SET {target} = given_name WHERE id = %s",  # noqa: S608
        [person.pk],
    )
    with pytest.raises(crypto.DecryptionError):
        getattr(reload(person), target)


def test_ciphertext_moved_to_another_model_raises(cast):
    case = make_case(cast, summary="Shelter needed tonight.")
    run_sql(
        "UPDATE cases_case SET summary = (SELECT given_name FROM cases_person WHERE id = %s)"
        " WHERE id = %s",
        [case.person.pk, case.pk],
    )
    with pytest.raises(crypto.DecryptionError):
        reload(case).summary  # noqa: B018


def test_row_id_is_bound_even_with_the_same_value(db):
    # Two rows holding the same value still cannot swap ciphertexts.
    first = Person.objects.create(given_name="Same")
    second = Person.objects.create(given_name="Same")
    run_sql(
        "UPDATE cases_person SET given_name = (SELECT given_name FROM cases_person WHERE id = %s)"
        " WHERE id = %s",
        [first.pk, second.pk],
    )
    with pytest.raises(crypto.DecryptionError):
        reload(second).given_name  # noqa: B018


@pytest.mark.parametrize(
    "lookup",
    [
        {"given_name": "Amina"},
        {"given_name__exact": "Amina"},
        {"given_name__iexact": "amina"},
        {"given_name__contains": "Am"},
        {"given_name__icontains": "am"},
        {"given_name__in": ["Amina", "Kofi"]},
        {"given_name__startswith": "A"},
        {"given_name__endswith": "a"},
        {"given_name__gt": "A"},
        {"date_of_birth__lt": datetime.date(2000, 1, 1)},
        {"date_of_birth__year": 2000},
        {"phone__regex": "^06"},
        {"case__summary__icontains": "bus"},
    ],
)
def test_lookups_other_than_isnull_raise(db, lookup):
    with pytest.raises(FieldError, match="encrypted: only 'isnull'"):
        Person.objects.filter(**lookup)
    with pytest.raises(FieldError):
        Person.objects.exclude(**lookup)
    with pytest.raises(FieldError):
        Person.objects.filter(Q(**lookup) | Q(pk=uuid.uuid4()))


def test_isnull_lookup_works(db):
    with_phone = Person.objects.create(given_name="A", phone="0600")
    without_phone = Person.objects.create(given_name="B")
    ids = [with_phone.pk, without_phone.pk]
    assert list(Person.objects.filter(pk__in=ids, phone__isnull=True)) == [without_phone]
    assert list(Person.objects.filter(pk__in=ids, phone__isnull=False)) == [with_phone]
    assert list(Person.objects.filter(pk__in=ids).exclude(phone__isnull=True)) == [with_phone]


@pytest.mark.parametrize("value", ["Amina", 0, False, "", datetime.date(2000, 1, 1)])
def test_queryset_update_with_plaintext_raises(db, value):
    person = Person.objects.create(given_name="Kofi")
    with pytest.raises(FieldError, match="would store it unencrypted"), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(given_name=value)
    assert reload(person).given_name == "Kofi"
    assert b"Amina" not in raw(person, "given_name")


def test_bulk_update_with_plaintext_raises(db):
    people = [Person.objects.create(given_name=f"P{n}") for n in range(3)]
    for person in people:
        person.given_name = "Changed"
    with pytest.raises(FieldError, match="would store it unencrypted"), transaction.atomic():
        Person.objects.bulk_update(people, ["given_name"])
    assert [reload(p).given_name for p in people] == ["P0", "P1", "P2"]


def test_bulk_update_refuses_encrypted_fields_even_unchanged(db):
    # bulk_update reads the attribute (the plaintext), so it can never write ciphertext.
    people = [Person.objects.create(given_name=f"P{n}") for n in range(2)]
    loaded = list(Person.objects.filter(pk__in=[p.pk for p in people]))
    with pytest.raises(FieldError), transaction.atomic():
        Person.objects.bulk_update(loaded, ["given_name"])
    Person.objects.bulk_update(loaded, ["name_dob_index"])  # clear fields still work
    assert sorted(reload(p).given_name for p in people) == ["P0", "P1"]


def test_queryset_update_to_none_clears_the_value(db):
    person = Person.objects.create(given_name="Kofi", phone="0600")
    Person.objects.filter(pk=person.pk).update(phone=None)
    assert reload(person).phone is None
    assert reload(person).given_name == "Kofi"
