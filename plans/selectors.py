"""Reading the plan and the risk assessments of a case, for those the rules let read them."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.entries import record_access
from cases.models import Case, Stage
from cases.rules import case_relations
from plans import rules
from plans.models import AssistancePlan, Need, RiskAssessment


@dataclass
class PlanView:
    """The plan section of a case page (or the API's read): what may be read and done."""

    plan: AssistancePlan | None
    needs: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    may_write: bool = False
    may_assess: bool = False


def plan_view(user, case: Case, *, relations: frozenset[str] | None = None) -> PlanView | None:
    """The case's plan with its needs (their links read along) and its risk assessments,
    newest first; None when the user's organisation may not read them. Four queries."""
    if relations is None:
        relations = case_relations(user, case)
    if not rules.may(user, "read_plan", case, relations=relations):
        return None
    open_case = case.stage != Stage.CLOSED
    plan = AssistancePlan.objects.filter(case=case).select_related("updated_by").first()
    needs = []
    if plan is not None:
        needs = list(
            Need.objects.filter(plan=plan)
            .select_related("responsible")
            .prefetch_related("referrals__to_organisation", "services__service_type")
        )
    return PlanView(
        plan=plan,
        needs=needs,
        assessments=list(
            RiskAssessment.objects.filter(case=case).select_related("assessor", "organisation")
        ),
        may_write=open_case and rules.may(user, "write_plan", case, relations=relations),
        may_assess=open_case and rules.may(user, "assess_risk", case, relations=relations),
    )


def read_plan_case(user, case_id, *, request=None, channel: str, read: str) -> Case:
    """The case whose plan or risk assessments (``read``) the user reads: Http404 when not
    visible, PermissionDenied when its organisation may not read the plan. Writes an access
    entry naming what was read, like a read of the case."""
    case = Case.objects.visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if not rules.may(user, "read_plan", case):
        raise PermissionDenied(rules.PLAN_RULES["read_plan"].message)
    record_access(case, actor=user, request=request, channel=channel, read=read)
    return case


def need_for_work(user, need_id) -> Need:
    """A need of a case the user sees (Http404 otherwise); the service asks the rule."""
    need = (
        Need.objects.filter(pk=need_id, plan__case__in=Case.objects.visible_to(user))
        .select_related("plan")
        .first()
    )
    if need is None:
        raise Http404
    return need


def risk_assessments(case: Case):
    """The case's risk assessments, newest first, with who made them."""
    return RiskAssessment.objects.filter(case=case).select_related("assessor", "organisation")
