"""The referral inbox, a referral's page and the answers to it, each through one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases.errors import Conflict
from cases.forms import add_service_errors
from cases.views import PAGE_SIZE, case_worker_required
from referral import selectors, services
from referral.forms import DeclineForm, InboxFilterForm


@case_worker_required
def inbox(request):
    form = InboxFilterForm(request.GET or None)
    direction, state = form.selection()
    referrals = selectors.inbox(request.user, direction=direction, state=state)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referral/inbox.html",
        {
            "page": page,
            "form": form,
            "direction": direction,
            "state": state,
            "query": query.urlencode(),
        },
    )


def _detail(request, referral, *, decline_form=None):
    return render(
        request,
        "referral/detail.html",
        {
            "referral": referral,
            "case_access": selectors.case_access(request.user, referral),
            "actions": selectors.available_actions(request.user, referral),
            "decline_form": decline_form or DeclineForm(),
        },
    )


@case_worker_required
def referral_detail(request, referral_id):
    return _detail(request, selectors.referral_for(request.user, referral_id))


SUCCESS = {
    "accept": _("Referral accepted. Your organisation now sees the whole case."),
    "decline": _("Referral declined. The sending organisation sees your reason."),
    "cancel": _("Referral cancelled."),
    "complete": _("Referral completed."),
}


def _answer(request, referral_id, name, call):
    """Fetch, call the one service, turn a lost race or wrong state into a message."""
    referral = selectors.referral_for(request.user, referral_id)
    try:
        call(referral, actor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, SUCCESS[name])
    return redirect("referral:detail", referral_id=referral.pk)


@case_worker_required
@require_POST
def referral_accept(request, referral_id):
    return _answer(request, referral_id, "accept", services.accept_referral)


@case_worker_required
@require_POST
def referral_cancel(request, referral_id):
    return _answer(request, referral_id, "cancel", services.cancel_referral)


@case_worker_required
@require_POST
def referral_complete(request, referral_id):
    return _answer(request, referral_id, "complete", services.complete_referral)


@case_worker_required
@require_POST
def referral_decline(request, referral_id):
    referral = selectors.referral_for(request.user, referral_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline_referral(
                referral, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("referral:detail", referral_id=referral.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SUCCESS["decline"])
            return redirect("referral:detail", referral_id=referral.pk)
    return _detail(request, referral, decline_form=form)
