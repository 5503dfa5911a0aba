"""What the organisation's supervisors read about its accounts: the changes waiting for them and
the account activity (the audit entries that concern the organisation)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import AccountChange, Organisation, User
from accounts.primitives import CONCERNS
from accounts.roles import Role
from accounts.rules import pending_decidable_by
from audit.events import Event
from audit.models import AuditEntry

ACTIVITY_LABELS = {
    Event.ACCOUNT_CREATED: _("Account asked for"),
    Event.ACCOUNT_APPROVED: _("Account approved"),
    Event.ACCOUNT_REJECTED: _("Account rejected"),
    Event.ROLE_CHANGE_REQUESTED: _("Role change asked for"),
    Event.ROLE_CHANGED: _("Role changed"),
    Event.ROLE_CHANGE_REJECTED: _("Role change rejected"),
    Event.MOVE_REQUESTED: _("Move asked for"),
    Event.MOVED: _("Moved"),
    Event.MOVE_REJECTED: _("Move rejected"),
    Event.EMAIL_CHANGE_REQUESTED: _("Email address change asked for"),
    Event.EMAIL_CHANGED: _("Email address changed"),
    Event.EMAIL_CHANGE_REJECTED: _("Email address change rejected"),
    Event.ACCOUNT_DETAILS_CHANGED: _("Name corrected"),
    Event.ACCOUNT_ACTIVATED: _("Account activated"),
    Event.ACCOUNT_DEACTIVATED: _("Account deactivated"),
    Event.PASSWORD_RESET_REQUESTED: _("Password reset link sent"),
    Event.PASSWORD_CHANGED: _("Password set by its owner"),
    Event.ORGANISATION_CREATED: _("Organisation created"),
    Event.ORGANISATION_CHANGED: _("Organisation changed"),
    Event.PASSKEY_REGISTERED: _("Passkey added"),
    Event.PASSKEY_REMOVED: _("Passkey removed"),
}
ROLE_LABELS = dict(Role.choices)


def passkeys_of(user) -> QuerySet[WebAuthnCredential]:
    """The user's own passkeys, oldest first, with what the page shows."""
    return (
        WebAuthnCredential.objects.filter(user=user, confirmed=True)
        .only("pk", "name", "created_at", "last_used_at")
        .order_by("created_at", "pk")
    )


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def pending_approvals(user) -> QuerySet[AccountChange]:
    """The changes waiting for ``user``'s decision, oldest first, with what the page shows."""
    return (
        pending_decidable_by(user)
        .select_related("user", "user__organisation", "requested_organisation", "requested_by")
        .order_by("requested_at", "pk")
    )


def account_activity(organisation: Organisation) -> QuerySet[AuditEntry]:
    """Every entry on an account or on the organisation itself that concerns ``organisation``,
    newest first (one query per page; the organisations named are read by ``activity_rows``)."""
    types = ContentType.objects.get_for_models(User, Organisation).values()
    return (
        AuditEntry.objects.filter(
            content_type__in=[t.pk for t in types],
            **{f"additional_data__{CONCERNS}__contains": [organisation.pk]},
        )
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )


@dataclass(frozen=True)
class ActivityRow:
    when: object
    what: str
    subject: str
    actor: str
    details: list[str]


def describe(data: dict, names: dict[int, str]) -> list[str]:
    """What changed, in words: roles and organisations by name, fields by name."""
    details = []
    if "to_role" in data:
        details.append(
            _("role: %(old)s → %(new)s")
            % {
                "old": ROLE_LABELS.get(data.get("from_role"), "—"),
                "new": ROLE_LABELS.get(data["to_role"], "—"),
            }
        )
    elif "role" in data:
        details.append(_("role: %(role)s") % {"role": ROLE_LABELS.get(data["role"], "—")})
    if "to_organisation" in data:
        details.append(
            _("organisation: %(old)s → %(new)s")
            % {
                "old": names.get(data.get("from_organisation"), "—"),
                "new": names.get(data["to_organisation"], "—"),
            }
        )
    if data.get("fields"):
        details.append(_("fields: %(fields)s") % {"fields": ", ".join(data["fields"])})
    return details


def activity_rows(entries) -> list[ActivityRow]:
    """One page of ``account_activity`` for display: one more query, for the organisations."""
    entries = list(entries)
    ids = {
        entry.additional_data.get(key)
        for entry in entries
        for key in ("from_organisation", "to_organisation")
    } - {None}
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    return [
        ActivityRow(
            when=entry.timestamp,
            what=ACTIVITY_LABELS.get(entry.additional_data.get("event"), _("Change")),
            subject=entry.object_repr,
            actor=entry.actor.get_username() if entry.actor else _("(not logged in)"),
            details=describe(entry.additional_data, names),
        )
        for entry in entries
    ]
