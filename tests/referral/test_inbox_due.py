"""The inbox's order and overdue flags follow the urgency table (referral.response), in the page
and in GET /api/v1/referrals/?direction=incoming alike."""

import datetime

import pytest
from django.utils import timezone

from referral.models import Referral, Urgency
from referral.transitions import accept_referral
from tests import personas
from tests.referral.test_views import new_referral

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def sent(referral, at):
    Referral.objects.filter(pk=referral.pk).update(created_at=at)


@pytest.fixture
def waiting(cast):
    """NGO B's incoming referrals, by name; "late_*" are overdue, the others not yet."""
    now = timezone.now()
    made = {
        "late_routine": (Urgency.ROUTINE, now - 10 * DAY),  # due 3 days ago
        "late_emergency": (Urgency.EMERGENCY, now - 2 * DAY),  # due the midnight after
        "emergency_now": (Urgency.EMERGENCY, now),  # due by tonight's midnight
        "urgent_now": (Urgency.URGENT, now - HOUR),  # due in 47 hours
        "routine_now": (Urgency.ROUTINE, now - HOUR),  # due in 7 days less an hour
    }
    referrals = {}
    for name, (urgency, at) in made.items():
        referrals[name] = new_referral(cast, urgency=urgency)
        sent(referrals[name], at)
    answered = new_referral(cast, urgency=Urgency.EMERGENCY)
    sent(answered, now - 5 * DAY)
    accept_referral(answered, actor=cast.ngo_b)
    referrals["answered"] = answered
    return referrals


ORDER = ["late_routine", "late_emergency", "emergency_now", "urgent_now", "routine_now", "answered"]
OVERDUE = {"late_routine", "late_emergency"}


def test_the_page_lists_overdue_first_then_the_soonest_due(client_for, waiting):
    response = client_for(personas.NGO_B).get("/referrals/")
    rows = list(response.context["page"].object_list)
    names = {referral.pk: name for name, referral in waiting.items()}
    assert [names[r.pk] for r in rows] == ORDER
    assert {names[r.pk] for r in rows if r.overdue} == OVERDUE
    body = response.content.decode()
    assert body.count('<tr class="overdue">') == len(OVERDUE)
    assert body.count('class="tag danger overdue"') == len(OVERDUE)


def test_the_api_lists_and_flags_by_the_same_rule(api_for, waiting):
    response = api_for(personas.NGO_B).get("/api/v1/referrals/", {"direction": "incoming"})
    assert response.status_code == 200
    names = {str(referral.pk): name for name, referral in waiting.items()}
    rows = response.json()["results"]
    assert [names[row["id"]] for row in rows] == ORDER
    assert {names[row["id"]] for row in rows if row["overdue"]} == OVERDUE
    assert [names[row["id"]] for row in rows if row["due_at"] is None] == ["answered"]


def test_a_pending_filter_keeps_the_due_order(client_for, waiting):
    response = client_for(personas.NGO_B).get("/referrals/", {"state": "pending"})
    names = {referral.pk: name for name, referral in waiting.items()}
    assert [names[r.pk] for r in response.context["page"].object_list] == ORDER[:-1]


def test_the_sender_sees_the_same_flags_newest_first(api_for, waiting):
    rows = api_for(personas.NGO_A).get("/api/v1/referrals/", {"direction": "outgoing"}).json()
    names = {str(referral.pk): name for name, referral in waiting.items()}
    flagged = {names[row["id"]] for row in rows["results"] if row["overdue"]}
    assert flagged == OVERDUE
    times = [row["created_at"] for row in rows["results"]]
    assert times == sorted(times, reverse=True)
