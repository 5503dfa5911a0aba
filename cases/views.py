from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors
from cases.assignment import assign_case, assignable_users
from cases.casework import add_note, record_service, update_service
from cases.consent import record_consent
from cases.corrections import correct_case
from cases.dispatch import CASE_TRANSITIONS, available_transitions, take_transition
from cases.forms import (
    AssignForm,
    CaseFilterForm,
    ConsentForm,
    CorrectionForm,
    NoteForm,
    RegistrationForm,
    ServiceRecordForm,
    ServiceUpdateForm,
    TransitionForm,
    add_service_errors,
)
from cases.models import Case
from cases.queries import CaseListQuery
from cases.registration import register_case
from cases.rules import can_access_cases, can_register_cases, may, require_on_service
from core.decorators import user_passes_rule
from core.errors import Conflict
from documents import selectors as documents
from documents.forms import DocumentForm
from limits.throttle import REGISTRATION, SEARCH, Verdict, take
from plans.forms import (
    NeedForm,
    NeedUpdateForm,
    PlanReviewForm,
    RiskAssessmentForm,
    need_links,
)
from plans.selectors import plan_view
from proceedings.forms import give_proceeding_forms
from proceedings.selectors import case_proceedings
from referral.creation import create_referral
from referral.forms import ReferForm
from tasks.forms import case_section as case_tasks

# Case pages are for operational roles only (can_access_cases); the others get 403 (API.md).
PAGE_SIZE = 50


def _refused(request, template: str, context: dict, verdict: Verdict, scope: str):
    """A page over a limit: the same page, its form as typed, the wait, 429 and Retry-After."""
    messages.error(request, verdict.message(scope))
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


@user_passes_rule(can_access_cases)
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    if form.searches():
        verdict = take(request.user, SEARCH)
        if not verdict.allowed:
            context = {"form": form, "throttled": True}
            return _refused(request, "cases/list.html", context, verdict, SEARCH)
    query = form.query() if form.is_bound else CaseListQuery()
    if query is None:
        cases = Case.objects.none()
    else:
        cases = selectors.search_cases(request.user, query, channel="ui", request=request)
    pages = selectors.list_pages(request.user, cases, query)
    page = Paginator(pages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "form": form,
            "can_register": can_register_cases(request.user),
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@user_passes_rule(can_access_cases)
def case_detail(request, case_id):
    return case_page(request, case_id)


def case_page(request, case_id, *, bound=None, status=200):
    """The case page; ``bound`` is a submitted form shown again with its values and errors
    (``status`` 400 for bad input, 409 for a refusal by state). The other apps' sections of
    the page (plans/) come back through it too."""
    user = request.user
    case = selectors.read_case_and_log_access(user, case_id, request=request, channel="ui")
    history = None
    if selectors.can_see_history(user, case):
        history = selectors.history_of(
            case,
            page=request.GET.get("history_page"),
            reads_page=request.GET.get("reads_page"),
            list_reads=request.GET.get("reads") == "1",
        )
    work = selectors.case_work(user, case)
    _give_service_forms(work, bound)
    plan = plan_view(user, case, relations=work.relations)
    links = need_links(case, **work.case_rows()) if plan is not None and plan.may_write else None
    _give_need_forms(plan, case, bound, links)
    tasks = case_tasks(user, case, relations=work.relations, bound=bound)
    allowed = work.may
    forms = {
        "consent_form": ConsentForm(case=case) if allowed["record_consent"] else None,
        "refer_form": ReferForm(
            user=user, offer_override=_offer_override(case, allowed["override_consent"])
        )
        if allowed["refer"]
        else None,
        "note_form": NoteForm() if allowed["add_note"] else None,
        "service_form": ServiceRecordForm() if allowed["record_service"] else None,
        "assign_form": AssignForm(
            users=assignable_users(case), initial={"assignee": case.assigned_to}
        )
        if allowed["assign"]
        else None,
        **_plan_forms(plan, case, links),
        "document_form": DocumentForm()
        if documents.offers_upload(user, case, relations=work.relations)
        else None,
        "task_form": tasks.form,
    }
    # Only a form the page offers is replaced by the submitted one: a refused action stays off,
    # and what refused it is then the page's message.
    placed = False
    if bound is not None:
        offered = [key for key, form in forms.items() if type(form) is type(bound)]
        forms.update(dict.fromkeys(offered, bound))
        placed = bool(offered)
    transition_forms = []
    for name in available_transitions(user, case, relations=work.relations):
        if isinstance(bound, TransitionForm) and bound.name == name:
            transition_forms.append(bound)
            placed = True
        else:
            transition_forms.append(TransitionForm(name=name))
    # The proceedings section (proceedings app): None for an organisation that does not read it.
    proceedings = case_proceedings(user, case, relations=work.relations)
    placed = give_proceeding_forms(proceedings, bound) or placed
    if bound is not None and not placed and bound.non_field_errors():
        messages.error(request, " ".join(bound.non_field_errors()))
    context = {
        "case": case,
        "history": history,
        "work": work,
        "transition_forms": transition_forms,
        "plan": plan,
        "proceedings": proceedings,
        "reflection_warning_days": settings.NRM_REFLECTION_WARNING_DAYS,
        "documents": documents.documents_for_page(user, case),
        "tasks": tasks,
        **forms,
    }
    return render(request, "cases/detail.html", context, status=status)


def _plan_forms(plan, case, links) -> dict:
    """The plan section's forms the user is offered (plans.rules through plans.selectors)."""
    writes = plan is not None and plan.may_write
    return {
        "plan_review_form": PlanReviewForm(plan=plan.plan) if writes else None,
        "need_form": NeedForm(case=case, links=links) if writes else None,
        "risk_form": RiskAssessmentForm() if plan is not None and plan.may_assess else None,
    }


def _give_need_forms(plan, case, bound, links) -> None:
    """Each need carries its update form when the user writes the plan: the submitted one for
    the need it was about."""
    if plan is None or not plan.may_write:
        return
    for need in plan.needs:
        if isinstance(bound, NeedUpdateForm) and bound.need.pk == need.pk:
            need.update_form = bound
        else:
            need.update_form = NeedUpdateForm(case=case, links=links, need=need)


def _offer_override(case, may_override: bool) -> bool:
    """The override field is offered when consent is missing and the rules allow it."""
    return may_override and not case.referral_consent


def _act(request, case, call, form, success: str):
    """Call one service with the form's data. A refusal keeps what was typed: a ValidationError
    goes onto the form's fields (400), a refusal by state (a closed case, a lost race, consent
    missing) becomes the form's one message (409), and the page is shown again, the form open.
    """
    if not form.is_valid():
        return case_page(request, case.pk, bound=form, status=400)
    try:
        call(case, actor=request.user, **form.to_service_kwargs())
    except Conflict as error:
        add_refusal = getattr(form, "add_refusal", None)
        if add_refusal is not None:
            add_refusal(error)
        else:
            form.add_error(None, error.message)
        return case_page(request, case.pk, bound=form, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return case_page(request, case.pk, bound=form, status=400)
    messages.success(request, success)
    return redirect("cases:detail", case_id=case.pk)


@user_passes_rule(can_access_cases)
@require_POST
def case_record_consent(request, case_id):
    case = selectors.case_for_work(request.user, case_id)
    form = ConsentForm(request.POST, case=case)
    return _act(request, case, record_consent, form, _("Consent recorded."))


@user_passes_rule(can_access_cases)
@require_POST
def case_refer(request, case_id):
    case = selectors.case_for_work(request.user, case_id)
    offer = _offer_override(case, may(request.user, "override_consent", case))
    form = ReferForm(request.POST, user=request.user, offer_override=offer)
    return _act(request, case, create_referral, form, _("Referral sent."))


@user_passes_rule(can_access_cases)
@require_POST
def case_transition(request, case_id, name):
    case = selectors.case_for_work(request.user, case_id)
    if name not in CASE_TRANSITIONS:
        messages.error(request, _("There is no such action."))
        return redirect("cases:detail", case_id=case.pk)
    form = TransitionForm(request.POST, name=name)

    def call(case, **kwargs):
        return take_transition(case, name, **kwargs)

    return _act(request, case, call, form, CASE_TRANSITIONS[name].done)


@user_passes_rule(can_access_cases)
@require_POST
def case_assign(request, case_id):
    case = selectors.case_for_work(request.user, case_id)
    form = AssignForm(request.POST, users=assignable_users(case))
    return _act(request, case, assign_case, form, _("Assignment saved."))


@user_passes_rule(can_access_cases)
@require_POST
def case_add_note(request, case_id):
    case = selectors.case_for_work(request.user, case_id)
    form = NoteForm(request.POST)
    return _act(request, case, add_note, form, _("Note added."))


@user_passes_rule(can_access_cases)
@require_POST
def case_record_service(request, case_id):
    case = selectors.case_for_work(request.user, case_id)
    form = ServiceRecordForm(request.POST)
    return _act(request, case, record_service, form, _("Service recorded."))


@user_passes_rule(can_access_cases)
def case_correct(request, case_id):
    """The record's correction form; the service decides who may and what is valid."""
    case = selectors.case_for_correction(request.user, case_id, request=request)
    if request.method != "POST":
        return render(
            request, "cases/correct.html", {"case": case, "form": CorrectionForm(case=case)}
        )
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            correction = correct_case(
                case,
                actor=request.user,
                reason=form.cleaned_data["change_reason"],
                changes=form.to_changes(),
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("cases:detail", case_id=case.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if correction is None:
                messages.info(request, _("Nothing was changed: every value was already so."))
            else:
                messages.success(request, _("The record is corrected."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/correct.html", {"case": case, "form": form}, status=400)


@user_passes_rule(can_access_cases)
def case_register(request):
    if not can_register_cases(request.user):
        raise PermissionDenied
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        verdict = take(request.user, REGISTRATION)
        if not verdict.allowed:
            return _refused(request, "cases/register.html", {"form": form}, verdict, REGISTRATION)
    if request.method == "POST" and form.is_valid():
        person, case_data = form.to_service_data()
        try:
            case = register_case(actor=request.user, person=person, case=case_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # A possible duplicate is told once, by the case page's warning (with its answers).
            messages.success(request, _("Case %(ref)s registered.") % {"ref": case.reference})
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/register.html", {"form": form})


@user_passes_rule(can_access_cases)
@require_POST
def case_update_service(request, case_id, service_id):
    """A service's new status and dates; a refusal shows the page again, the form as typed
    with its errors (400)."""
    record = selectors.service_for_work(request.user, service_id, case_id=case_id)
    # Asked before the form is read: a 403 wins over a 400, as in the API.
    require_on_service(request.user, "update_service", record)
    form = ServiceUpdateForm(request.POST, record=record)
    if form.is_valid():
        try:
            update_service(record, actor=request.user, changes=form.to_changes())
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("cases:detail", case_id=case_id)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Service updated."))
            return redirect("cases:detail", case_id=case_id)
    response = case_page(request, case_id, bound=form)
    response.status_code = 400
    return response


def _give_service_forms(work, bound) -> None:
    """Each service the user may update carries its form (``update_form``): the submitted one
    for the service it was about, a fresh one for the others."""
    for record in work.services:
        if record.pk not in work.updatable_services:
            continue
        if isinstance(bound, ServiceUpdateForm) and bound.record.pk == record.pk:
            record.update_form = bound
        else:
            record.update_form = ServiceUpdateForm(record=record)
