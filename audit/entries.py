"""Writers of the project's own audit entries: reads of a case, and domain events.

Entries hold names and ids only: a protected reason is referenced by its row, never copied,
and ``object_repr`` is the object's ``__str__``, which never contains personal data.
"""

from django.contrib.contenttypes.models import ContentType

from audit.events import Event
from audit.models import AuditEntry
from core import addresses


def client_address(request) -> str | None:
    return addresses.client_address(request) if request is not None else None


def record_access(obj, *, actor, request=None, channel: str, **data) -> AuditEntry:
    """Write the access entry for one read of an object's protected detail (UI or API);
    ``data`` adds ids (the break-glass use a read was made under)."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj._meta.model),
        object_pk=str(obj.pk),
        object_repr=str(obj),
        action=AuditEntry.Action.ACCESS,
        actor=actor,
        remote_addr=client_address(request),
        additional_data={"organisation": actor.organisation_id, "channel": channel, **data},
    )


def record_event(obj, *, actor, event: Event, request=None, **data) -> AuditEntry:
    """An entry for a domain event (a transition, an override): names and ids only; with the
    client's address when the caller passes the request.

    ``actor`` is None only for a request nobody is logged in for (a forgotten password).
    """
    return AuditEntry.objects.create(
        remote_addr=client_address(request),
        content_type=ContentType.objects.get_for_model(obj._meta.model),
        object_pk=str(obj.pk),
        object_repr=str(obj),
        action=AuditEntry.Action.UPDATE,
        actor=actor,
        additional_data={
            "event": Event(event).value,
            "organisation": getattr(actor, "organisation_id", None),
            **data,
        },
    )
