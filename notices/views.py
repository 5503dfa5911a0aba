"""Marking a notice of the organisation read, from the inbox."""

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cases.rules import can_access_cases
from core.decorators import user_passes_rule
from notices.services import mark_read


@user_passes_rule(can_access_cases)
@require_POST
def notice_read(request, notice_id):
    mark_read(user=request.user, notice_id=notice_id)
    return redirect("referral:inbox")
