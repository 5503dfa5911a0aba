import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
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
