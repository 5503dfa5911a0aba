"""The national coordinator's review list and the review of one pair, through one service;
and the registering organisation's answer on a match its case page showed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.forms import add_service_errors
from cases.rules import can_access_cases
from core.decorators import user_passes_rule
from core.errors import Conflict
from duplicates import selectors
from duplicates.forms import DuplicateFilterForm, DuplicateReviewForm
from duplicates.models import DuplicateOutcome
from duplicates.review import review_duplicate, settle_shown_match
from duplicates.rules import can_review_duplicates

PAGE_SIZE = 50


def review_ids(pair) -> str:
    return f"id_{pair.pk.hex}_%s"


def _list(request, *, status: str, review_form=None, reviewed_id=None):
    pairs = selectors.duplicates_for_review(request.user, status=status)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    for pair in page.object_list:
        # One form per row, with its own element ids so each label names its own field.
        refused = review_form is not None and pair.pk == reviewed_id
        pair.form = review_form if refused else DuplicateReviewForm(auto_id=review_ids(pair))
    return render(
        request,
        "duplicates/list.html",
        {
            "page": page,
            "status": status,
            "filter_form": DuplicateFilterForm(initial={"status": status}),
            "query": f"status={status}",
        },
        status=400 if review_form is not None else 200,
    )


@user_passes_rule(can_review_duplicates)
def duplicate_list(request):
    # Pairs awaiting review unless another choice was asked for (and is a valid one).
    form = DuplicateFilterForm(request.GET)
    asked = "status" in request.GET and form.is_valid()
    return _list(request, status=form.cleaned_data["status"] if asked else selectors.PENDING)


@user_passes_rule(can_review_duplicates)
@require_POST
def duplicate_review(request, pair_id):
    pair = selectors.duplicate_for_review(request.user, pair_id)
    form = DuplicateReviewForm(request.POST, auto_id=review_ids(pair))
    if form.is_valid():
        try:
            review_duplicate(
                pair,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("duplicates:list")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("duplicates:list")
    return _list(request, status=selectors.PENDING, review_form=form, reviewed_id=pair.pk)


SETTLED = {
    DuplicateOutcome.SAME_PERSON: gettext_lazy("Recorded: the same person as %(ref)s."),
    DuplicateOutcome.DIFFERENT_PEOPLE: gettext_lazy("Recorded: not the person of %(ref)s."),
}


@user_passes_rule(can_access_cases)
@require_POST
def duplicate_settle(request, pair_id):
    """The two buttons of the warning on the case page; back to the case page either way."""
    pair = selectors.shown_pair(request.user, pair_id)
    outcome = request.POST.get("outcome", "")
    try:
        settled = settle_shown_match(pair, actor=request.user, outcome=outcome)
    except Conflict as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        reference = settled.other_case.reference
        messages.success(request, str(SETTLED[settled.outcome]) % {"ref": reference})
    return redirect("cases:detail", case_id=pair.case_id)
