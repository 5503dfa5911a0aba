"""Anonymized statistics for the commission (``/stats/``): published releases only."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.pagination import Pagination
from api.permissions import CanViewStatistics
from api.serializers import StatisticsReleaseSerializer, StatisticsTableSerializer
from api.throttles import StatisticsThrottle
from stats import publication, queries
from stats.dimensions import QUERYABLE
from stats.requests import record_statistics_request

NO_RELEASE = _(
    "No statistics release has been published yet: the national coordinator publishes one."
)


RELEASE_FIELDS = (
    "id",
    "cut_off",
    "published_at",
    "cases_counted",
    "privacy_loss",
    "counting_rule",
    "k",
)


class StatisticsCasesView(APIView):
    permission_classes = [*APIView.permission_classes, CanViewStatistics]
    throttle_classes = [StatisticsThrottle]

    @extend_schema(
        operation_id="stats_cases",
        summary=_("Anonymized case counts of a release (commission)"),
        description=_(
            "Cases by one or more dimensions, optionally for one whole year and one whole "
            "region, from one published release (the latest when ?release= is absent): a "
            "change to a case changes no published figure until the next release. Commission "
            "members (holders of view_statistics) only: 403 for every other role. Every count "
            "is differentially private (OpenDP's noise, then made whole and non-negative), "
            "with its margin of error; a noisy count from 1 to k-1 reads null with "
            '"suppressed": true. Zero cells are omitted. A case counts once under each of '
            'its exploitation forms (at most a few), so rows may add up to more than "total". '
            "A release crosses each dimension with the year (for the whole country) and with "
            "the region (over all years), and the year with the region; 400 for any other "
            "table, an unknown or missing ?by=, an unknown release, a year the release does not "
            "cover, an unknown region, or a filter on any dimension but year and region; 404 "
            "when no release is published yet."
        ),
        parameters=[
            OpenApiParameter(
                "by",
                {"type": "array", "items": {"type": "string", "enum": list(QUERYABLE)}},
                OpenApiParameter.QUERY,
                required=True,
                style="form",
                explode=False,
                description=_("The dimensions of the table, comma-separated, e.g. year,region."),
            ),
            OpenApiParameter(
                "release",
                int,
                OpenApiParameter.QUERY,
                description=_(
                    "The release to read (GET /api/v1/stats/releases/); the latest by default."
                ),
            ),
            OpenApiParameter(
                "year",
                int,
                OpenApiParameter.QUERY,
                description=_("Only cases identified in this year, e.g. 2026."),
            ),
            OpenApiParameter(
                "region",
                str,
                OpenApiParameter.QUERY,
                description=_("Only cases of this region (ISO 3166-2 code), e.g. MA-06."),
            ),
        ],
        responses={
            200: StatisticsTableSerializer,
            **schema.BAD_REQUEST,
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
            **schema.TOO_MANY_REQUESTS,
        },
    )
    def get(self, request):
        # A bad question raises a Django ValidationError: api.exceptions answers it as a 400
        # {"errors": {parameter: [messages]}}, with the messages the CSV export gives.
        query = queries.parse_statistics_query(request.query_params)
        if query.release is None:
            raise NotFound(NO_RELEASE)
        record_statistics_request(
            request.user,
            table="cases",
            channel="api",
            release=query.release.pk,
            by=list(query.by),
            year=query.year,
            region=query.region,
        )
        return Response(
            publication.case_table(
                query.release, by=list(query.by), year=query.year, region=query.region
            )
        )


class StatisticsReleaseListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, CanViewStatistics]
    throttle_classes = [StatisticsThrottle]
    pagination_class = Pagination
    serializer_class = StatisticsReleaseSerializer

    @extend_schema(
        operation_id="stats_releases",
        summary=_("The published statistics releases (commission)"),
        description=_(
            "Newest first: each release's cut-off date, when it was published, the (noisy) "
            "number of cases it counted and the privacy loss (epsilon) it spent. Commission "
            "members only."
        ),
        responses={
            200: StatisticsReleaseSerializer(many=True),
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.TOO_MANY_REQUESTS,
        },
    )
    def get(self, request):
        # Never the tables themselves: a page of releases is their ledger, not their figures.
        releases = publication.releases().only(*RELEASE_FIELDS)
        page = self.paginate_queryset(releases)
        return self.get_paginated_response(StatisticsReleaseSerializer(page, many=True).data)
