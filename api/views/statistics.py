"""Anonymized statistics for the commission (``/stats/``)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.permissions import CanViewStatistics
from api.serializers import StatisticsTableSerializer
from api.throttles import StatisticsThrottle
from stats import publication, queries
from stats.dimensions import DIMENSIONS, MAX_OTHER_DIMENSIONS
from stats.requests import record_statistics_request


class StatisticsCasesView(APIView):
    permission_classes = [*APIView.permission_classes, CanViewStatistics]
    throttle_classes = [StatisticsThrottle]

    @extend_schema(
        operation_id="stats_cases",
        summary=_("Anonymized case counts (commission)"),
        description=format_lazy(
            "{} {}",
            _(
                "Cases by one or more dimensions, optionally for one whole year and one whole "
                "region. Commission members (holders of view_statistics) only: 403 for every "
                "other role. Only cases whose person consented to statistical use are counted "
                "(unless the deployment counts all cases, where the law allows it). Zero cells "
                "are omitted. A case counts once under each of its exploitation forms, so rows "
                'may add up to more than "total". Every published count is at least k; a '
                'smaller nonzero count is withheld ("count": null, "suppressed": true), and '
                "further cells are withheld where needed so that no withheld count can be "
                "recomputed from this or any other published table or filter."
            ),
            format_lazy(
                _(
                    "400 for an unknown or missing ?by=, more than {} dimension besides year "
                    "and region when year or region is asked for or filtered (two are crossed "
                    "for the whole country over all years only), a year that is not a number "
                    "or has no statistics, an unknown region, or a filter on any dimension but "
                    "year and region."
                ),
                MAX_OTHER_DIMENSIONS,
            ),
        ),
        parameters=[
            OpenApiParameter(
                "by",
                {"type": "array", "items": {"type": "string", "enum": list(DIMENSIONS)}},
                OpenApiParameter.QUERY,
                required=True,
                style="form",
                explode=False,
                description=format_lazy(
                    _(
                        "The dimensions of the table, comma-separated, e.g. year,region: each "
                        "at most once; at most {} besides year and region, or two of them "
                        "alone (for the whole country, all years)."
                    ),
                    MAX_OTHER_DIMENSIONS,
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
            **schema.TOO_MANY_REQUESTS,
        },
    )
    def get(self, request):
        # A bad question raises a Django ValidationError: api.exceptions answers it as a 400
        # {"errors": {parameter: [messages]}}, with the messages the CSV export gives.
        query = queries.parse_statistics_query(request.query_params)
        record_statistics_request(
            request.user,
            table="cases",
            channel="api",
            by=list(query.by),
            year=query.year,
            region=query.region,
        )
        return Response(
            publication.case_table(by=list(query.by), year=query.year, region=query.region)
        )
