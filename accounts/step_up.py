"""Step-up: the riskiest reads ask for the second factor again when the last one is more than
10 minutes old (the HTCDS extract; the break-glass reveal when it comes)."""

from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.sessions import recently_verified


def second_factor_within_10_minutes(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not recently_verified(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:verify')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
