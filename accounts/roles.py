"""Roles and the global permissions each carries: data the auth backend and the tests read.

Object access to cases is never a role's: it is granted to organisations (see DESIGN.md). A role
only says what kind of action a user may take at all; the relation to the case is checked by the
services and the visibility querysets.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    POLICE_OFFICER = "police_officer", _("Police officer")
    HEALTH_WORKER = "health_worker", _("Health worker")
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    STATUS_AUTHORITY = "status_authority", _("Status authority")
    COMMISSION_MEMBER = "commission_member", _("Commission member")
    COORDINATOR = "coordinator", _("National coordinator")
    ADMINISTRATOR = "administrator", _("System administrator")


class OrganisationKind(models.TextChoices):
    POLICE = "police", _("Police")
    GENDARMERIE = "gendarmerie", _("Gendarmerie")
    HEALTH = "health", _("Health service")
    NGO = "ngo", _("NGO or shelter")
    SOCIAL_SERVICES = "social_services", _("Social services")
    AUTHORITY = "authority", _("Status authority")
    COMMISSION = "commission", _("National commission")
    MINISTRY = "ministry", _("Ministry")
    INTERNATIONAL = "international", _("International organisation")


# Organisation kinds that take part in the referral mechanism and can register cases.
FRONTLINE_KINDS = frozenset(
    {
        OrganisationKind.POLICE,
        OrganisationKind.GENDARMERIE,
        OrganisationKind.HEALTH,
        OrganisationKind.NGO,
        OrganisationKind.SOCIAL_SERVICES,
        OrganisationKind.INTERNATIONAL,
    }
)

# Which roles a member of each kind of organisation may hold.
ROLES_BY_KIND = {
    OrganisationKind.POLICE: {Role.POLICE_OFFICER, Role.SUPERVISOR},
    OrganisationKind.GENDARMERIE: {Role.POLICE_OFFICER, Role.SUPERVISOR},
    OrganisationKind.HEALTH: {Role.HEALTH_WORKER, Role.SUPERVISOR},
    OrganisationKind.NGO: {Role.CASEWORKER, Role.SUPERVISOR},
    OrganisationKind.SOCIAL_SERVICES: {Role.CASEWORKER, Role.SUPERVISOR},
    OrganisationKind.INTERNATIONAL: {Role.CASEWORKER, Role.SUPERVISOR},
    OrganisationKind.AUTHORITY: {Role.STATUS_AUTHORITY},
    OrganisationKind.COMMISSION: {Role.COMMISSION_MEMBER, Role.COORDINATOR},
    OrganisationKind.MINISTRY: {Role.COORDINATOR},
}

OPERATIONAL_ROLES = frozenset(
    {
        Role.POLICE_OFFICER,
        Role.HEALTH_WORKER,
        Role.CASEWORKER,
        Role.SUPERVISOR,
        Role.STATUS_AUTHORITY,
    }
)
FRONTLINE_ROLES = frozenset(
    {Role.POLICE_OFFICER, Role.HEALTH_WORKER, Role.CASEWORKER, Role.SUPERVISOR}
)

_ACCOUNTS_ADMIN = frozenset(
    {
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_organisation",
        "accounts.add_organisation",
        "accounts.change_organisation",
        # The changes waiting for approval, which a second administrator may decide.
        "accounts.view_accountchange",
        # Login lockouts: to see them and lift one (accounts.admin.LockoutAdmin).
        "axes.view_accessattempt",
    }
)

# Global (not object) permissions per role. Case-side permissions are declared on their models.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.POLICE_OFFICER: frozenset({"cases.add_case"}),
    Role.HEALTH_WORKER: frozenset({"cases.add_case"}),
    Role.CASEWORKER: frozenset({"cases.add_case"}),
    Role.SUPERVISOR: frozenset({"cases.add_case"}),
    # Status decisions are object-level: an accepted StatusDecision referral (cases.rules).
    Role.STATUS_AUTHORITY: frozenset(),
    Role.COMMISSION_MEMBER: frozenset({"stats.view_statistics"}),
    # Reviews possible duplicates: references, organisations and dates, never identity.
    Role.COORDINATOR: frozenset(),
    Role.ADMINISTRATOR: _ACCOUNTS_ADMIN,
}
