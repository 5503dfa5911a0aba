"""Break-glass pages: a supervisor opens a case by its reference with a reason and reads it for
an hour; the national coordinator reviews every use. Each page is one call of a service or a
selector; the rules and the step-up live there and in accounts.step_up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.step_up import second_factor_within_10_minutes
from breakglass import selectors
from breakglass.forms import OpenForm, ReviewFilterForm, ReviewForm
from breakglass.rules import can_break_glass, can_review_break_glass
from breakglass.services import open_break_glass, review_break_glass
from cases.forms import add_service_errors
from core.decorators import user_passes_rule
from core.errors import Conflict
from limits.throttle import BREAK_GLASS, take

PAGE_SIZE = 50
OWN_USES_SHOWN = 20


def _open_page(request, form, *, status=200):
    uses = list(selectors.uses_of(request.user)[:OWN_USES_SHOWN])
    return render(request, "breakglass/open.html", {"form": form, "uses": uses}, status=status)


@user_passes_rule(can_break_glass)
@second_factor_within_10_minutes
def open_case(request):
    if request.method != "POST":
        return _open_page(request, OpenForm())
    form = OpenForm(request.POST)
    if not form.is_valid():
        return _open_page(request, form, status=400)
    verdict = take(request.user, BREAK_GLASS)
    if not verdict.allowed:
        messages.error(request, verdict.message(BREAK_GLASS))
        response = _open_page(request, form, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    try:
        use = open_break_glass(actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _open_page(request, form, status=400)
    messages.warning(
        request,
        _("You are reading case %(ref)s under break-glass until %(time)s. This use is reviewed.")
        % {"ref": use.case.reference, "time": _time(use.expires_at)},
    )
    return redirect("breakglass:case", use_id=use.pk)


def _time(moment) -> str:
    return formats.time_format(timezone.localtime(moment), "TIME_FORMAT")


@user_passes_rule(can_break_glass)
@second_factor_within_10_minutes
def case(request, use_id):
    try:
        use = selectors.read_case_under_break_glass(request.user, use_id, request=request)
    except selectors.BreakGlassEnded as ended:
        return render(request, "breakglass/ended.html", {"use": ended.use}, status=410)
    return render(request, "breakglass/case.html", {"use": use, "case": use.case})


def _review_list(request, *, status: str, review_form=None, reviewed_id=None):
    uses = selectors.uses_for_review(request.user, status=status)
    page = Paginator(uses, PAGE_SIZE).get_page(request.GET.get("page"))
    for use in page.object_list:
        # One form per row, with its own element ids so each label names its own field.
        refused = review_form is not None and use.pk == reviewed_id
        use.form = review_form if refused else ReviewForm(auto_id=_review_ids(use))
    return render(
        request,
        "breakglass/review_list.html",
        {
            "page": page,
            "status": status,
            "filter_form": ReviewFilterForm(initial={"status": status}),
            "query": f"status={status}",
        },
        status=400 if review_form is not None else 200,
    )


def _review_ids(use) -> str:
    return f"id_{use.pk.hex}_%s"


@user_passes_rule(can_review_break_glass)
def review_list(request):
    # Uses awaiting review unless another choice was asked for (and is a valid one).
    form = ReviewFilterForm(request.GET)
    asked = "status" in request.GET and form.is_valid()
    return _review_list(request, status=form.cleaned_data["status"] if asked else selectors.PENDING)


@user_passes_rule(can_review_break_glass)
@require_POST
def review(request, use_id):
    use = selectors.use_for_review(request.user, use_id)
    form = ReviewForm(request.POST, auto_id=_review_ids(use))
    if form.is_valid():
        try:
            review_break_glass(use, actor=request.user, **form.cleaned_data)
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("breakglass:review_list")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("breakglass:review_list")
    return _review_list(request, status=selectors.PENDING, review_form=form, reviewed_id=use.pk)
