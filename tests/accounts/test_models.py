import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AccountChange, ChangeKind, ChangeState, User
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.services import create_organisation, create_user
from tests import personas


def test_each_organisation_has_its_own_group_and_members_are_in_it(cast):
    for username in personas.ALL:
        user = cast[username]
        expected = [user.organisation.group_id] if user.organisation_id else []
        assert list(user.groups.values_list("id", flat=True)) == expected


def test_moving_a_user_moves_their_group(cast):
    user = cast.ngo_b
    user.organisation = cast.ngo_a.organisation
    user.save()
    assert list(user.groups.values_list("id", flat=True)) == [cast.ngo_a.organisation.group_id]


@pytest.mark.parametrize("username", personas.ALL)
def test_global_permissions_follow_the_role_only(cast, username):
    user = User.objects.get(username=username)
    assert user.get_all_permissions() == set(ROLE_PERMISSIONS[user.role])


def test_administrator_is_staff_without_organisation_and_never_superuser(cast):
    admin = cast.admin
    assert (admin.is_staff, admin.is_superuser, admin.organisation_id) == (True, False, None)
    assert [u for u in personas.ALL if cast[u].is_staff] == [personas.ADMIN]


def test_superuser_flag_is_refused_by_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=cast.ngo_a.pk).update(is_superuser=True)


def test_create_superuser_is_not_available(db):
    with pytest.raises(NotImplementedError):
        User.objects.create_superuser("root", password="x")


def test_a_role_must_fit_the_organisation_kind(cast):
    with pytest.raises(ValidationError) as error:
        create_user(username="x1", role=Role.STATUS_AUTHORITY, organisation=cast.ngo_a.organisation)
    assert list(error.value.message_dict) == ["role"]


def test_a_staff_user_needs_an_organisation(db):
    with pytest.raises(ValidationError) as error:
        create_user(username="x2", role=Role.CASEWORKER, organisation=None)
    assert list(error.value.message_dict) == ["organisation"]


def test_users_are_never_deleted(cast):
    with pytest.raises(PermissionError):
        cast.ngo_b.delete()


def test_create_organisation_validates_its_kind(db):
    with pytest.raises(ValidationError):
        create_organisation(name="Odd", kind="casino")


# --- Approval ----------------------------------------------------------------------------------
def test_the_demo_cast_is_created_approved(cast):
    waiting = [u for u in personas.ALL if not cast[u].is_approved or not cast[u].is_active]
    assert waiting == []


def test_an_account_waiting_for_approval_cannot_be_active(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=cast.ngo_a.pk).update(approved_at=None)


def test_django_s_own_create_user_is_the_operator_s_and_approved(cast):
    user = User.objects.create_user(
        username="from_shell", role=Role.CASEWORKER, organisation=cast.ngo_a.organisation
    )
    assert (user.is_active, user.is_approved) == (True, True)


def test_one_change_per_account_waits_at_a_time(cast):
    fields = {"user": cast.ngo_a, "kind": ChangeKind.ROLE, "requested_by": cast.admin}
    AccountChange.objects.create(requested_role=Role.SUPERVISOR, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountChange.objects.create(requested_role=Role.CASEWORKER, **fields)


@pytest.mark.parametrize("decider", [personas.ADMIN, personas.NGO_A])
def test_neither_the_asker_nor_the_owner_decides_by_constraint(cast, decider):
    change = AccountChange.objects.create(
        user=cast.ngo_a, kind=ChangeKind.ROLE, requested_role="supervisor", requested_by=cast.admin
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountChange.objects.filter(pk=change.pk).update(
            state=ChangeState.APPROVED, decided_by=cast[decider], decided_at=timezone.now()
        )


def test_a_decided_change_names_its_decider(cast):
    change = AccountChange.objects.create(
        user=cast.ngo_a, kind=ChangeKind.ROLE, requested_role="supervisor", requested_by=cast.admin
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountChange.objects.filter(pk=change.pk).update(state=ChangeState.APPROVED)
