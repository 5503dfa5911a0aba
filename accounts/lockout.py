"""Lockout that protects without locking people out.

django-axes counts failures per (username, address) and locks that pair after
``NRM_LOGIN_FAILURE_LIMIT``. On top, one address is locked for everyone after
``NRM_LOGIN_ADDRESS_FAILURE_LIMIT`` failures across all usernames within the cool-off time: a
password sprayer trying many usernames from one place is stopped too, while a busy office
behind one address is not locked by one person's typos.
"""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from accounts.primitives import record_account_event
from audit.entries import record_event
from audit.events import Event
from core.addresses import client_address


def address_failures(address: str | None) -> int:
    """Failed logins from ``address`` within the cool-off time, whatever the username."""
    if not address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def address_is_locked(request) -> bool:
    return address_failures(client_address(request)) >= settings.NRM_LOGIN_ADDRESS_FAILURE_LIMIT


def unlock(attempt: AccessAttempt, *, actor) -> None:
    """Lift one lockout (a username from an address) before its time; an audit entry says who
    and which username, never the address."""
    username = attempt.username
    reset(ip=attempt.ip_address, username=username)
    user = User.objects.filter(username=username).first()
    if user is not None:
        record_account_event(user, actor=actor, event=Event.LOCKOUT_LIFTED)
    else:
        record_event(actor, actor=actor, event=Event.LOCKOUT_LIFTED, username_known=False)
