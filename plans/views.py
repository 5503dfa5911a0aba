"""The plan's and the risk assessment's forms on the case page, through plans.services.

A refused form comes back on the case page (cases.views.case_page) with what was typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.forms import add_service_errors
from cases.rules import can_access_cases
from cases.views import case_page
from core.decorators import user_passes_rule
from core.errors import Conflict
from plans import selectors
from plans.forms import (
    NeedForm,
    NeedUpdateForm,
    PlanReviewForm,
    RiskAssessmentForm,
    need_links,
)
from plans.services import add_need, record_risk_assessment, set_plan_review, update_need


def _act(request, case_id, form, call, success: str):
    if not form.is_valid():
        return case_page(request, case_id, bound=form, status=400)
    try:
        call()
    except Conflict as error:
        form.add_error(None, error.message)
        return case_page(request, case_id, bound=form, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return case_page(request, case_id, bound=form, status=400)
    messages.success(request, success)
    return redirect("cases:detail", case_id=case_id)


@user_passes_rule(can_access_cases)
@require_POST
def plan_review(request, case_id):
    case = case_selectors.case_for_work(request.user, case_id)
    form = PlanReviewForm(request.POST)

    def call():
        set_plan_review(case, actor=request.user, **form.to_service_kwargs())

    return _act(request, case.pk, form, call, _("Review date saved."))


@user_passes_rule(can_access_cases)
@require_POST
def need_add(request, case_id):
    case = case_selectors.case_for_work(request.user, case_id)
    form = NeedForm(request.POST, case=case, links=need_links(case))

    def call():
        add_need(case, actor=request.user, **form.to_service_kwargs())

    return _act(request, case.pk, form, call, _("Need added to the plan."))


@user_passes_rule(can_access_cases)
@require_POST
def need_update(request, case_id, need_id):
    case = case_selectors.case_for_work(request.user, case_id)
    need = selectors.need_for_work(request.user, need_id)
    if need.plan.case_id != case.pk:
        return redirect("cases:detail", case_id=case.pk)
    form = NeedUpdateForm(request.POST, case=case, links=need_links(case), need=need)

    def call():
        update_need(need, actor=request.user, changes=form.to_changes())

    return _act(request, case.pk, form, call, _("Need updated."))


@user_passes_rule(can_access_cases)
@require_POST
def risk_assess(request, case_id):
    case = case_selectors.case_for_work(request.user, case_id)
    form = RiskAssessmentForm(request.POST)

    def call():
        record_risk_assessment(case, actor=request.user, **form.to_service_kwargs())

    return _act(request, case.pk, form, call, _("Risk assessment recorded."))
