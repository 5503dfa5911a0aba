"""referral.response: when a pending referral is due, by urgency, and when it is overdue.

The table is written from the issue's words (emergency: the same local day; urgent: 48 hours;
routine: NRM_ROUTINE_RESPONSE_DAYS), with fixed datetimes in the installation's zone
(Africa/Casablanca, UTC+1 in November 2026); the Python rule and the SQL expression answer it
alike.
"""

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
from django.test import override_settings

from referral.models import Referral
from referral.response import due_at, due_at_for, is_overdue, with_response_times
from tests.scenarios import referral_in_state

LOCAL = zoneinfo.ZoneInfo("Africa/Casablanca")
UTC = datetime.UTC


def local(day, hour, minute=0):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=LOCAL)


_30_DAYS = datetime.timedelta(days=30)
SENT = local(20, 8)  # Friday 20 November 2026, 08:00, this morning

# (urgency, sent at, now, overdue?) — the due time is the first "now" that is overdue.
TABLE = [
    ("emergency", SENT, local(20, 8, 1), False),
    ("emergency", SENT, local(20, 23, 59), False),  # still today
    ("emergency", SENT, local(21, 0), True),  # tomorrow
    ("emergency", SENT, local(21, 9), True),
    # Sent late in the evening: still due the same day, at midnight.
    ("emergency", local(20, 23, 30), local(20, 23, 59), False),
    ("emergency", local(20, 23, 30), local(21, 0, 1), True),
    # 23:30 UTC on the 20th is 00:30 on the 21st in Casablanca: the local day counts.
    ("emergency", datetime.datetime(2026, 11, 20, 23, 30, tzinfo=UTC), local(21, 23, 59), False),
    ("emergency", datetime.datetime(2026, 11, 20, 23, 30, tzinfo=UTC), local(22, 0), True),
    ("urgent", SENT, local(21, 9), False),
    ("urgent", SENT, local(22, 7, 59), False),
    ("urgent", SENT, local(22, 8), True),  # after 48 hours
    ("routine", SENT, local(26, 23), False),
    ("routine", SENT, local(27, 7, 59), False),
    ("routine", SENT, local(27, 8), True),  # after 7 days (the default setting)
]

DUE = {
    ("emergency", SENT): local(21, 0),
    ("emergency", local(20, 23, 30)): local(21, 0),
    ("emergency", datetime.datetime(2026, 11, 20, 23, 30, tzinfo=UTC)): local(22, 0),
    ("urgent", SENT): local(22, 8),
    ("routine", SENT): local(27, 8),
}


def pending(urgency, sent):
    return SimpleNamespace(state="pending", urgency=urgency, created_at=sent)


@pytest.mark.parametrize(("urgency", "sent", "now", "overdue"), TABLE)
def test_the_overdue_flag_follows_the_urgency_table(urgency, sent, now, overdue):
    assert is_overdue(pending(urgency, sent), now=now) is overdue


@pytest.mark.parametrize(("key", "due"), DUE.items())
def test_the_due_time_by_urgency(key, due):
    assert due_at(pending(*key)) == due


@pytest.mark.parametrize(
    ("days", "due"), [(1, local(21, 8)), (3, local(23, 8)), (30, local(20, 8) + _30_DAYS)]
)
def test_routine_follows_the_setting(days, due):
    just_before = due - datetime.timedelta(seconds=1)
    with override_settings(NRM_ROUTINE_RESPONSE_DAYS=days):
        assert due_at_for("routine", SENT) == due
        assert is_overdue(pending("routine", SENT), now=just_before) is False
        assert is_overdue(pending("routine", SENT), now=due) is True


@pytest.mark.parametrize("state", ["accepted", "declined", "cancelled", "completed", "ended"])
def test_only_a_pending_referral_is_due(state):
    answered = SimpleNamespace(state=state, urgency="emergency", created_at=SENT)
    assert due_at(answered) is None
    assert is_overdue(answered, now=local(30, 12)) is False


def test_the_database_answers_the_same_table(cast):
    referral = referral_in_state(cast, "pending")
    answers = {}
    for urgency, sent, now, _ in TABLE:
        Referral.objects.filter(pk=referral.pk).update(urgency=urgency, created_at=sent)
        row = with_response_times(Referral.objects.filter(pk=referral.pk), now=now).get()
        answers[(urgency, sent, now)] = (row.due_at, row.overdue)
    assert answers == {
        (urgency, sent, now): (DUE[(urgency, sent)], overdue)
        for urgency, sent, now, overdue in TABLE
    }


def test_the_database_follows_the_setting_and_the_state(cast):
    referral = referral_in_state(cast, "pending")
    Referral.objects.filter(pk=referral.pk).update(urgency="routine", created_at=SENT)
    with override_settings(NRM_ROUTINE_RESPONSE_DAYS=3):
        row = with_response_times(Referral.objects.filter(pk=referral.pk), now=local(23, 8)).get()
    assert (row.due_at, row.overdue) == (local(23, 8), True)
    answered = referral_in_state(cast, "accepted")
    Referral.objects.filter(pk=answered.pk).update(urgency="emergency", created_at=SENT)
    row = with_response_times(Referral.objects.filter(pk=answered.pk), now=local(30, 8)).get()
    assert (row.due_at, row.overdue) == (None, False)
