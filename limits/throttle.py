"""Per-user limits on registrations and searches, the same for the UI and the API.

A sliding window: a request is allowed when the user made fewer than the scope's limit in the
last window, and then counted. Limits are settings (``NRM_THROTTLE_RATES``: scope → requests
per ``NRM_THROTTLE_WINDOW_SECONDS``). The API wraps this in DRF throttle classes
(``api.throttles``); the pages call ``take`` themselves.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from limits.models import Hit

REGISTRATION = "registration"
SEARCH = "search"
STATISTICS = "statistics"
BREAK_GLASS = "break_glass"

REFUSALS = {
    REGISTRATION: _(
        "You have registered the most cases allowed in one hour. Try again in %(minutes)d "
        "minute(s); what you typed is kept below."
    ),
    SEARCH: _(
        "You have searched the most times allowed in one hour. Try again in %(minutes)d minute(s)."
    ),
    STATISTICS: _(
        "You have asked for the most statistics allowed in one hour. Try again in %(minutes)d "
        "minute(s)."
    ),
    BREAK_GLASS: _(
        "You have opened the most cases under break-glass allowed in one hour. Try again in "
        "%(minutes)d minute(s), or ask the national coordinator."
    ),
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the next request of the scope is allowed

    def message(self, scope: str) -> str:
        return str(REFUSALS[scope]) % {"minutes": max(1, math.ceil(self.retry_after / 60))}


def take(user, scope: str) -> Verdict:
    """Count one request of ``scope`` for ``user`` if the limit allows it.

    Side effects: forgets the user's hits older than the window and, when allowed, adds one.
    The user's hits of the scope are serialised with a transaction-level advisory lock, so
    concurrent requests (any worker) cannot both take the last place.
    """
    limit = settings.NRM_THROTTLE_RATES[scope]
    window = timedelta(seconds=settings.NRM_THROTTLE_WINDOW_SECONDS)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{scope}:{user.pk}"])
        now = timezone.now()
        hits = Hit.objects.filter(user=user, scope=scope)
        hits.filter(at__lte=now - window).delete()
        recent = list(hits.order_by("at").values_list("at", flat=True)[:limit])
        if len(recent) >= limit:
            wait = (recent[0] + window - now).total_seconds()
            return Verdict(False, max(1, math.ceil(wait)))
        Hit.objects.create(user=user, scope=scope, at=now)
    return Verdict(True)
