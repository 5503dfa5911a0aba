"""audit.registry: every encrypted field of every audited model is masked, found on the model."""

import pytest
from auditlog.registry import auditlog
from django.apps import apps

from audit.registry import MASK, encrypted_field_names, mask
from core.fields import EncryptedField

ENCRYPTED_MODELS = [
    model
    for model in apps.get_models()
    if any(isinstance(f, EncryptedField) for f in model._meta.concrete_fields)
]


def test_there_are_encrypted_models_to_check():
    names = {m._meta.label for m in ENCRYPTED_MODELS}
    assert {"cases.Person", "cases.Case", "cases.Note", "referral.Referral"} <= names


@pytest.mark.parametrize("model", ENCRYPTED_MODELS, ids=lambda m: m._meta.label)
def test_every_model_with_an_encrypted_field_is_audited_with_it_masked(model):
    assert auditlog.contains(model)
    masked = auditlog.get_model_fields(model)["mask_fields"]
    expected = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
    assert sorted(masked) == sorted(expected) == sorted(encrypted_field_names(model))


@pytest.mark.parametrize("value", ["Amina", "", 0, None, "x" * 500])
def test_the_mask_is_a_constant(value):
    assert mask(value) == MASK
