"""How soon a pending referral must be answered: the one rule, by urgency.

- emergency: the same local day (the installation's ``TIME_ZONE``): due at the midnight that
  ends the day it was sent;
- urgent: within 48 hours of being sent;
- routine: within ``NRM_ROUTINE_RESPONSE_DAYS`` days of being sent.

A pending referral is overdue from its due time on (at the due time itself it is late: "within
48 hours" means before the 48th hour ends). Only pending referrals have a due time: an
answered, cancelled or ended one is no longer waiting for anyone.

The rule is written twice on purpose, once in Python (``due_at``, ``is_overdue``: a single
referral, any page) and once as a database expression (``due_at_expression``: lists sorted and
counted in SQL, in a constant number of queries); tests/referral/test_response.py holds both
to the same table.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from referral.models import ReferralState, Urgency

URGENT_HOURS = 48


def routine_response() -> datetime.timedelta:
    # Read at call time, so a test's override_settings (and a restart with a new value) apply.
    return datetime.timedelta(days=settings.NRM_ROUTINE_RESPONSE_DAYS)


def _end_of_local_day(moment: datetime.datetime) -> datetime.datetime:
    zone = timezone.get_default_timezone()
    next_day = timezone.localtime(moment, zone).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=zone)


def due_at_for(urgency: str, sent_at: datetime.datetime) -> datetime.datetime:
    """When a referral of this urgency, sent at ``sent_at``, must have been answered."""
    if urgency == Urgency.EMERGENCY:
        return _end_of_local_day(sent_at)
    if urgency == Urgency.URGENT:
        return sent_at + datetime.timedelta(hours=URGENT_HOURS)
    return sent_at + routine_response()


def due_at(referral) -> datetime.datetime | None:
    """The due time of a pending referral; None for any other state."""
    if referral.state != ReferralState.PENDING:
        return None
    return due_at_for(referral.urgency, referral.created_at)


def is_overdue(referral, *, now: datetime.datetime | None = None) -> bool:
    """Whether a pending referral's due time has come without an answer."""
    due = due_at(referral)
    return due is not None and (now or timezone.now()) >= due


class EndOfLocalDay(models.Func):
    """The midnight that ends the local day of a moment, as a timestamp with time zone.

    Written out for PostgreSQL because Django's Trunc returns a local timestamp *without* time
    zone, which comparisons would then read as UTC; the zone is a parameter, never pasted in.
    """

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        zone = settings.TIME_ZONE
        return (
            f"((DATE_TRUNC('day', {sql} AT TIME ZONE %s) + INTERVAL '1 day') AT TIME ZONE %s)",
            (zone, *params, zone),
        )


def due_at_expression() -> models.Case:
    """``due_at`` in SQL, for a queryset of referrals: NULL unless pending."""
    sent = models.F("created_at")
    pending = Q(state=ReferralState.PENDING)
    return models.Case(
        models.When(pending & Q(urgency=Urgency.EMERGENCY), then=EndOfLocalDay(sent)),
        models.When(
            pending & Q(urgency=Urgency.URGENT),
            then=sent + models.Value(datetime.timedelta(hours=URGENT_HOURS)),
        ),
        models.When(pending, then=sent + models.Value(routine_response())),
        default=models.Value(None),
        output_field=models.DateTimeField(),
    )


def overdue_q(now: datetime.datetime) -> Q:
    """``is_overdue`` as a condition, over a queryset annotated with ``due_at``."""
    return Q(due_at__isnull=False, due_at__lte=now)


def overdue_expression(now: datetime.datetime) -> models.ExpressionWrapper:
    """``is_overdue`` as a column, over a queryset annotated with ``due_at``."""
    return models.ExpressionWrapper(overdue_q(now), output_field=models.BooleanField())


def with_response_times(referrals, *, now: datetime.datetime | None = None):
    """The referrals annotated with ``due_at`` and ``overdue`` (one ``now`` for all rows)."""
    return referrals.annotate(due_at=due_at_expression()).annotate(
        overdue=overdue_expression(now or timezone.now())
    )
