"""plans.services: the plan's needs and review, the risk assessments, what each checks and
audits, and the reintegration guard (cases.transitions.start_reintegration)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cases.dispatch import take_transition
from cases.models import Case
from core.errors import InvalidTransition, RiskAssessmentRequired
from plans.models import Need
from plans.services import add_need, record_risk_assessment, set_plan_review, update_need
from tasks.models import Task
from tests.scenarios import assess_risk, case_led_by_ngo_a, org, refer

GOAL = "Her own room in a shelter near the school 9d3f"
NOTES = "The recruiter called her sister twice last week 4c2a"


def today():
    return timezone.localdate()


def test_a_need_is_added_with_its_links_and_its_goal_protected(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    medical = case.referrals.get(services__code="Medical")
    need = add_need(
        case,
        actor=cast.ngo_a,
        domain="health",
        goal=GOAL,
        responsible=org("Health unit — Casablanca"),
        target_on=today() + datetime.timedelta(days=30),
        referrals=[medical],
    )
    stored = Need.objects.get(pk=need.pk)
    assert (stored.goal, stored.plan.case_id, list(stored.referrals.all())) == (
        GOAL,
        case.pk,
        [medical],
    )
    entries = AuditEntry.objects.filter(object_pk=str(need.pk))
    assert entries.count() >= 1
    assert GOAL not in str([(e.changes, e.additional_data) for e in entries])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"domain": "holidays"}, "domain"),
        ({"goal": "  "}, "goal"),
        ({"status": "finished"}, "status"),
        ({"target_on": datetime.date(2001, 1, 1)}, "target_on"),
        ({"responsible": None}, "responsible"),
    ],
)
def test_a_bad_need_is_refused_by_field_and_saves_nothing(cast, changes, field):
    case = case_led_by_ngo_a(cast, stage="assistance")
    values = {"domain": "shelter", "goal": GOAL, "responsible": org("NGO A"), **changes}
    with pytest.raises(ValidationError) as error:
        add_need(case, actor=cast.ngo_a, **values)
    assert list(error.value.message_dict) == [field]
    assert Need.objects.count() == 0


def test_a_need_links_only_the_referrals_of_its_case(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    other = case_led_by_ngo_a(cast, stage="assistance")
    foreign = other.referrals.first()
    with pytest.raises(ValidationError) as error:
        add_need(
            case,
            actor=cast.ngo_a,
            domain="legal",
            goal=GOAL,
            responsible=org("NGO A"),
            referrals=[foreign],
        )
    assert list(error.value.message_dict) == ["referrals"]


def test_a_need_is_updated_and_only_the_lead_writes(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    need = add_need(case, actor=cast.ngo_a, domain="safety", goal=GOAL, responsible=org("NGO A"))
    update_need(need, actor=cast.ngo_a_supervisor, changes={"status": "met"})
    assert Need.objects.get(pk=need.pk).status == "met"
    with pytest.raises(Exception) as refused:
        update_need(need, actor=cast.health, changes={"status": "dropped"})
    assert type(refused.value).__name__ == "PermissionDenied"
    assert Need.objects.get(pk=need.pk).status == "met"


def test_the_review_date_is_set_not_in_the_past(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    with pytest.raises(ValidationError):
        set_plan_review(case, actor=cast.ngo_a, review_on=today() - datetime.timedelta(days=1))
    plan = set_plan_review(case, actor=cast.ngo_a, review_on=today() + datetime.timedelta(7))
    assert plan.review_on == today() + datetime.timedelta(7)


def test_a_closed_case_takes_no_plan_and_no_assessment(cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    with pytest.raises(InvalidTransition):
        add_need(case, actor=cast.ngo_a, domain="safety", goal=GOAL, responsible=org("NGO A"))
    with pytest.raises(InvalidTransition):
        assess_risk(case, cast.ngo_a)


def test_an_assessment_sets_the_cases_level_and_audits_it_without_its_notes(cast):
    case = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    assessment = assess_risk(case, cast.ngo_a, level="high", notes=NOTES)
    assert Case.objects.get(pk=case.pk).risk_level == "high"
    [event] = AuditEntry.objects.filter(additional_data__event="risk_assessed")
    assert event.additional_data["level"] == "high"
    assert event.additional_data["assessment"] == str(assessment.pk)
    everything = str(list(AuditEntry.objects.values_list("changes", "additional_data")))
    assert NOTES not in everything
    # An older assessment recorded later does not replace the latest level.
    assess_risk(case, cast.ngo_a, level="low", assessed_on=today() - datetime.timedelta(days=9))
    assert Case.objects.get(pk=case.pk).risk_level == "high"


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"level": "extreme"}, ["level"]),
        ({"factors": {}}, ["family_risk", "retrafficking", "return_risk", "traffickers_contact"]),
        ({"assessed_on": today() + datetime.timedelta(days=1)}, ["assessed_on"]),
        ({"assessed_on": datetime.date(2001, 1, 1)}, ["assessed_on"]),
    ],
)
def test_a_bad_assessment_is_refused_and_saves_nothing(cast, changes, fields):
    case = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    values = {
        "factors": dict.fromkeys(
            ("traffickers_contact", "retrafficking", "return_risk", "family_risk"), "low"
        ),
        "level": "low",
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        record_risk_assessment(case, actor=cast.ngo_a, **values)
    assert sorted(error.value.message_dict) == fields
    assert Case.objects.get(pk=case.pk).risk_level == ""


def test_a_partner_with_an_accepted_referral_assesses_the_risk(cast):
    case = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    assess_risk(case, cast.health, level="medium")
    assert Case.objects.get(pk=case.pk).risk_level == "medium"


# --- The reintegration guard ------------------------------------------------------------------
def test_reintegration_needs_a_risk_assessment(cast):
    case = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    with pytest.raises(RiskAssessmentRequired):
        take_transition(case, "start_reintegration", actor=cast.ngo_a)
    assert Case.objects.get(pk=case.pk).stage == "assistance"


def test_an_old_assessment_is_not_enough(cast, settings):
    settings.NRM_RISK_ASSESSMENT_DAYS = 30
    case = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    Case.objects.filter(pk=case.pk).update(identified_on=today() - datetime.timedelta(days=60))
    assess_risk(case, cast.ngo_a, assessed_on=today() - datetime.timedelta(days=31))
    with pytest.raises(RiskAssessmentRequired):
        take_transition(case, "start_reintegration", actor=cast.ngo_a)
    assess_risk(case, cast.ngo_a, assessed_on=today() - datetime.timedelta(days=30))
    take_transition(case, "start_reintegration", actor=cast.ngo_a)
    assert Case.objects.get(pk=case.pk).stage == "reintegration"


def test_the_state_is_checked_before_the_guard(cast):
    case = case_led_by_ngo_a(cast, stage="identification")
    refer(case, cast.ngo_a, cast.ngo_b, "Shelter")
    with pytest.raises(InvalidTransition) as error:
        take_transition(case, "start_reintegration", actor=cast.ngo_a)
    assert not isinstance(error.value, RiskAssessmentRequired)


def test_a_review_date_schedules_the_leads_one_plan_review_task(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    set_plan_review(case, actor=cast.ngo_a, review_on=today() + datetime.timedelta(days=10))
    set_plan_review(case, actor=cast.ngo_a, review_on=today() + datetime.timedelta(days=20))
    [task] = Task.objects.filter(case=case, kind="plan_review")
    assert (task.due_on, task.organisation_id, task.state) == (
        today() + datetime.timedelta(days=20),
        case.lead_organisation_id,
        "open",
    )
