"""Who holds which object permission on a case, derived from the case's own relations.

The permission rows are a projection of the domain. ``access_policy`` is the whole rule, a pure
function from a case's relations (registering organisation, lead organisation, open referrals)
to the grants each organisation holds; ``sync_case_access`` reads those relations, asks the
policy and adds or removes the difference, so access is never granted twice and is revoked only
when no other relation still grants it. The bulk demo seeder asks the same policy.
Call ``sync_case_access`` inside the transaction that changed the relation.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from accounts.models import Organisation
from cases.models import Case, CaseGroupObjectPermission, case_permission_ids
from referral.models import ReferralState

VIEW_CASE = "view_case"
VIEW_IDENTITY = "view_identity"
FULL = frozenset({VIEW_CASE, VIEW_IDENTITY})
PROFILE_ONLY = frozenset({VIEW_CASE})

OPEN_REFERRAL_STATES = (ReferralState.PENDING, ReferralState.ACCEPTED)


@dataclass(frozen=True)
class OpenReferral:
    """A pending or accepted referral, as far as access is concerned."""

    to_organisation_id: int
    accepted: bool


def access_policy(
    *,
    registering_organisation_id: int,
    lead_organisation_id: int,
    open_referrals: Iterable[OpenReferral] = (),
) -> dict[int, frozenset[str]]:
    """Organisation id → the permission codenames it holds on the case.

    The registering and the lead organisation see everything; the receiver of an accepted
    referral too; the receiver of a pending one sees the profile only. Nothing else grants
    access: declined, cancelled and completed referrals are not open.
    """
    wanted: dict[int, set[str]] = {
        registering_organisation_id: set(FULL),
    }
    wanted.setdefault(lead_organisation_id, set()).update(FULL)
    for referral in open_referrals:
        grants = FULL if referral.accepted else PROFILE_ONLY
        wanted.setdefault(referral.to_organisation_id, set()).update(grants)
    return {organisation: frozenset(codenames) for organisation, codenames in wanted.items()}


def wanted_access(case: Case) -> dict[int, frozenset[str]]:
    """The policy applied to the case's relations as they are in the database now."""
    rows = case.referrals.filter(state__in=OPEN_REFERRAL_STATES).values_list(
        "to_organisation_id", "state"
    )
    return access_policy(
        registering_organisation_id=case.registering_organisation_id,
        lead_organisation_id=case.lead_organisation_id,
        open_referrals=[
            OpenReferral(organisation_id, state == ReferralState.ACCEPTED)
            for organisation_id, state in rows
        ],
    )


def sync_case_access(case: Case) -> dict[str, list]:
    """Make the permission rows match ``wanted_access``; return what was granted and revoked."""
    permissions = case_permission_ids()
    wanted = wanted_access(case)
    groups = dict(Organisation.objects.filter(pk__in=wanted).values_list("pk", "group_id"))
    wanted_rows = {
        (groups[org], permissions[codename])
        for org, codenames in wanted.items()
        for codename in codenames
    }
    existing = {
        (row.group_id, row.permission_id): row.pk
        for row in CaseGroupObjectPermission.objects.filter(content_object=case)
    }
    to_add = wanted_rows - existing.keys()
    to_remove = [pk for key, pk in existing.items() if key not in wanted_rows]
    grants = [
        CaseGroupObjectPermission(content_object=case, group_id=group, permission_id=perm)
        for group, perm in sorted(to_add)
    ]
    for grant in grants:
        grant.copy_listing()
    CaseGroupObjectPermission.objects.bulk_create(grants)
    if to_remove:
        CaseGroupObjectPermission.objects.filter(pk__in=to_remove).delete()
    return {"granted": sorted(to_add), "revoked": sorted(to_remove)}
