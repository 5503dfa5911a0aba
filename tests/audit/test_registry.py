"""audit.registry: every protected field (encrypted or blind index) of every model is masked.

The fields are found on the model by type; the blind indexes are derived from identity, so no
audit entry may carry them either.
"""

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers

from audit.models import AuditEntry
from audit.registry import MASK, mask, protected_field_names
from cases.models import Person
from core.fields import BlindIndexField, EncryptedField
from tests.factories import make_case

PROTECTED = (EncryptedField, BlindIndexField)


def protected(model) -> list[str]:
    return sorted(f.name for f in model._meta.concrete_fields if isinstance(f, PROTECTED))


PROTECTED_MODELS = [model for model in apps.get_models() if protected(model)]


def test_there_are_protected_models_to_check():
    names = {m._meta.label for m in PROTECTED_MODELS}
    assert {"cases.Person", "cases.Case", "cases.Note", "referral.Referral"} <= names


def test_the_person_blind_indexes_are_protected_fields():
    assert {"name_dob_index", "document_index"} <= set(protected_field_names(Person))


@pytest.mark.parametrize("model", PROTECTED_MODELS, ids=lambda m: m._meta.label)
def test_every_model_with_a_protected_field_is_audited_with_all_of_them_masked(model):
    assert auditlog.contains(model)
    masked = auditlog.get_model_fields(model)["mask_fields"]
    assert sorted(masked) == protected(model) == sorted(protected_field_names(model))


@pytest.mark.parametrize("value", ["Amina", "", 0, None, "x" * 500])
def test_the_mask_is_a_constant(value):
    assert mask(value) == MASK


def person_entries(person):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_pk=str(person.pk)
    )


def test_registering_a_case_writes_no_blind_index_into_the_person_audit(cast):
    person = make_case(cast.ngo_a).person
    person.refresh_from_db()
    values = [person.name_dob_index, person.document_index]
    assert all(len(value) == 64 for value in values)
    entries = person_entries(person)
    assert entries.exists()
    for entry in entries:
        serialized = serializers.serialize("json", [entry])
        assert not [value for value in values if value in serialized]
        changes = entry.changes_dict
        for name in ("name_dob_index", "document_index"):
            # Masked like the encrypted fields: the new value is the constant.
            assert changes[name] == changes["given_name"]
            assert changes[name][1] == MASK


def test_no_audit_entry_of_any_kind_contains_a_blind_index(cast):
    case = make_case(cast.ngo_a)
    person = case.person
    person.refresh_from_db()
    values = [person.name_dob_index, person.document_index]
    serialized = serializers.serialize("json", AuditEntry.objects.all())
    assert not [value for value in values if value in serialized]
