"""cases.access: the policy as a pure function, and the rows that follow it."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models.signals import post_migrate

from cases.access import FULL, PROFILE_ONLY, OpenReferral, access_policy, sync_case_access
from cases.models import Case, CaseGroupObjectPermission, forget_permission_ids
from tests.factories import make_case
from tests.scenarios import org, organisation_permissions, referral_in_state

REGISTERING, LEAD, OTHER, THIRD = 1, 2, 3, 4


@pytest.mark.parametrize(
    ("referrals", "expected"),
    [
        ([], {REGISTERING: FULL, LEAD: FULL}),
        (
            [OpenReferral(OTHER, accepted=False)],
            {REGISTERING: FULL, LEAD: FULL, OTHER: PROFILE_ONLY},
        ),
        ([OpenReferral(OTHER, accepted=True)], {REGISTERING: FULL, LEAD: FULL, OTHER: FULL}),
        # An accepted referral wins over a pending one to the same organisation.
        (
            [OpenReferral(OTHER, accepted=False), OpenReferral(OTHER, accepted=True)],
            {REGISTERING: FULL, LEAD: FULL, OTHER: FULL},
        ),
        # A pending referral to the lead organisation takes nothing away from it.
        ([OpenReferral(LEAD, accepted=False)], {REGISTERING: FULL, LEAD: FULL}),
        (
            [OpenReferral(OTHER, accepted=True), OpenReferral(THIRD, accepted=False)],
            {REGISTERING: FULL, LEAD: FULL, OTHER: FULL, THIRD: PROFILE_ONLY},
        ),
    ],
)
def test_access_policy(referrals, expected):
    assert (
        access_policy(
            registering_organisation_id=REGISTERING,
            lead_organisation_id=LEAD,
            open_referrals=referrals,
        )
        == expected
    )


def test_access_policy_for_a_case_registered_and_led_by_one_organisation():
    assert access_policy(registering_organisation_id=7, lead_organisation_id=7) == {7: FULL}


def test_access_policy_values_are_exactly_the_two_permissions():
    assert (
        frozenset({"view_case", "view_identity"}),
        frozenset({"view_case"}),
    ) == (FULL, PROFILE_ONLY)


def test_sync_grants_once_and_revokes_what_the_policy_no_longer_gives(cast):
    referral = referral_in_state(cast, "pending")
    case = referral.case
    assert organisation_permissions(case, org("NGO B")) == {"view_case"}
    # Already in place: nothing to grant, nothing to revoke.
    assert sync_case_access(case) == {"granted": [], "revoked": []}
    # A row the policy does not give is removed; a missing one comes back.
    CaseGroupObjectPermission.objects.filter(
        content_object=case, group_id=org("NGO B").group_id
    ).delete()
    CaseGroupObjectPermission.objects.create(
        content_object=case,
        group_id=org("Police — Casablanca").group_id,
        permission_id=CaseGroupObjectPermission.objects.filter(content_object=case)
        .values_list("permission_id", flat=True)
        .first(),
    )
    changes = sync_case_access(case)
    assert (len(changes["granted"]), len(changes["revoked"])) == (1, 1)
    assert organisation_permissions(case, org("NGO B")) == {"view_case"}
    assert organisation_permissions(case, org("Police — Casablanca")) == set()
    assert referral.state == "pending"


@pytest.fixture
def ids_forgotten_after():
    """The test's rows are rolled back after it: the ids it read go with them."""
    yield
    forget_permission_ids()


def test_visibility_follows_permission_rows_recreated_before_migrate_signals(
    cast, ids_forgotten_after
):
    """The permissions' ids are read once per process (cases.models): when the rows are
    recreated (a flush, then migrate's post_migrate signal), the grants of the new rows are
    the ones that count."""
    case = make_case(cast.ngo_a)

    def visible():
        return Case.objects.visible_to(cast.ngo_a).filter(pk=case.pk).exists()

    assert visible()
    old = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    new = Permission.objects.create(
        codename="view_case_new", name=old.name, content_type=old.content_type
    )
    old.delete()  # and its grants with it
    Permission.objects.filter(pk=new.pk).update(codename="view_case")
    # migrate's signal for the cases app (all apps' would make guardian's anonymous user).
    cases_app = apps.get_app_config("cases")
    post_migrate.send(
        sender=cases_app, app_config=cases_app, verbosity=0, interactive=False, using="default"
    )
    sync_case_access(case)
    assert visible()
