from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import selectors
from cases.forms import CaseFilterForm, RegistrationForm
from cases.rules import can_access_cases, can_register_cases
from cases.services import register_case

PAGE_SIZE = 50


def _case_worker_required(view):
    """Case pages are for operational roles only; the others get 403 (API.md)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_access_cases(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@_case_worker_required
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    cases = selectors.cases_for_list(request.user)
    if form.is_bound:
        cases = form.filter(cases)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
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


@_case_worker_required
def case_detail(request, case_id):
    case = selectors.read_case(request.user, case_id, request=request, channel="ui")
    history = None
    if selectors.can_see_history(request.user, case):
        history = selectors.case_history(case)
    return render(request, "cases/detail.html", {"case": case, "history": history})


@_case_worker_required
def case_register(request):
    if not can_register_cases(request.user):
        raise PermissionDenied
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person, case_data = form.to_service_data()
        try:
            case = register_case(actor=request.user, person=person, case=case_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Case %(ref)s registered.") % {"ref": case.reference})
            if case.possible_duplicate:
                messages.warning(
                    request,
                    _(
                        "A possible match with an existing record exists. Contact the national "
                        "coordinator before referring this person."
                    ),
                )
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/register.html", {"form": form})
