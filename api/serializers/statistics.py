"""Shapes of the anonymized statistics tables (``/stats/``)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from stats.dimensions import QUERYABLE as STATISTICS_DIMENSIONS

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
    "nationality": _('ISO 3166 alpha-2 code of a country the release names, "other" or "unknown".'),
    "stage": _("NRM stage: identification, assistance, reintegration or closed."),
    "trafficking_status": _("presumed, confirmed or not_confirmed."),
    "means_of_control": _("HTCDS means of control code; a case counts under each of its means."),
    "recruitment_method": _('HTCDS recruitment method code, or "unknown".'),
    "trafficker_relationship": _('Relationship to the trafficker (code), or "unknown".'),
    "referral_kind": _("The kind of the organisation that received the referral."),
    "referral_state": _(
        "The referral's state (ended: stopped from outside; apart from completed)."
    ),
    "days_to_first_acceptance": _(
        "Days from identification to the first accepted referral, in bands: 0-2, 3-7, 8-30, "
        "31-90, 91+, or none (no accepted referral yet)."
    ),
    "exploitation_country": _('Country of exploitation: ISO 3166 alpha-2, "other" or "unknown".'),
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
            help_text=_(
                "The differentially private number of cases, at least k; null when the noisy "
                "count is below k."
            ),
        ),
        "margin": serializers.FloatField(
            help_text=_(
                "The margin of error (95 %): the true count is within ± this, 19 times in 20."
            )
        ),
        "suppressed": serializers.BooleanField(
            required=False,
            help_text=_('Present (true) only when the count is shown as "fewer than k".'),
        ),
    },
)


class StatisticsTableSerializer(serializers.Serializer):
    k = serializers.IntegerField(
        help_text=_('The smallest count shown; smaller nonzero counts read "fewer than k".')
    )
    release = serializers.IntegerField(help_text=_("The release the figures come from."))
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
            "forms); null when below k."
        ),
    )
    total_margin = serializers.FloatField(help_text=_("The margin of error of the total (95 %)."))


class StatisticsReleaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    cut_off = serializers.DateField(
        read_only=True, help_text=_("The cases identified and registered by this date.")
    )
    published_at = serializers.DateTimeField(read_only=True)
    cases_counted = serializers.IntegerField(
        read_only=True, help_text=_("The published (noisy) number of cases counted.")
    )
    privacy_loss = serializers.FloatField(
        read_only=True, help_text=_("The epsilon this release spent (pure differential privacy).")
    )
    counting_rule = serializers.CharField(
        read_only=True, help_text=_('"consent" (cases with statistics consent) or "all".')
    )
    k = serializers.IntegerField(read_only=True)
