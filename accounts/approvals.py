"""Account changes the administrator asks for and someone else approves: one function each.

A new account, a role, a move to another organisation and an email address (where the links
that set a password go) are asked for by the administrator and applied only when a supervisor
of the organisation concerned approves them, or a second administrator where it has none
(``accounts.rules``). Until then the account keeps what it has; a new account is inactive.
One change per account waits at a time.

Every function runs in one transaction: lock the account row (then the change row), check the
rule, check the input or the state, change the rows, write the one audit entry; mail goes out
after commit. Of two concurrent decisions exactly one wins; the other raises InvalidTransition.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.mail import Link, queue_password_link
from accounts.models import AccountChange, ChangeKind, ChangeState, Organisation, User
from accounts.primitives import lock_account, record_account_event
from accounts.rules import require_decide, require_manage_accounts
from audit.events import Event
from core.errors import Conflict, InvalidTransition

ONE_AT_A_TIME = _(
    "A change to this account is already waiting for approval. Ask for the next one once it "
    "has been decided."
)
EMAIL_REQUIRED = _(
    "An account needs an email address: its activation link is sent there, and only there."
)
NO_CHANGE = _("This is what the account already holds.")
NO_LONGER_FITS = _(
    "The organisation has changed since this was asked for and the role no longer fits it. "
    "Reject this change."
)


@dataclass(frozen=True)
class ChangeEvents:
    requested: Event
    approved: Event
    rejected: Event


EVENTS = {
    ChangeKind.CREATE: ChangeEvents(
        Event.ACCOUNT_CREATED, Event.ACCOUNT_APPROVED, Event.ACCOUNT_REJECTED
    ),
    ChangeKind.ROLE: ChangeEvents(
        Event.ROLE_CHANGE_REQUESTED, Event.ROLE_CHANGED, Event.ROLE_CHANGE_REJECTED
    ),
    ChangeKind.MOVE: ChangeEvents(Event.MOVE_REQUESTED, Event.MOVED, Event.MOVE_REJECTED),
    ChangeKind.EMAIL: ChangeEvents(
        Event.EMAIL_CHANGE_REQUESTED, Event.EMAIL_CHANGED, Event.EMAIL_CHANGE_REJECTED
    ),
}


# --- Checks the admin forms run too, so that a refusal is a form error -------------------------
def check_no_pending_change(user: User) -> None:
    """One change at a time: refuse while a change to ``user`` waits."""
    if AccountChange.objects.filter(user=user.pk, state=ChangeState.PENDING).exists():
        raise ValidationError(ONE_AT_A_TIME, code="pending")


def check_role_fits(role: str, organisation: Organisation | None) -> None:
    """The role exists in organisations of that kind (``User.clean``, the one rule)."""
    User(role=role, organisation=organisation).clean()


def check_email(email: str) -> None:
    if not email:
        raise ValidationError({"email": EMAIL_REQUIRED}, code="required")


# --- Primitives --------------------------------------------------------------------------------
def lock_change(change: AccountChange) -> tuple[User, AccountChange]:
    """Lock the account, then the change (the order every function here takes); both re-read."""
    user_id = AccountChange.objects.values_list("user_id", flat=True).get(pk=change.pk)
    user = lock_account(user_id)
    return user, AccountChange.objects.select_for_update().get(pk=change.pk)


def record_change_event(user: User, change: AccountChange, *, actor, event: Event, **data):
    """The change's entry: what it asks for, by code and id; it concerns the organisation the
    account is in and the one it would join."""
    return record_account_event(
        user,
        actor=actor,
        event=event,
        organisations=[user.organisation_id, change.requested_organisation_id],
        change=change.pk,
        kind=change.kind,
        **data,
    )


# --- Asking ------------------------------------------------------------------------------------
def request_account(
    *,
    actor,
    username: str,
    email: str,
    role: str,
    organisation: Organisation | None,
    first_name: str = "",
    last_name: str = "",
) -> AccountChange:
    """The administrator opens an account; it waits for approval and cannot log in until then.

    Side effects, in one transaction:
    - the account: inactive, not approved, without a usable password;
    - a pending "create" change for its organisation (who decides it: ``accounts.rules``);
    - audit: one "account_created" entry. No mail: the activation link goes out on approval.
    Raises PermissionDenied unless ``actor`` manages accounts, ValidationError for bad input
    (a missing email address, a role the organisation's kind has not, a username in use).
    """
    require_manage_accounts(actor)
    check_email(email)
    with transaction.atomic():
        user = User(
            username=username,
            email=User.objects.normalize_email(email),
            first_name=first_name,
            last_name=last_name,
            role=role,
            organisation=organisation,
            is_active=False,
            approved_at=None,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        change = AccountChange.objects.create(
            user=user,
            kind=ChangeKind.CREATE,
            requested_role=role,
            requested_organisation=organisation,
            requested_by=actor,
        )
        record_change_event(user, change, actor=actor, event=Event.ACCOUNT_CREATED, role=role)
    return change


def request_role_change(user: User, *, actor, role: str) -> AccountChange:
    """Ask for another role in the account's organisation; the account keeps its role until
    the change is approved.

    Side effects: a pending "role" change; one "role_change_requested" entry (both roles).
    Raises PermissionDenied, ValidationError (the same role, a role the kind has not, a change
    already waiting).
    """
    require_manage_accounts(actor)
    with transaction.atomic():
        locked = lock_account(user.pk)
        check_no_pending_change(locked)
        if role == locked.role:
            raise ValidationError({"role": NO_CHANGE})
        check_role_fits(role, locked.organisation)
        change = AccountChange.objects.create(
            user=locked,
            kind=ChangeKind.ROLE,
            requested_role=role,
            requested_organisation=locked.organisation,
            requested_by=actor,
        )
        record_change_event(
            locked,
            change,
            actor=actor,
            event=Event.ROLE_CHANGE_REQUESTED,
            from_role=locked.role,
            to_role=role,
        )
    return change


def request_move(
    user: User, *, actor, organisation: Organisation | None, role: str
) -> AccountChange:
    """Ask to move the account to another organisation, with its role there; the account stays
    where it is until a supervisor of the organisation it joins approves.

    Side effects: a pending "move" change; one "move_requested" entry (both organisations and
    roles), which concerns both organisations. Raises PermissionDenied, ValidationError.
    """
    require_manage_accounts(actor)
    with transaction.atomic():
        locked = lock_account(user.pk)
        check_no_pending_change(locked)
        if organisation == locked.organisation:
            raise ValidationError({"organisation": NO_CHANGE})
        check_role_fits(role, organisation)
        change = AccountChange.objects.create(
            user=locked,
            kind=ChangeKind.MOVE,
            requested_role=role,
            requested_organisation=organisation,
            requested_by=actor,
        )
        record_change_event(
            locked,
            change,
            actor=actor,
            event=Event.MOVE_REQUESTED,
            from_organisation=locked.organisation_id,
            to_organisation=getattr(organisation, "pk", None),
            from_role=locked.role,
            to_role=role,
        )
    return change


def request_email_change(user: User, *, actor, email: str) -> AccountChange:
    """Ask for another email address. Links that set a password go there, so the address
    changes only when a supervisor approves (the administrator cannot send itself a link).

    Side effects: a pending "email" change holding the address; one "email_change_requested"
    entry, without the address. Raises PermissionDenied, ValidationError.
    """
    require_manage_accounts(actor)
    check_email(email)
    email = User.objects.normalize_email(email)
    with transaction.atomic():
        locked = lock_account(user.pk)
        check_no_pending_change(locked)
        if email == locked.email:
            raise ValidationError({"email": NO_CHANGE})
        change = AccountChange(
            user=locked,
            kind=ChangeKind.EMAIL,
            requested_role=locked.role,
            requested_organisation=locked.organisation,
            requested_email=email,
            requested_by=actor,
        )
        change.full_clean(exclude=["user", "requested_by", "requested_organisation"])
        change.save()
        record_change_event(locked, change, actor=actor, event=Event.EMAIL_CHANGE_REQUESTED)
    return change


# --- Deciding ----------------------------------------------------------------------------------
def open_account(user: User, change: AccountChange) -> dict:
    """Approve a new account: active, and its owner gets the link to set a password."""
    user.approved_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["approved_at", "is_active"])
    queue_password_link(user, link=Link.ACTIVATION)
    return {"role": user.role}


def apply_role(user: User, change: AccountChange) -> dict:
    data = {"from_role": user.role, "to_role": change.requested_role}
    try:
        check_role_fits(change.requested_role, user.organisation)
    except ValidationError:
        raise Conflict(NO_LONGER_FITS) from None
    user.role = change.requested_role
    user.save()
    return data


def apply_move(user: User, change: AccountChange) -> dict:
    data = {
        "from_organisation": user.organisation_id,
        "to_organisation": change.requested_organisation_id,
        "from_role": user.role,
        "to_role": change.requested_role,
    }
    try:
        check_role_fits(change.requested_role, change.requested_organisation)
    except ValidationError:
        raise Conflict(NO_LONGER_FITS) from None
    user.organisation = change.requested_organisation
    user.role = change.requested_role
    user.save()  # and the organisation's group with it (User.save)
    return data


def apply_email(user: User, change: AccountChange) -> dict:
    user.email = change.requested_email
    user.save(update_fields=["email"])
    return {}


APPLY = {
    ChangeKind.CREATE: open_account,
    ChangeKind.ROLE: apply_role,
    ChangeKind.MOVE: apply_move,
    ChangeKind.EMAIL: apply_email,
}


def approve_change(change: AccountChange, *, actor) -> AccountChange:
    """Approve a pending change: it applies now.

    Side effects, in one transaction:
    - the account: a new one becomes active and approved, and after commit its owner is mailed
      the activation link; a role, an organisation (with its group) or an email address is set;
    - the change: approved, ``decided_by`` the actor, ``decided_at`` now;
    - audit: one entry, "account_approved", "role_changed", "moved" or "email_changed", which
      concerns the organisation the account was in and the one it is in now.
    Raises PermissionDenied unless ``actor`` may decide it (``accounts.rules``), InvalidTransition
    once it is decided, Conflict when the role no longer fits the organisation.
    """
    with transaction.atomic():
        user, locked = lock_change(change)
        require_decide(actor, locked)
        if not locked.is_pending:
            raise InvalidTransition
        before = user.organisation_id
        data = APPLY[locked.kind](user, locked)
        locked.state = ChangeState.APPROVED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save()
        record_account_event(
            user,
            actor=actor,
            event=EVENTS[locked.kind].approved,
            organisations=[before, user.organisation_id],
            change=locked.pk,
            kind=locked.kind,
            **data,
        )
    return locked


def reject_change(change: AccountChange, *, actor) -> AccountChange:
    """Reject a pending change: the account keeps what it holds (a new one stays inactive and
    can never log in).

    Side effects: the change rejected, ``decided_by``/``decided_at``; one entry,
    "account_rejected", "role_change_rejected", "move_rejected" or "email_change_rejected".
    Raises PermissionDenied, InvalidTransition.
    """
    with transaction.atomic():
        user, locked = lock_change(change)
        require_decide(actor, locked)
        if not locked.is_pending:
            raise InvalidTransition
        locked.state = ChangeState.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save()
        record_change_event(user, locked, actor=actor, event=EVENTS[locked.kind].rejected)
    return locked
