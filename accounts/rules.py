"""Who may manage accounts and who decides a change to one: small predicates, each with the
words the admin site, the pages and the services all show when they refuse.

A change waits for an active, approved supervisor of the organisation it is for (the account's
own, or the one it moves to); nobody decides a change to their own account. When that
organisation has no such supervisor (its first supervisor, a kind without a supervisor role
such as the status authority or the commission, an administrator's account), a second
administrator decides: one who did not ask for it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountChange, ChangeState, User
from accounts.roles import Role

NOT_AN_ADMINISTRATOR = _("Only the system administrator manages accounts and organisations.")
OWN_ACCOUNT = _("Nobody decides a change to their own account.")
OWN_REQUEST = _("Another administrator must decide a change you asked for.")
FOR_SUPERVISORS = _("A supervisor of the organisation decides this change.")
NOT_YOURS = _("This change is not yours to decide.")
PASSWORD_FIRST = _("Log in with your username and password first.")
SECOND_FACTOR_FIRST = _("Complete the login with your second factor first.")


def approved_and_active(user) -> bool:
    """A logged-in account that was approved and is not deactivated."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "approved_at", None) is not None
    )


def is_national_coordinator(user) -> bool:
    """An active coordinator of an active commission or ministry: reviews possible duplicates
    and break-glass uses (references, organisations and dates, never identity)."""
    organisation = getattr(user, "organisation", None) if user.is_authenticated else None
    return bool(
        user.is_active
        and getattr(user, "role", None) == Role.COORDINATOR
        and organisation is not None
        and organisation.active
    )


def has_passed_the_password(user) -> bool:
    """The first step of the login passed (the second may still be waiting): who may use a
    passkey for the second step."""
    return approved_and_active(user)


def has_passed_the_second_factor(user) -> bool:
    """Both steps of the login passed in this session: who may add or remove a passkey."""
    is_verified = getattr(user, "is_verified", None)
    return approved_and_active(user) and bool(is_verified and is_verified())


def can_manage_accounts(user) -> bool:
    """The system administrator: asks for account changes, never decides their own."""
    return approved_and_active(user) and user.role == Role.ADMINISTRATOR


def can_supervise_accounts(user) -> bool:
    """A supervisor of an active organisation: decides its changes, reads its activity."""
    organisation = getattr(user, "organisation", None)
    return (
        approved_and_active(user)
        and user.role == Role.SUPERVISOR
        and organisation is not None
        and organisation.active
    )


def require_manage_accounts(user) -> None:
    if not can_manage_accounts(user):
        raise PermissionDenied(NOT_AN_ADMINISTRATOR)


def deciding_supervisors() -> QuerySet[User]:
    """Every account ``can_supervise_accounts`` allows, as a query."""
    return User.objects.filter(
        role=Role.SUPERVISOR,
        is_active=True,
        approved_at__isnull=False,
        organisation__active=True,
    )


def _supervised() -> Exists:
    """A change whose organisation has a deciding supervisor other than the account itself."""
    return Exists(
        deciding_supervisors()
        .filter(organisation=OuterRef("requested_organisation"))
        .exclude(pk=OuterRef("user"))
    )


def decidable_by(user) -> QuerySet[AccountChange]:
    """The changes ``user`` may decide, state aside (one query, for lists and checks)."""
    changes = AccountChange.objects.exclude(user=user.pk)
    if can_supervise_accounts(user):
        return changes.filter(requested_organisation=user.organisation_id)
    if can_manage_accounts(user):
        return changes.exclude(requested_by=user.pk).filter(
            Q(requested_organisation__isnull=True) | ~_supervised()
        )
    return changes.none()


def pending_decidable_by(user) -> QuerySet[AccountChange]:
    """What waits for ``user``'s decision now."""
    return decidable_by(user).filter(state=ChangeState.PENDING)


def may_decide(user, change: AccountChange) -> bool:
    """Whether ``user`` may approve or reject ``change``, state aside."""
    return decidable_by(user).filter(pk=change.pk).exists()


def refusal(user, change: AccountChange) -> str:
    """Why ``user`` may not decide ``change``, in the words every channel shows."""
    if change.user_id == user.pk:
        return OWN_ACCOUNT
    if can_manage_accounts(user):
        return OWN_REQUEST if change.requested_by_id == user.pk else FOR_SUPERVISORS
    return NOT_YOURS


def require_decide(user, change: AccountChange) -> None:
    """Raise PermissionDenied with the reason unless ``may_decide`` allows it."""
    if not may_decide(user, change):
        raise PermissionDenied(refusal(user, change))
