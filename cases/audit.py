"""Audit of case-side models: auditlog registration, access entries, transition entries.

Protected values never reach an entry: encrypted fields are found on each model and masked by a
constant (auditlog's default masker keeps half the string), ``__str__`` of case-side models never
contains personal data, and transition entries reference a reason by its row, never copy it.
"""

from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEntry
from cases.fields import EncryptedField

MASK = "[protected]"


def mask(value) -> str:
    """auditlog's mask callable: a constant, whatever the value."""
    return MASK


def encrypted_field_names(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]


def register(model, **options):
    auditlog.register(
        model,
        mask_fields=encrypted_field_names(model),
        mask_callable="cases.audit.mask",
        serialize_data=False,
        **options,
    )


def register_models():
    """Every case-side model is audited; encrypted fields are masked on each."""
    from cases import models

    register(models.Person)
    register(models.Case, m2m_fields={"exploitation_forms"})
    for model in (
        models.Consent,
        models.Note,
        models.ServiceRecord,
        models.StageChange,
        models.ConsentOverride,
    ):
        register(model)


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record_case_access(case, *, actor, request=None, channel: str) -> AuditEntry:
    """Write the access entry for one read of a case's detail (UI or API)."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(case)),
        object_pk=str(case.pk),
        object_repr=case.reference,
        action=AuditEntry.Action.ACCESS,
        actor=actor,
        remote_addr=client_address(request),
        additional_data={
            "organisation": actor.organisation_id,
            "channel": channel,
        },
    )


def record_event(obj, *, actor, event: str, repr_text: str | None = None, **data) -> AuditEntry:
    """An entry for a domain event (a transition, an override, a grant): names and ids only."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_pk=str(obj.pk),
        object_repr=repr_text or str(obj),
        action=AuditEntry.Action.UPDATE,
        actor=actor,
        additional_data={"event": event, "organisation": actor.organisation_id, **data},
    )
