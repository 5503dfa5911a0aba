"""Passwords belong to their owners: the administrator can send a link, never set one.

An owner sets a password through the activation link (a new account), a reset link (asked for
by the administrator or from the "forgotten password" page) or the "change my password" page.
Nobody else sees the links (``accounts.mail``).
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.mail import Link, queue_password_link
from accounts.models import User
from accounts.primitives import lock_account, record_account_event
from accounts.rules import require_manage_accounts
from audit.events import Event
from core.errors import Conflict

NO_LINK = _("A link can only be sent to an approved, active account with an email address.")
NOT_ALLOWED = _("This account cannot set a password now.")


class Via(StrEnum):
    """How a password was set, or who asked for a reset link."""

    ACTIVATION = "activation"
    RESET = "reset"
    CHANGE = "change"
    ADMINISTRATOR = "administrator"
    FORGOTTEN = "forgotten"


def may_receive_link(user: User) -> bool:
    return user.is_active and user.is_approved and bool(user.email)


def send_password_reset(user: User, *, actor) -> User:
    """The administrator has a reset link mailed to the account's owner; the administrator
    never sees the link, and the current password keeps working until the owner uses it.

    Side effects: one "password_reset_requested" entry (``via`` administrator); after commit,
    the mail. Raises PermissionDenied, Conflict (an account waiting for approval, deactivated
    or without an email address).
    """
    require_manage_accounts(actor)
    with transaction.atomic():
        locked = lock_account(user.pk)
        if not may_receive_link(locked):
            raise Conflict(NO_LINK)
        record_account_event(
            locked, actor=actor, event=Event.PASSWORD_RESET_REQUESTED, via=Via.ADMINISTRATOR
        )
        queue_password_link(locked, link=Link.RESET)
    return locked


def send_forgotten_password_links(*, email: str) -> None:
    """Someone on the "forgotten password" page gives an address: each approved, active
    account with that address gets a reset link by mail. Returns nothing, so the page answers
    the same whatever the address (no account oracle).

    Side effects: one "password_reset_requested" entry per account (no actor: nobody is logged
    in; ``via`` forgotten); after commit, the mails. Accounts that never set a password are
    included: the link is then their activation link.
    """
    with transaction.atomic():
        accounts = User.objects.select_for_update(of=("self",)).filter(
            email__iexact=email.strip(), is_active=True, approved_at__isnull=False
        )
        for user in accounts.exclude(email=""):
            record_account_event(
                user, actor=None, event=Event.PASSWORD_RESET_REQUESTED, via=Via.FORGOTTEN
            )
            queue_password_link(user, link=Link.RESET)


def set_own_password(user: User, *, password: str, via: Via) -> User:
    """The account's owner sets its password (already validated by the form).

    Side effects: the password hash on ``user`` and its row (which ends the links sent before
    and every other session); one "password_changed" entry, the owner as actor, with ``via``.
    Raises PermissionDenied for an account waiting for approval or deactivated.
    """
    with transaction.atomic():
        locked = lock_account(user.pk)
        if not (locked.is_active and locked.is_approved):
            raise PermissionDenied(NOT_ALLOWED)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        record_account_event(locked, actor=locked, event=Event.PASSWORD_CHANGED, via=via)
    user.password = locked.password
    return user
