"""Who holds which object permission on a case, derived from the case's own data.

The permission rows are a projection of the domain: the registering and lead organisations and
the referrals decide them. ``sync_case_access`` recomputes the wanted rows and adds or removes
the difference, so access is never granted twice and is revoked only when no other relation
still grants it. Call it inside the transaction that changed the relation.
"""

from django.contrib.auth.models import Permission

from cases.models import Case, CaseGroupObjectPermission

VIEW_CASE = "view_case"
VIEW_IDENTITY = "view_identity"
FULL = frozenset({VIEW_CASE, VIEW_IDENTITY})
PROFILE_ONLY = frozenset({VIEW_CASE})


def _permissions() -> dict[str, Permission]:
    rows = Permission.objects.filter(
        content_type__app_label="cases", codename__in=[VIEW_CASE, VIEW_IDENTITY]
    )
    return {p.codename: p for p in rows}


def wanted_access(case: Case) -> dict[int, frozenset[str]]:
    """Organisation id → permission codenames that the case's relations grant."""
    wanted: dict[int, set[str]] = {}

    def grant(organisation_id, codenames):
        wanted.setdefault(organisation_id, set()).update(codenames)

    grant(case.registering_organisation_id, FULL)
    grant(case.lead_organisation_id, FULL)
    for organisation_id, codenames in referral_access(case):
        grant(organisation_id, codenames)
    return {org: frozenset(perms) for org, perms in wanted.items()}


def referral_access(case: Case):
    """Access that follows from the case's referrals (empty until the referral app is installed)."""
    from django.apps import apps

    if not apps.is_installed("referral"):
        return []
    from referral.access import access_from_referrals

    return access_from_referrals(case)


def sync_case_access(case: Case) -> dict[str, list]:
    """Make the permission rows match ``wanted_access``; return what was granted and revoked."""
    from accounts.models import Organisation

    permissions = _permissions()
    wanted = wanted_access(case)
    groups = dict(Organisation.objects.filter(pk__in=wanted).values_list("pk", "group_id"))
    wanted_rows = {
        (groups[org], permissions[codename].pk)
        for org, codenames in wanted.items()
        for codename in codenames
    }
    existing = {
        (row.group_id, row.permission_id): row.pk
        for row in CaseGroupObjectPermission.objects.filter(content_object=case)
    }
    to_add = wanted_rows - existing.keys()
    to_remove = [pk for key, pk in existing.items() if key not in wanted_rows]
    CaseGroupObjectPermission.objects.bulk_create(
        [
            CaseGroupObjectPermission(content_object=case, group_id=group, permission_id=perm)
            for group, perm in sorted(to_add)
        ]
    )
    if to_remove:
        CaseGroupObjectPermission.objects.filter(pk__in=to_remove).delete()
    return {"granted": sorted(to_add), "revoked": sorted(to_remove)}


def organisation_permissions(case: Case, organisation) -> set[str]:
    """The codenames an organisation holds on a case (for checks in services)."""
    if organisation is None:
        return set()
    return set(
        CaseGroupObjectPermission.objects.filter(
            content_object=case, group_id=organisation.group_id
        ).values_list("permission__codename", flat=True)
    )
