"""Shapes of the anonymized statistics tables (``/stats/``)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from stats.dimensions import DIMENSIONS as STATISTICS_DIMENSIONS

# --- Statistics -------------------------------------------------------------------------------
# The value of each dimension in a row of a statistics table: the year is a number, every other
# dimension a code (region ISO 3166-2, nationality ISO 3166 alpha-2 or "unknown", HTCDS form, …).
STATISTICS_DIMENSION_HELP = {
    "year": _("Year of identification."),
    "region": _("Region code (ISO 3166-2), e.g. MA-06."),
    "exploitation_form": _("HTCDS exploitation form code; a case counts under each of its forms."),
    "sex": _("female, male, other or unknown."),
    "age_group": _("CTDC age band at identification, e.g. 18-20, or unknown."),
    "child": _("child or adult."),
    "nationality": _('ISO 3166 alpha-2 code, or "unknown".'),
    "stage": _("NRM stage: identification, assistance, reintegration or closed."),
    "trafficking_status": _("presumed, confirmed or not_confirmed."),
}


def _dimension_field(name: str):
    help_text = STATISTICS_DIMENSION_HELP.get(name, "")
    if name == "year":
        return serializers.IntegerField(required=False, help_text=help_text)
    return serializers.CharField(required=False, help_text=help_text)


StatisticsRowSerializer = type(
    "StatisticsRowSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "One cell: the value of each dimension asked for in ?by=, and its count.",
        **{name: _dimension_field(name) for name in STATISTICS_DIMENSIONS},
        "count": serializers.IntegerField(
            allow_null=True,
            min_value=1,
            help_text=_("The number of cases, at least k; null when suppressed."),
        ),
        "suppressed": serializers.BooleanField(
            required=False,
            help_text=_(
                "Present (true) only when the count is withheld: it is below k, or it would "
                "let a withheld count be recomputed."
            ),
        ),
    },
)


class StatisticsTableSerializer(serializers.Serializer):
    k = serializers.IntegerField(
        help_text=_("The smallest count published; smaller nonzero counts are suppressed.")
    )
    rows = StatisticsRowSerializer(
        many=True,
        help_text=_(
            "The nonzero cells (zero cells are omitted), each with the dimensions asked for in "
            "?by= (in that order) and its count."
        ),
    )
    total = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Cases counted under the year and region filters (a case once, whatever its "
            "forms); null when suppressed."
        ),
    )
