"""The statistics forms: the dashboard's filters (``stats.queries`` says what they mean) and
the coordinator's publication of a release."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from reference.choices import labelled
from reference.models import Region
from stats import publication, queries
from stats.models import Release
from stats.releases import default_cut_off


def _year_field(label):
    # A text field: the parser reads the year, so the form adds no rule (or message) of its own.
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "step": 1, "min": settings.NRM_STATS_FIRST_YEAR}
        ),
    )


def release_label(release: Release) -> str:
    return _("Release %(number)s — cases as of %(date)s") % {
        "number": release.pk,
        "date": formats.date_format(release.cut_off),
    }


class DashboardFilterForm(forms.Form):
    """A release (the latest by default), a range of whole years and one region, all optional.

    Valid when ``queries.parse_dashboard_query`` accepts the whole query string; then
    ``query`` holds the parsed question. Its errors go to the field they name, and errors about
    parameters the form has no field for (``?sex=female``) to the form itself.
    """

    release = forms.CharField(label=_("Release"), required=False, widget=forms.Select)
    year_from = _year_field(_("From year"))
    year_to = _year_field(_("To year"))
    region = forms.CharField(label=_("Region"), required=False, widget=forms.Select)

    # The releases offered in the picker (the newest first); older ones stay reachable by URL.
    PICKER_SIZE = 40

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query: queries.DashboardQuery | None = None
        self.fields["release"].widget.choices = [
            (str(release.pk), release_label(release))
            for release in publication.releases().only("pk", "cut_off")[: self.PICKER_SIZE]
        ]
        self.fields["region"].widget.choices = [
            ("", _("All regions")),
            *labelled(Region.objects.all()),
        ]
        # The current year is read per request: a form class built at import would go stale.
        this_year = timezone.localdate().year
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs["max"] = this_year

    def clean(self):
        try:
            self.query = queries.parse_dashboard_query(self.data)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return self.cleaned_data


class PublishForm(forms.Form):
    """The cut-off date of a new release: the end of the last whole period by default."""

    cut_off = forms.DateField(
        label=_("Cases as of"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The release counts the cases identified and registered on or before this date. "
            "Leave empty for the end of the last whole period."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_cut_off = default_cut_off(timezone.localdate())
        self.fields["cut_off"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_cut_off(self):
        cut_off = self.cleaned_data.get("cut_off") or self.default_cut_off
        if cut_off > timezone.localdate():
            raise ValidationError(_("A release is cut at a date that has passed."))
        if cut_off.year < settings.NRM_STATS_FIRST_YEAR:
            raise ValidationError(
                _("The statistics begin in %(year)s.") % {"year": settings.NRM_STATS_FIRST_YEAR}
            )
        return cut_off
