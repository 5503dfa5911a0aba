"""EncryptedField through the real database: round trips, tampering, keys, moved values, queries."""

import base64
import datetime
import uuid

import pytest
from django.core import serializers
from django.core.exceptions import FieldError
from django.db import connection, transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Person
from cases.registration import CaseData, PersonData, register_case
from core import crypto
from core.fields import Sealed
from reference.models import ExploitationForm, Region

PERSON_FIELDS = [
    "given_name",
    "family_name",
    "date_of_birth",
    "phone",
    "address",
    "document_number",
]

# Each hypothesis example makes its own Person, inside the test's one transaction (examples do
# not roll back one by one); the function-scoped db fixture is shared on purpose.
db_examples = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def key(byte: int) -> str:
    return base64.b64encode(bytes([byte]) * 32).decode()


K1, K2, K3 = key(1), key(2), key(3)


@pytest.fixture
def keys(settings):
    """A known keyring (k1 encrypts), swapped in through the setting like a deployment would."""
    settings.FIELD_ENCRYPTION_KEYS = f"k1:{K1},k2:{K2}"
    return settings


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def raw(obj, column: str) -> bytes | None:
    table = connection.ops.quote_name(obj._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [obj.pk],
        )
        value = cursor.fetchone()[0]
    return None if value is None else bytes(value)


def run_sql(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def make_case(cast, *, summary="Met at the bus station; works without pay.", **person):
    person.setdefault("given_name", "Amina")
    person.setdefault("sex", "female")
    return register_case(
        actor=cast.police,
        person=PersonData(**person),
        case=CaseData(
            identified_on=datetime.date(2024, 3, 1),
            region=Region.objects.get(code="MA-06"),
            exploitation_forms=[ExploitationForm.objects.get(code="ForcedLabour")],
            summary=summary,
        ),
    )


# --- Round trips ----------------------------------------------------------------------------------


@db_examples
@given(value=st.text())
def test_text_round_trips_exactly(db, value):
    person = Person.objects.create(given_name=value)
    loaded = reload(person).given_name
    assert loaded == value
    assert type(loaded) is str


@db_examples
@given(value=st.text(min_size=2000, max_size=20000))
def test_long_text_round_trips_exactly(db, value):
    person = Person.objects.create(address=value)
    assert reload(person).address == value


def test_very_long_text_round_trips(db):
    value = "Rue des Fleurs, Casablanca — بيت ✓ " * 30000  # ~1 MB
    person = Person.objects.create(address=value)
    assert reload(person).address == value


@db_examples
@given(value=st.integers())
def test_integers_round_trip_exactly(db, value):
    person = Person.objects.create(phone=value)
    loaded = reload(person).phone
    assert loaded == value
    assert type(loaded) is int


@db_examples
@given(value=st.dates())
def test_dates_round_trip_exactly(db, value):
    person = Person.objects.create(date_of_birth=value)
    loaded = reload(person).date_of_birth
    assert loaded == value
    assert type(loaded) is datetime.date


@db_examples
@given(
    value=st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=50)
    | st.dates()
    | st.lists(st.text(max_size=10), max_size=5)
    | st.dictionaries(st.text(max_size=10), st.integers(), max_size=5)
)
def test_any_supported_value_round_trips_with_its_type(db, value):
    person = Person.objects.create(document_number=value)
    loaded = reload(person).document_number
    assert loaded == value
    assert type(loaded) is type(value)


@pytest.mark.parametrize("value", ["", 0, False, None, [], {}])
def test_falsy_values_stay_distinct(db, value):
    person = Person.objects.create(phone=value)
    loaded = reload(person).phone
    assert loaded == value
    assert type(loaded) is type(value)


def test_none_is_stored_as_sql_null_and_empty_string_is_not(db):
    person = Person.objects.create(given_name="", family_name=None)
    assert raw(person, "family_name") is None
    assert raw(person, "given_name") is not None
    assert list(Person.objects.filter(pk=person.pk, family_name__isnull=True)) == [person]
    assert list(Person.objects.filter(pk=person.pk, given_name__isnull=True)) == []
    assert list(Person.objects.filter(pk=person.pk, given_name__isnull=False)) == [person]


@pytest.mark.parametrize(
    "value", [datetime.datetime(2024, 1, 1, 12, 0), 1.5, b"bytes", {1, 2}, object()]
)
def test_unsupported_types_raise_and_store_nothing(db, value):
    person = Person(given_name=value)
    with pytest.raises(TypeError), transaction.atomic():
        person.save()
    assert not Person.objects.filter(pk=person.pk).exists()


def test_value_reads_back_on_the_saved_instance_and_save_does_not_reencrypt(db):
    person = Person.objects.create(given_name="Amina", family_name="El Idrissi")
    assert person.given_name == "Amina"
    blob = raw(person, "given_name")
    person.save()
    reload(person).save()
    assert raw(person, "given_name") == blob
    person.given_name = "Amina B."
    person.save()
    assert raw(person, "given_name") != blob
    assert reload(person).given_name == "Amina B."


def test_deferred_and_refreshed_values_decrypt(db):
    person = Person.objects.create(given_name="Kofi", phone="+212 600 000 001")
    deferred = Person.objects.only("id").get(pk=person.pk)
    assert deferred.given_name == "Kofi"
    person.refresh_from_db()
    assert person.phone == "+212 600 000 001"


def test_bulk_create_encrypts(db):
    people = Person.objects.bulk_create([Person(given_name=f"Name {n}", phone=n) for n in range(3)])
    for n, person in enumerate(people):
        assert b"Name" not in raw(person, "given_name")
        assert reload(person).given_name == f"Name {n}"
        assert reload(person).phone == n


def test_case_summary_round_trips(cast):
    case = make_case(cast, summary="")
    assert reload(case).summary == ""
    assert reload(case).person.given_name == "Amina"


def test_copied_instance_is_encrypted_for_its_new_row(db):
    # Django's documented way to copy a row: clear the pk and save. The values must be bound to
    # the new row, not carried over still sealed for the old one.
    person = Person.objects.create(given_name="Amina", family_name="Tazi")
    copy = Person.objects.get(pk=person.pk)
    copy.pk = None
    copy._state.adding = True
    copy.save()
    assert copy.pk != person.pk
    assert reload(copy).given_name == "Amina"
    assert reload(copy).family_name == "Tazi"
    assert reload(person).given_name == "Amina"


def test_instance_moved_to_another_primary_key_reads_before_and_after_saving(db):
    person = Person.objects.create(given_name="Kofi", phone=0)
    moved = Person.objects.get(pk=person.pk)
    moved.pk = uuid.uuid4()
    assert moved.given_name == "Kofi"  # still opened with the row it was read from
    moved.save(force_insert=True)
    assert reload(moved).given_name == "Kofi"
    assert reload(moved).phone == 0


# --- What the database holds ----------------------------------------------------------------------


CANARY = "Zorglub Quixotique-Ñandú"


def test_stored_column_contains_neither_plaintext_nor_its_hex(cast):
    case = make_case(
        cast,
        given_name=CANARY,
        family_name=CANARY,
        document_number=CANARY,
        phone=CANARY,
        address=CANARY,
        summary=CANARY,
    )
    needles = [
        CANARY.encode(),
        CANARY.encode().hex().encode(),
        CANARY.lower().encode(),
        b"Zorglub",
    ]
    for column in PERSON_FIELDS:
        if column == "date_of_birth":
            continue
        blob = raw(case.person, column)
        assert all(needle not in blob for needle in needles), column
    assert all(needle not in raw(case, "summary") for needle in needles)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_to_json(p)::text FROM cases_person p WHERE id = %s", [case.person.pk]
        )
        person_row = cursor.fetchone()[0]
        cursor.execute("SELECT row_to_json(c)::text FROM cases_case c WHERE id = %s", [case.pk])
        case_row = cursor.fetchone()[0]
    for text in (person_row, case_row):
        assert "Zorglub" not in text
        assert "zorglub" not in text.lower()
        assert b"Zorglub".hex() not in text


def test_serialisers_and_values_never_see_the_plaintext(db):
    person = Person.objects.create(given_name=CANARY)
    dumped = serializers.serialize("json", [person])
    assert "Zorglub" not in dumped
    assert "[protected]" in dumped
    [sealed] = Person.objects.filter(pk=person.pk).values_list("given_name", flat=True)
    assert isinstance(sealed, Sealed)
    assert repr(sealed) == "<Sealed>"
    assert "Zorglub" not in str(Person.objects.filter(pk=person.pk).values())


def test_blob_carries_the_first_key_id(keys, db):
    person = Person.objects.create(given_name="Amina")
    assert raw(person, "given_name")[:4] == bytes([crypto.VERSION, 2]) + b"k1"
    keys.FIELD_ENCRYPTION_KEYS = f"k2:{K2},k1:{K1}"
    person.family_name = "Tazi"
    person.save()
    assert crypto.key_id_of(raw(person, "family_name")) == "k2"
    assert crypto.key_id_of(raw(person, "given_name")) == "k1"
    assert reload(person).given_name == "Amina"
    assert reload(person).family_name == "Tazi"


# --- Tampering, wrong keys, moved values ----------------------------------------------------------


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


# --- Queries --------------------------------------------------------------------------------------


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
