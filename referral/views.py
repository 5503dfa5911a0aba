"""The referral inbox, a referral's page and the answers to it, each through one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.forms import add_service_errors
from cases.rules import can_access_cases
from core.decorators import user_passes_rule
from core.errors import Conflict
from notices.services import notices_for
from referral import selectors
from referral.dispatch import REFERRAL_ACTIONS, take_referral_action
from referral.forms import DeclineForm, InboxFilterForm

PAGE_SIZE = 50
# The newest notices shown above the referrals; the API lists them all.
NOTICES_SHOWN = 10


@user_passes_rule(can_access_cases)
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
            "notices": list(notices_for(request.user)[:NOTICES_SHOWN]),
            "page": page,
            "form": form,
            "direction": direction,
            "state": state,
            "query": query.urlencode(),
        },
    )


def _detail(request, referral_id, *, decline_form=None):
    referral = selectors.read_referral_and_log_access(
        request.user, referral_id, request=request, channel="ui"
    )
    return render(
        request,
        "referral/detail.html",
        {
            "referral": referral,
            "case_access": referral.case_access,
            "actions": selectors.available_actions(request.user, referral),
            "decline_form": decline_form or DeclineForm(),
            "slip_available": selectors.slip_available(request.user, referral),
        },
    )


@user_passes_rule(can_access_cases)
def referral_detail(request, referral_id):
    return _detail(request, referral_id)


def _answer(request, referral_id, name):
    """Fetch, dispatch to the one service, turn a lost race or wrong state into a message."""
    referral = selectors.referral_for(request.user, referral_id)
    try:
        take_referral_action(referral, name, actor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, REFERRAL_ACTIONS[name].done)
    return redirect("referral:detail", referral_id=referral.pk)


@user_passes_rule(can_access_cases)
@require_POST
def referral_accept(request, referral_id):
    return _answer(request, referral_id, "accept")


@user_passes_rule(can_access_cases)
@require_POST
def referral_cancel(request, referral_id):
    return _answer(request, referral_id, "cancel")


@user_passes_rule(can_access_cases)
@require_POST
def referral_complete(request, referral_id):
    return _answer(request, referral_id, "complete")


@user_passes_rule(can_access_cases)
@require_POST
def referral_end(request, referral_id):
    return _answer(request, referral_id, "end")


@user_passes_rule(can_access_cases)
@require_POST
def referral_decline(request, referral_id):
    referral = selectors.referral_for(request.user, referral_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            take_referral_action(
                referral, "decline", actor=request.user, reason=form.cleaned_data["reason"]
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("referral:detail", referral_id=referral.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, REFERRAL_ACTIONS["decline"].done)
            return redirect("referral:detail", referral_id=referral.pk)
    return _detail(request, referral.pk, decline_form=form)


@user_passes_rule(can_access_cases)
def referral_slip(request, referral_id):
    """The referral's one-page slip, for print; its rendering is audited (the selector)."""
    slip = selectors.read_slip(request.user, referral_id, request=request)
    return render(request, "referral/slip.html", {"slip": slip, "referral": slip.referral})
