"""The case page's proceedings forms, posted to /cases/<id>/proceedings/…: each view asks
the rule, reads its form, calls one service; a refusal shows the case page again with the form
as typed (400 for bad input, 409 for a refusal by state), through ``cases.views``' page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import views as case_views
from cases.forms import add_service_errors
from cases.rules import can_access_cases
from cases.selectors import case_for_work
from core.decorators import user_passes_rule
from core.errors import Conflict
from proceedings import rules, selectors
from proceedings.forms import (
    HearingForm,
    MeasureDecisionForm,
    MeasureForm,
    ProceedingForm,
    ProceedingUpdateForm,
)
from proceedings.services import (
    add_hearing,
    add_proceeding,
    decide_protection_measure,
    record_protection_measure,
    update_proceeding,
)


def _act(request, case_id, call, form, success: str):
    """Call the service with the form's data; show the page again on a refusal."""
    if not form.is_valid():
        return case_views.case_page(request, case_id, bound=form, status=400)
    try:
        call(actor=request.user, **form.to_service_kwargs())
    except Conflict as error:
        form.add_error(None, error.message)
        return case_views.case_page(request, case_id, bound=form, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return case_views.case_page(request, case_id, bound=form, status=400)
    messages.success(request, success)
    return redirect(reverse("cases:detail", kwargs={"case_id": case_id}) + "#proceedings")


@user_passes_rule(can_access_cases)
@require_POST
def add(request, case_id):
    case = case_for_work(request.user, case_id)
    # Asked before the form is read: a 403 wins over a 400, as in the API.
    rules.require(request.user, "add_proceeding", case)
    form = ProceedingForm(request.POST)

    def call(**kwargs):
        return add_proceeding(case, **kwargs)

    return _act(request, case.pk, call, form, _("Proceeding recorded."))


@user_passes_rule(can_access_cases)
@require_POST
def update(request, case_id, proceeding_id):
    proceeding = selectors.proceeding_for(request.user, proceeding_id, case_id=case_id)
    rules.require(request.user, "update_proceeding", proceeding.case)
    form = ProceedingUpdateForm(request.POST, proceeding=proceeding)

    def call(*, actor, **changes):
        return update_proceeding(proceeding, actor=actor, changes=changes)

    return _act(request, case_id, call, form, _("Proceeding updated."))


@user_passes_rule(can_access_cases)
@require_POST
def hearing(request, case_id, proceeding_id):
    proceeding = selectors.proceeding_for(request.user, proceeding_id, case_id=case_id)
    rules.require(request.user, "add_hearing", proceeding.case)
    form = HearingForm(request.POST, proceeding=proceeding)

    def call(**kwargs):
        return add_hearing(proceeding, **kwargs)

    return _act(request, case_id, call, form, _("Hearing recorded."))


@user_passes_rule(can_access_cases)
@require_POST
def measure(request, case_id, proceeding_id):
    proceeding = selectors.proceeding_for(request.user, proceeding_id, case_id=case_id)
    rules.require(request.user, "record_protection_measure", proceeding.case)
    form = MeasureForm(request.POST, proceeding=proceeding)

    def call(**kwargs):
        return record_protection_measure(proceeding, **kwargs)

    return _act(request, case_id, call, form, _("Protection measure recorded."))


@user_passes_rule(can_access_cases)
@require_POST
def decide(request, case_id, measure_id):
    measure = selectors.measure_for(request.user, measure_id, case_id=case_id)
    rules.require(request.user, "decide_protection_measure", measure.proceeding.case)
    form = MeasureDecisionForm(request.POST, measure=measure)

    def call(**kwargs):
        return decide_protection_measure(measure, **kwargs)

    return _act(request, case_id, call, form, _("Decision recorded."))
