"""The filters of the statistics pages: whole years and whole regions, validated."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reference.models import Region
from stats import publication

FIRST_YEAR = 1990


def _year_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=FIRST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
        error_messages={"invalid": _("A year is a whole number such as 2026.")},
    )


class DashboardFilterForm(forms.Form):
    """A range of whole years (both ends included) and one region, all optional."""

    year_from = _year_field(_("From year"))
    year_to = _year_field(_("To year"))
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + list(
            Region.objects.order_by("name").values_list("code", "name")
        )
        # The current year is read per request: a form class built at import would go stale.
        this_year = datetime.date.today().year
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs["max"] = this_year
            self.fields[name].validators.append(_not_after(this_year))

    def clean(self):
        data = super().clean()
        low, high = data.get("year_from"), data.get("year_to")
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"year_to": [_("The last year comes after the first (or is the same).")]}
            )
        data["region"] = data.get("region") or None
        return data


def _not_after(this_year):
    def check(value):
        if value is not None and value > this_year:
            raise ValidationError(_("No statistics exist for that year."), code="future")

    return check


class ExportForm(forms.Form):
    """The parameters of the CSV export, read with the same rules as the API."""

    by = forms.CharField(label=_("Dimensions"), max_length=200)
    year = forms.CharField(label=_("Year"), required=False, max_length=10)
    region = forms.CharField(label=_("Region"), required=False, max_length=40)

    def _parse(self, name, parse):
        try:
            return parse(self.cleaned_data.get(name))
        except ValidationError as error:
            raise ValidationError(error.message_dict[name]) from None

    def clean_by(self):
        return self._parse("by", publication.parse_by)

    def clean_year(self):
        return self._parse("year", publication.parse_year)

    def clean_region(self):
        return self._parse("region", publication.parse_region)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                publication.check_table(
                    by=cleaned["by"], year=cleaned.get("year"), region=cleaned.get("region")
                )
            except ValidationError as error:
                self.add_error("by", error.message_dict["by"])
        return cleaned
