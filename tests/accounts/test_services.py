"""accounts.services: organisations, and the account changes that need nobody's approval."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import OrganisationKind, Role
from accounts.services import (
    activate_user,
    change_account_details,
    change_organisation,
    create_organisation,
    create_user,
    deactivate_user,
)
from audit.models import AuditEntry
from tests import personas
from tests.accounts.support import events_of, fresh


def test_the_operators_paths_write_no_entry_and_approve_at_once(cast):
    before = AuditEntry.objects.count()
    organisation = create_organisation(name="Shelter Oujda", kind=OrganisationKind.NGO)
    user = create_user(username="seeded", role=Role.SUPERVISOR, organisation=organisation)
    assert (user.is_active, user.is_approved, user.has_usable_password()) == (True, True, False)
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("username", [p for p in personas.ALL if p != personas.ADMIN])
def test_only_the_administrator_changes_accounts_and_organisations(cast, username):
    actor = cast[username]
    calls = [
        lambda: create_organisation(actor=actor, name="X", kind=OrganisationKind.NGO),
        lambda: change_organisation(cast.ngo_b.organisation, actor=actor, active=False),
        lambda: change_account_details(cast.ngo_b, actor=actor, first_name="x", last_name=""),
        lambda: deactivate_user(cast.ngo_b, actor=actor),
        lambda: activate_user(cast.ngo_b, actor=actor),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert (fresh(cast.ngo_b).is_active, fresh(cast.ngo_b).organisation.active) == (True, True)


def test_nothing_changed_is_no_entry(cast):
    user, organisation = cast.ngo_b, cast.ngo_b.organisation
    assert activate_user(user, actor=cast.admin) is False
    change_organisation(organisation, actor=cast.admin, name="NGO B", active=True)
    change_account_details(user, actor=cast.admin, first_name="", last_name="")
    assert (events_of(user), events_of(organisation)) == ([], [])


def test_deactivating_twice_is_one_entry(cast):
    assert deactivate_user(cast.ngo_b, actor=cast.admin) is True
    assert deactivate_user(cast.ngo_b, actor=cast.admin) is False
    assert events_of(cast.ngo_b) == ["account_deactivated"]


@pytest.mark.parametrize(
    ("values", "field"),
    [({"name": "NGO A"}, "name"), ({"kind": "casino"}, "kind"), ({"kind": "police"}, "kind")],
)
def test_a_bad_organisation_change_saves_nothing(cast, values, field):
    organisation = cast.ngo_b.organisation
    with pytest.raises(ValidationError) as error:
        change_organisation(organisation, actor=cast.admin, **values)
    assert list(error.value.message_dict) == [field]
    assert (fresh(cast.ngo_b).organisation.name, events_of(organisation)) == ("NGO B", [])
