"""auditlog registration with every protected value masked.

Protected fields (encrypted fields, and blind indexes, which are derived from identity) are
found on each model by type, so a new protected column is masked without anyone remembering
to, and masked by a constant: auditlog's default masker keeps half the string.
Each app registers its own models from its ``AppConfig.ready``.
"""

from auditlog.registry import auditlog

from core.fields import BlindIndexField, EncryptedField

MASK = "[protected]"


def mask(value) -> str:
    """auditlog's mask callable: a constant, whatever the value."""
    return MASK


PROTECTED_FIELD_TYPES = (EncryptedField, BlindIndexField)


def protected_field_names(model) -> list[str]:
    """Every encrypted field and blind index of ``model``: masked in its audit entries."""
    return [f.name for f in model._meta.concrete_fields if isinstance(f, PROTECTED_FIELD_TYPES)]


def register(model, **options) -> None:
    """Audit every change of ``model``, its protected fields masked, no serialized copy."""
    auditlog.register(
        model,
        mask_fields=protected_field_names(model),
        mask_callable="audit.registry.mask",
        serialize_data=False,
        **options,
    )
