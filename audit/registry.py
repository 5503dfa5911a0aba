"""auditlog registration with every protected value masked.

Encrypted fields are found on each model (a new protected column is masked without anyone
remembering to) and masked by a constant: auditlog's default masker keeps half the string.
Each app registers its own models from its ``AppConfig.ready``.
"""

from auditlog.registry import auditlog

from core.fields import EncryptedField

MASK = "[protected]"


def mask(value) -> str:
    """auditlog's mask callable: a constant, whatever the value."""
    return MASK


def encrypted_field_names(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]


def register(model, **options) -> None:
    """Audit every change of ``model``, its encrypted fields masked, no serialized copy."""
    auditlog.register(
        model,
        mask_fields=encrypted_field_names(model),
        mask_callable="audit.registry.mask",
        serialize_data=False,
        **options,
    )
