"""The commission's statistics pages: the dashboard of a release, its downloads, the releases.

Every page reads a published release (``stats.publication``), never the cases; the coordinator
publishes a release from the releases page through the same service as
``manage.py publish_statistics``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.step_up import second_factor_within_10_minutes
from core.decorators import user_passes_rule
from core.errors import PrivacyBudgetExhausted
from database.replica import reporting_alias
from limits.throttle import STATISTICS
from reference.choices import labels
from reference.models import Region
from stats import aggregates, csv_export, ledger, publication, queries
from stats.forms import DashboardFilterForm, PublishForm
from stats.models import Release
from stats.releases import publish_release
from stats.requests import record_statistics_request, take_statistics_request
from stats.rules import can_publish_statistics, can_see_releases, can_view_statistics

# Statistics pages are for commission members only; the others get 403.
statistics_required = user_passes_rule(can_view_statistics)
PAGE_SIZE = 20


def _over_limit(request):
    """The 429 of a statistics request over the user's hourly limit, or None to go on."""
    verdict = take_statistics_request(request.user)
    if verdict.allowed:
        return None
    response = HttpResponse(
        verdict.message(STATISTICS) + "\n", status=429, content_type="text/plain; charset=utf-8"
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


@statistics_required
def dashboard(request):
    if refused := _over_limit(request):
        return refused
    form = DashboardFilterForm(request.GET)
    # The ledger read where the release shown is read from (the replica when configured).
    spent = ledger.year(timezone.localdate().year, using=reporting_alias())
    context = {"form": form, "ledger": spent}
    if not form.is_valid():
        context["counting_rule"] = publication.counting_rule()
        return render(request, "stats/dashboard.html", context, status=400)
    query = form.query
    release = query.release
    if release is not None:
        record_statistics_request(
            request.user,
            table="dashboard",
            channel="ui",
            release=release.pk,
            year_from=query.year_from,
            year_to=query.year_to,
            region=query.region,
        )
    board = aggregates.dashboard(
        release, year_from=query.year_from, year_to=query.year_to, region=query.region
    )
    context.update(
        board=board,
        release=release,
        counting_rule=publication.counting_rule(release),
        marker=aggregates.suppressed_marker(board.k),
        region_name=labels(Region).get(query.region) if query.region else None,
    )
    return render(request, "stats/dashboard.html", context)


@user_passes_rule(can_see_releases)
def releases(request, *, form=None):
    page = Paginator(Release.objects.select_related("published_by"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_publish = can_publish_statistics(request.user)
    context = {
        "page": page,
        "ledger": ledger.year(timezone.localdate().year),
        "can_publish": can_publish,
        "can_view": can_view_statistics(request.user),
        "form": form or (PublishForm() if can_publish else None),
        "epsilon": settings.NRM_STATS_RELEASE_EPSILON,
    }
    return render(request, "stats/releases.html", context, status=400 if form else 200)


@require_POST
@user_passes_rule(can_publish_statistics)
def publish(request):
    form = PublishForm(request.POST)
    if not form.is_valid():
        return releases(request, form=form)
    try:
        release = publish_release(actor=request.user, cut_off=form.cleaned_data["cut_off"])
    except PrivacyBudgetExhausted as error:
        form.add_error(None, str(error.message))
        return releases(request, form=form)
    except ValueError:
        form.add_error("cut_off", _("A release is cut at a date that has passed."))
        return releases(request, form=form)
    messages.success(
        request,
        _("Release %(number)s published (cases as of %(date)s).")
        % {"number": release.pk, "date": formats.date_format(release.cut_off)},
    )
    return redirect("stats:releases")


@statistics_required
def export_csv(request):
    if refused := _over_limit(request):
        return refused
    try:
        query = queries.parse_statistics_query(request.GET)
    except ValidationError as error:
        return _bad_request(error.message_dict)
    if query.release is None:
        return _bad_request({"release": [_("No statistics release has been published yet.")]})
    by, year, region = list(query.by), query.year, query.region
    record_statistics_request(
        request.user,
        table="cases",
        channel="csv",
        release=query.release.pk,
        by=by,
        year=year,
        region=region,
    )
    table = publication.case_table(query.release, by=by, year=year, region=region)
    parts = [str(query.release.pk), *by, *(str(v) for v in (year, region) if v)]
    name = "-".join(["nrm-statistics", *parts])
    return csv_export.csv_response(csv_export.case_table_rows(table, by), f"{name}.csv")


@statistics_required
@second_factor_within_10_minutes
def extract_csv(request):
    if refused := _over_limit(request):
        return refused
    try:
        release = queries.parse_release(request.GET)
    except ValidationError as error:
        return _bad_request(error.message_dict)
    if release is None:
        return _bad_request({"release": [_("No statistics release has been published yet.")]})
    record_statistics_request(
        request.user, table="synthetic_extract", channel="csv", release=release.pk
    )
    return csv_export.text_response(release.extract, f"nrm-ctdc-synthetic-release-{release.pk}.csv")


def _bad_request(errors: dict) -> HttpResponse:
    lines = [_("The export could not be made:")]
    for field, field_messages in errors.items():
        lines.extend(f"{field}: {message}" for message in field_messages)
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )
