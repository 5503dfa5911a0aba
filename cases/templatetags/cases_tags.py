from django import template
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry

register = template.Library()

ACTIONS = {
    AuditEntry.Action.CREATE: _("created"),
    AuditEntry.Action.UPDATE: _("changed"),
    AuditEntry.Action.DELETE: _("deleted"),
    AuditEntry.Action.ACCESS: _("viewed"),
}


@register.filter
def audit_action(entry) -> str:
    data = entry.additional_data or {}
    if data.get("event"):
        return data["event"].replace("_", " ")
    return str(ACTIONS.get(entry.action, entry.action))


@register.filter
def audit_fields(entry) -> str:
    """The names of the fields an entry changed; values are never shown."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    return ", ".join(sorted(changes))
