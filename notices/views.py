"""The notifications page, marking notices read, and the user's mail settings; each through
one service."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.rules import can_access_cases
from core.decorators import user_passes_rule
from core.pagination import counted_page
from notices.forms import MailPreferenceForm
from notices.services import (
    mail_wanted,
    mark_all_read,
    mark_read,
    notices_for,
    set_mail_preferences,
)

PAGE_SIZE = 25
# Where "mark as read" returns: the page the button was on (a name, never a URL from the form).
RETURN_TO = {"inbox": "referral:inbox", "list": "notices:list"}


@user_passes_rule(can_access_cases)
def notice_list(request):
    page = counted_page(notices_for(request.user), request.GET.get("page"), per_page=PAGE_SIZE)
    return render(request, "notices/list.html", {"page": page, "query": ""})


def _back(request):
    target = redirect(RETURN_TO.get(request.POST.get("next"), "referral:inbox"))
    page = request.POST.get("page", "")
    if request.POST.get("next") == "list" and page.isdigit():
        target["Location"] += f"?page={page}"
    return target


@user_passes_rule(can_access_cases)
@require_POST
def notice_read(request, notice_id):
    mark_read(user=request.user, notice_id=notice_id)
    return _back(request)


@user_passes_rule(can_access_cases)
@require_POST
def notice_read_all(request):
    mark_all_read(user=request.user)
    return redirect("notices:list")


@user_passes_rule(can_access_cases)
def mail_settings(request):
    form = MailPreferenceForm.for_choices(mail_wanted(request.user), request.POST or None)
    if request.method == "POST" and form.is_valid():
        set_mail_preferences(user=request.user, kinds=form.cleaned_data["kinds"])
        messages.success(request, _("Your mail settings are saved."))
        return redirect("notices:settings")
    return render(request, "notices/settings.html", {"form": form})
