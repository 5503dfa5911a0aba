from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from stats import publication
from stats.rules import can_view_statistics


def statistics_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_view_statistics(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@statistics_required
def dashboard(request):
    table = publication.case_table(by=["year"])
    return render(
        request,
        "stats/dashboard.html",
        {"by_year": table, "counting_rule": publication.counting_rule()},
    )
