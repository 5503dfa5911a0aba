from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


@login_required
def inbox(request):
    return render(request, "referral/inbox.html", {})


@login_required
def referral_detail(request, referral_id):
    raise Http404
