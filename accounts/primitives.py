"""Steps the account actions share: the account's lock, and the audit entries of account and
organisation changes with the organisations they concern.

An entry names the organisations it concerns (``CONCERNS``: the account's, and for a move the
one it leaves and the one it joins) so that each organisation's supervisors read exactly their
own on the account activity page (``accounts.selectors.account_activity``), even after the
account has moved on. Ids and codes only: never an email address, a name or a password hash.
"""

from accounts.models import User
from audit.entries import record_event
from audit.events import Event

CONCERNS = "concerns"


def lock_account(user_id) -> User:
    """The account row, locked and re-read (every account action takes this lock first)."""
    return (
        User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=user_id)
    )


def record_account_event(user, *, actor, event: Event, organisations=(), **data):
    """One entry on the account ``user``; it concerns ``organisations`` (ids, None skipped)
    and, when none is given, the account's own organisation."""
    concerned = list(organisations) or [user.organisation_id]
    return record_event(
        user,
        actor=actor,
        event=event,
        **{CONCERNS: sorted({pk for pk in concerned if pk is not None})},
        **data,
    )


def record_organisation_event(organisation, *, actor, event: Event, **data):
    """One entry on ``organisation``, which it concerns."""
    return record_event(
        organisation, actor=actor, event=event, **{CONCERNS: [organisation.pk]}, **data
    )
