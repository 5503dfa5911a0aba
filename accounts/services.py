"""Creating and managing organisations and user accounts."""

from django.db import transaction

from accounts.models import Organisation, User


@transaction.atomic
def create_organisation(*, name: str, kind: str, region=None, active: bool = True) -> Organisation:
    """Create an organisation together with its Django group."""
    organisation = Organisation(name=name, kind=kind, region=region, active=active)
    organisation.full_clean(exclude=["group"])
    organisation.save()
    return organisation


@transaction.atomic
def create_user(
    *,
    username: str,
    role: str,
    organisation: Organisation | None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a staff user in an organisation with a role (validated against its kind).

    Without a password the account cannot log in until one is set.
    """
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def deactivate_user(user: User) -> None:
    """End a user's access for good without deleting the account audit entries refer to."""
    user.is_active = False
    user.save(update_fields=["is_active"])
