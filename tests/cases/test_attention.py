"""cases.attention: what needs attention, by role — the counts and first rows of each card."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.assignment import assign_case
from cases.attention import CARDS_BY_ROLE, ROWS_SHOWN, needs_attention
from cases.models import Case
from cases.rules import OPERATIONAL_ROLES
from referral.models import Referral, Urgency
from tests import personas
from tests.factories import make_case
from tests.logins import verified_login
from tests.referral.test_views import new_referral
from tests.scenarios import assess_risk, case_led_by_ngo_a, consented_case


def reflection(case, *, days_left, stage="assistance"):
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(
        stage=stage, reflection_period_ends_on=today + datetime.timedelta(days=days_left)
    )


@pytest.fixture
def world(cast):
    """NGO A's cases and incoming referrals, each in one card or in none."""
    cases = {
        "no_consent": make_case(cast.ngo_a),
        "assigned": consented_case(cast),
        "ends_in_3_days": consented_case(cast),
        "ended_yesterday": consented_case(cast),
        "ends_in_30_days": consented_case(cast),
        "closed_ended": consented_case(cast),
        "other_org": make_case(cast.ngo_b),
    }
    assign_case(cases["assigned"], actor=cast.ngo_a, assignee=cast.ngo_a)
    reflection(cases["ends_in_3_days"], days_left=3)
    reflection(cases["ended_yesterday"], days_left=-1)
    reflection(cases["ends_in_30_days"], days_left=30)
    reflection(cases["closed_ended"], days_left=-1, stage="closed")
    reflection(cases["other_org"], days_left=1)
    overdue = new_referral(cast, personas.POLICE, personas.NGO_A)
    Referral.objects.filter(pk=overdue.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    fresh = new_referral(cast, personas.POLICE, personas.NGO_A, urgency=Urgency.URGENT)
    return {"cases": cases, "overdue": overdue, "fresh": fresh}


def cards(user):
    return {card.name: card for card in needs_attention(user).cards}


def test_each_card_counts_and_lists_its_own(cast, world):
    found = cards(cast.ngo_a)
    refs = {name: case.reference for name, case in world["cases"].items()}
    assert {name: card.count for name, card in found.items()} == {
        "high_risk": 0,
        "referrals": 2,
        "tasks": 0,
        "reflection": 2,
        "consent": 1,
        "my_cases": 1,
    }
    assert found["referrals"].overdue == 1
    assert [r.pk for r in found["referrals"].rows] == [world["overdue"].pk, world["fresh"].pk]
    assert [r.overdue for r in found["referrals"].rows] == [True, False]
    assert [(c.reference, c.reflection_flag) for c in found["reflection"].rows] == [
        (refs["ended_yesterday"], "passed"),
        (refs["ends_in_3_days"], "near"),
    ]
    assert [c.reference for c in found["consent"].rows] == [refs["no_consent"]]
    assert [c.reference for c in found["my_cases"].rows] == [refs["assigned"]]


def test_a_supervisor_sees_the_organisations_cards_but_not_another_users_cases(cast, world):
    found = cards(cast.ngo_a_supervisor)
    assert {name: card.count for name, card in found.items()} == {
        "high_risk": 0,
        "referrals": 2,
        "tasks": 0,
        "reflection": 2,
        "consent": 1,
        "my_cases": 0,
    }


def test_another_organisation_sees_none_of_it(cast, world):
    found = cards(cast.health)
    assert {name: card.count for name, card in found.items()} == {
        "high_risk": 0,
        "referrals": 0,
        "tasks": 0,
        "reflection": 0,
        "consent": 0,
        "my_cases": 0,
    }
    assert needs_attention(cast.health).nothing is True


FRONTLINE_CARDS = ["high_risk", "referrals", "tasks", "reflection", "consent", "my_cases"]


@pytest.mark.parametrize(
    ("username", "names"),
    [
        (personas.POLICE, ["high_risk", "referrals", "tasks", "reflection", "consent", "my_cases"]),
        (personas.HEALTH, ["high_risk", "referrals", "tasks", "reflection", "consent", "my_cases"]),
        (personas.NGO_A, ["high_risk", "referrals", "tasks", "reflection", "consent", "my_cases"]),
        (
            personas.NGO_A_SUPERVISOR,
            ["high_risk", "referrals", "tasks", "reflection", "consent", "my_cases"],
        ),
        (personas.AUTHORITY, ["referrals", "tasks"]),
        (personas.COMMISSION, []),
        (personas.COORDINATOR, []),
        (personas.ADMIN, []),
    ],
)
def test_the_cards_of_each_role(cast, username, names):
    assert [card.name for card in needs_attention(cast[username]).cards] == names


def test_every_role_with_cards_can_work_on_cases(cast):
    assert set(CARDS_BY_ROLE) <= set(OPERATIONAL_ROLES)


def test_a_card_lists_at_most_a_few_rows_and_counts_them_all(cast):
    for _ in range(ROWS_SHOWN + 2):
        make_case(cast.ngo_a)
    consent = cards(cast.ngo_a)["consent"]
    assert (consent.count, len(consent.rows)) == (ROWS_SHOWN + 2, ROWS_SHOWN)


def test_a_high_risk_is_on_the_home_page_of_every_organisation_on_the_case(cast):
    case = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    assess_risk(case, cast.ngo_a, level="high")
    low = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    assess_risk(low, cast.health, level="low")
    for user in (cast.ngo_a, cast.health, cast.ngo_a_supervisor):
        card = cards(user)["high_risk"]
        assert (card.count, [c.reference for c in card.rows]) == (1, [case.reference])
    assert cards(cast.ngo_b)["high_risk"].count == 0
    body = client_for_home(cast.health)
    assert case.reference in body.split("attention-high_risk", 1)[1].split("</section>", 1)[0]


def client_for_home(user) -> str:
    client = verified_login(Client(), user)
    return client.get("/").content.decode()
