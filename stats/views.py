from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.step_up import second_factor_within_10_minutes
from core.decorators import user_passes_rule
from limits.throttle import STATISTICS
from reference.models import Region
from stats import aggregates, csv_export, extract, publication, queries
from stats.forms import DashboardFilterForm
from stats.requests import record_statistics_request, take_statistics_request
from stats.rules import can_view_statistics

# Statistics pages are for commission members only; the others get 403.
statistics_required = user_passes_rule(can_view_statistics)


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
    context = {"form": form, "counting_rule": publication.counting_rule()}
    if not form.is_valid():
        return render(request, "stats/dashboard.html", context, status=400)
    query = form.query
    region = query.region
    record_statistics_request(
        request.user,
        table="dashboard",
        channel="ui",
        year_from=query.year_from,
        year_to=query.year_to,
        region=region,
    )
    board = aggregates.dashboard(year_from=query.year_from, year_to=query.year_to, region=region)
    context.update(
        board=board,
        marker=aggregates.suppressed_marker(board.k),
        region_name=Region.objects.filter(code=region).values_list("name", flat=True).first(),
        referrals=aggregates.referral_outcomes(),
        medians=aggregates.median_days_to_first_acceptance(
            years=board.years, region=region, overall=board.all_years
        ),
    )
    return render(request, "stats/dashboard.html", context)


@statistics_required
def export_csv(request):
    if refused := _over_limit(request):
        return refused
    try:
        query = queries.parse_statistics_query(request.GET)
    except ValidationError as error:
        return _bad_request(error)
    by, year, region = list(query.by), query.year, query.region
    record_statistics_request(
        request.user, table="cases", channel="csv", by=by, year=year, region=region
    )
    table = publication.case_table(by=by, year=year, region=region)
    name = "-".join(["nrm-statistics", *by, *(str(v) for v in (year, region) if v)])
    return csv_export.csv_response(csv_export.case_table_rows(table, by), f"{name}.csv")


@statistics_required
@second_factor_within_10_minutes
def extract_csv(request):
    if refused := _over_limit(request):
        return refused
    record_statistics_request(request.user, table="htcds_extract", channel="csv")
    published = extract.extract_classes()
    return csv_export.csv_response(extract.extract_rows(published), "nrm-htcds-extract.csv")


def _bad_request(error: ValidationError) -> HttpResponse:
    lines = [_("The export could not be made:")]
    for field, messages in error.message_dict.items():
        lines.extend(f"{field}: {message}" for message in messages)
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )
