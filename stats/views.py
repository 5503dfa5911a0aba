from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from reference.models import Region
from stats import aggregates, csv_export, extract, publication
from stats.forms import DashboardFilterForm, ExportForm
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
    form = DashboardFilterForm(request.GET or None)
    context = {"form": form, "counting_rule": publication.counting_rule()}
    if form.is_bound and not form.is_valid():
        return render(request, "stats/dashboard.html", context)
    filters = form.cleaned_data if form.is_bound else {}
    region = filters.get("region")
    board = aggregates.dashboard(
        year_from=filters.get("year_from"), year_to=filters.get("year_to"), region=region
    )
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
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    by, year, region = (form.cleaned_data[n] for n in ("by", "year", "region"))
    table = publication.case_table(by=by, year=year, region=region, snap=publication.snapshot())
    name = "-".join(["nrm-statistics", *by, *(str(v) for v in (year, region) if v)])
    return csv_export.csv_response(csv_export.case_table_rows(table, by), f"{name}.csv")


@statistics_required
def extract_csv(request):
    published = extract.extract_classes()
    return csv_export.csv_response(extract.extract_rows(published), "nrm-htcds-extract.csv")


def _bad_request(form) -> HttpResponse:
    lines = [_("The export could not be made:")]
    for field, errors in form.errors.items():
        lines.extend(f"{field}: {error}" for error in errors)
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )
