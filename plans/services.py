"""Writing the assistance plan and the risk assessments: one straight function each.

Each runs in one transaction: lock the case, ask the rule (plans.rules), check the input, refuse
a closed case, write, audit (auditlog's entries, protected texts masked, and an event for a
risk assessment). Raises PermissionDenied, InvalidTransition (closed case), then
ValidationError, in that order.
"""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.entries import record_event
from audit.events import Event
from cases.models import Case, RiskLevel, Stage
from cases.primitives import lock_case
from core.errors import InvalidTransition
from core.text import NOTE_MAX
from plans import rules
from plans.models import FACTORS, AssistancePlan, Domain, Need, NeedStatus, RiskAssessment
from tasks.system import schedule_plan_review

CLOSED = _("The case is closed. Reopen it to change its plan or assess the risk.")
GOAL_MAX = 1000


def _open_case(case: Case, *, actor, action: str) -> Case:
    locked = lock_case(case)
    rules.require(actor, action, locked)
    if locked.stage == Stage.CLOSED:
        raise InvalidTransition(CLOSED)
    return locked


def _plan_of(case: Case, *, actor) -> AssistancePlan:
    plan, _created = AssistancePlan.objects.get_or_create(case=case, defaults={"updated_by": actor})
    return plan


def set_plan_review(case: Case, *, actor, review_on: datetime.date | None) -> AssistancePlan:
    """Set (or clear) the plan's next review date; the plan is made on first use.

    Side effects: the AssistancePlan row (created or changed; audited by auditlog); a review
    date set schedules the lead organisation's one open "plan review" task on that day
    (``tasks.system.schedule_plan_review``: made, or its date moved).
    """
    with transaction.atomic(), set_actor(actor):
        locked = _open_case(case, actor=actor, action="write_plan")
        if review_on is not None and review_on < timezone.localdate():
            raise ValidationError({"review_on": [_("The review date cannot be in the past.")]})
        plan = _plan_of(locked, actor=actor)
        plan.review_on, plan.updated_by = review_on, actor
        plan.save()
        if review_on is not None:
            schedule_plan_review(locked, due_on=review_on, organisation=locked.lead_organisation_id)
        return plan


def add_need(
    case: Case,
    *,
    actor,
    domain: str,
    goal: str,
    responsible,
    target_on: datetime.date | None = None,
    status: str = NeedStatus.OPEN,
    referrals=(),
    services=(),
) -> Need:
    """Add a need to the case's plan (made on first use), with its goal and who works on it.

    Side effects: a Need row and its links to referrals and services of the same case; the
    plan's ``updated_by``; auditlog's entries (the goal masked).
    """
    with transaction.atomic(), set_actor(actor):
        locked = _open_case(case, actor=actor, action="write_plan")
        values = _need_values(
            locked,
            domain=domain,
            goal=goal,
            responsible=responsible,
            target_on=target_on,
            status=status,
            referrals=referrals,
            services=services,
        )
        plan = _plan_of(locked, actor=actor)
        links = values.pop("referrals"), values.pop("services")
        need = Need.objects.create(plan=plan, **values)
        need.referrals.set(links[0])
        need.services.set(links[1])
        plan.updated_by = actor
        plan.save(update_fields=["updated_by", "updated_at"])
        return need


def update_need(need: Need, *, actor, changes: dict) -> Need:
    """Change a need's goal, responsible organisation, target date, status or links.

    Side effects: the Need row and its links; the plan's ``updated_by``; auditlog's entries.
    """
    with transaction.atomic(), set_actor(actor):
        locked = _open_case(need.plan.case_id, actor=actor, action="write_plan")
        need = Need.objects.select_for_update().get(pk=need.pk)
        current = {
            "domain": need.domain,
            "goal": need.goal,
            "responsible": need.responsible,
            "target_on": need.target_on,
            "status": need.status,
            "referrals": list(need.referrals.all()),
            "services": list(need.services.all()),
        }
        unknown = set(changes) - set(current)
        if unknown:
            raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
        values = _need_values(locked, **{**current, **changes})
        links = values.pop("referrals"), values.pop("services")
        for name, value in values.items():
            setattr(need, name, value)
        need.save()
        need.referrals.set(links[0])
        need.services.set(links[1])
        AssistancePlan.objects.filter(pk=need.plan_id).update(
            updated_by=actor, updated_at=timezone.now()
        )
        return need


def _need_values(case, *, domain, goal, responsible, target_on, status, referrals, services):
    errors = {}
    goal = (goal or "").strip()
    if domain not in Domain.values:
        errors["domain"] = [_("Choose a domain.")]
    if not goal:
        errors["goal"] = [_("Say what the goal is.")]
    elif len(goal) > GOAL_MAX:
        errors["goal"] = [_("Keep the goal under %(n)d characters.") % {"n": GOAL_MAX}]
    if responsible is None or not getattr(responsible, "active", False):
        errors["responsible"] = [_("Choose the active organisation responsible.")]
    if status not in NeedStatus.values:
        errors["status"] = [_("Choose a status.")]
    if target_on is not None and target_on < case.identified_on:
        errors["target_on"] = [_("The target date cannot be before the identification date.")]
    referrals, services = list(referrals), list(services)
    if any(getattr(r, "case_id", None) != case.pk for r in referrals):
        errors["referrals"] = [_("Link only referrals of this case.")]
    if any(getattr(s, "case_id", None) != case.pk for s in services):
        errors["services"] = [_("Link only services of this case.")]
    if errors:
        raise ValidationError(errors)
    return {
        "domain": domain,
        "goal": goal,
        "responsible": responsible,
        "target_on": target_on,
        "status": status,
        "referrals": referrals,
        "services": services,
    }


def record_risk_assessment(
    case: Case,
    *,
    actor,
    factors: dict[str, str],
    level: str,
    assessed_on: datetime.date | None = None,
    notes: str = "",
) -> RiskAssessment:
    """Record a structured risk assessment; the case then carries its level.

    Side effects: a RiskAssessment row (notes protected); the case's ``risk_level`` (the latest
    assessment's, by date); one "risk_assessed" audit entry (the level and ids, never the
    notes). A high level flags the case on its header and the home pages of the organisations
    on the case (cases.attention).
    """
    today = timezone.localdate()
    assessed_on = assessed_on or today
    with transaction.atomic(), set_actor(actor):
        locked = _open_case(case, actor=actor, action="assess_risk")
        errors = {
            name: [_("Choose low, medium or high.")]
            for name in (*FACTORS, "level")
            if (factors.get(name) if name != "level" else level) not in RiskLevel.values
        }
        if assessed_on > today:
            errors["assessed_on"] = [_("The assessment date cannot be in the future.")]
        elif assessed_on < locked.identified_on:
            errors["assessed_on"] = [
                _("The assessment date cannot be before the identification date.")
            ]
        notes = (notes or "").strip()
        if len(notes) > NOTE_MAX:
            errors["notes"] = [_("Keep the notes under %(n)d characters.") % {"n": NOTE_MAX}]
        if errors:
            raise ValidationError(errors)
        assessment = RiskAssessment.objects.create(
            case=locked,
            level=level,
            notes=notes,
            assessed_on=assessed_on,
            assessor=actor,
            organisation=actor.organisation,
            **{name: factors[name] for name in FACTORS},
        )
        latest = RiskAssessment.objects.filter(case=locked).order_by("-assessed_on", "-created_at")[
            0
        ]
        if locked.risk_level != latest.level:
            locked.risk_level = latest.level
            locked.save(update_fields=["risk_level", "updated_at"])
        record_event(
            locked,
            actor=actor,
            event=Event.RISK_ASSESSED,
            level=level,
            assessment=str(assessment.pk),
        )
        return assessment
