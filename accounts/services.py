"""Organisations, and the account changes that need nobody's approval: one function each.

What does need approval (a new account, a role, a move, an email address) is in
``accounts.approvals``; passwords are their owners' (``accounts.passwords``). Each change made
by the administrator is one audit entry (``accounts.primitives``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.languages import LANGUAGE_CODES
from accounts.models import Organisation, User
from accounts.primitives import lock_account, record_account_event, record_organisation_event
from accounts.rules import require_manage_accounts
from audit.events import Event
from core.errors import Conflict

ORGANISATION_FIELDS = ("name", "kind", "region", "active")
DETAIL_FIELDS = ("first_name", "last_name")
WAITING = _("This account is waiting for approval; it is activated when it is approved.")


def create_organisation(
    *, name: str, kind: str, region=None, active: bool = True, actor=None
) -> Organisation:
    """Create an organisation together with its Django group.

    Side effects: the organisation and its group; with an ``actor`` (the administrator on the
    admin site) one "organisation_created" entry. Without one (``seed_demo``, the operator's
    shell) no entry, as the demo seed writes none. Raises ValidationError for bad input.
    """
    if actor is not None:
        require_manage_accounts(actor)
    with transaction.atomic():
        organisation = Organisation(name=name, kind=kind, region=region, active=active)
        organisation.full_clean(exclude=["group"])
        organisation.save()
        if actor is not None:
            record_organisation_event(
                organisation, actor=actor, event=Event.ORGANISATION_CREATED, kind=kind
            )
    return organisation


def change_organisation(organisation: Organisation, *, actor, **values) -> Organisation:
    """Set an organisation's name, kind, region or active flag (``ORGANISATION_FIELDS``).

    Side effects: the organisation; one "organisation_changed" entry naming the fields that
    changed (names only, no values), none when nothing did. Deactivating it ends its members'
    access to every case at once (``cases.rules.active_member``). Raises PermissionDenied,
    ValidationError (a kind whose roles its members do not hold, a name in use).
    """
    require_manage_accounts(actor)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = [
            f for f in ORGANISATION_FIELDS if f in values and getattr(locked, f) != values[f]
        ]
        for field in changed:
            setattr(locked, field, values[field])
        if not changed:
            return locked
        locked.full_clean(exclude=["group"])
        locked.save()
        record_organisation_event(
            locked, actor=actor, event=Event.ORGANISATION_CHANGED, fields=changed
        )
    return locked


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
    """The operator's path (``seed_demo``, the first administrator from the shell): an account
    approved at once, in an organisation with a role (validated against its kind).

    The admin site never calls it: the administrator asks for accounts through
    ``accounts.approvals.request_account``. Without a password the account cannot log in until
    its owner sets one (a reset link, or ``manage.py changepassword`` by the operator). No audit
    entry: nobody logged in acts.
    """
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        approved_at=timezone.now(),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def change_account_details(user: User, *, actor, first_name: str, last_name: str) -> User:
    """Correct the name on an account (nothing it may do depends on it).

    Side effects: the names; one "account_details_changed" entry naming the fields, without
    their values; none when nothing changed. Raises PermissionDenied.
    """
    require_manage_accounts(actor)
    with transaction.atomic():
        locked = lock_account(user.pk)
        values = {"first_name": first_name, "last_name": last_name}
        changed = [f for f in DETAIL_FIELDS if getattr(locked, f) != values[f]]
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, values[field])
        locked.save(update_fields=changed)
        record_account_event(
            locked, actor=actor, event=Event.ACCOUNT_DETAILS_CHANGED, fields=changed
        )
    return locked


def activate_user(user: User, *, actor) -> bool:
    """Give a deactivated account its access back; False when it was active already.

    Side effects: ``is_active``; one "account_activated" entry. An account still waiting for
    approval is refused (Conflict): approval is what activates it. Raises PermissionDenied.
    """
    require_manage_accounts(actor)
    with transaction.atomic():
        locked = lock_account(user.pk)
        if not locked.is_approved:
            raise Conflict(WAITING)
        if locked.is_active:
            return False
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        record_account_event(locked, actor=actor, event=Event.ACCOUNT_ACTIVATED)
    return True


def deactivate_user(user: User, *, actor) -> bool:
    """End an account's access without deleting it (audit entries refer to it); False when it
    was inactive already.

    Side effects: ``is_active`` (its sessions and API tokens stop working at their next
    request); one "account_deactivated" entry. Raises PermissionDenied.
    """
    require_manage_accounts(actor)
    with transaction.atomic():
        locked = lock_account(user.pk)
        if not locked.is_active:
            return False
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        record_account_event(locked, actor=actor, event=Event.ACCOUNT_DEACTIVATED)
    return True


def set_language(user: User, *, language: str) -> User:
    """Keep the interface language ``user`` chose (the switcher), for their next pages, their
    other browsers and their mail.

    Side effects: ``user.language`` saved (auditlog records the field's change, as for every
    account field). Raises ``ValueError`` for a language the deployment does not offer.
    """
    if language not in LANGUAGE_CODES:
        raise ValueError(f"not an interface language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
