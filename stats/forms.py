"""The dashboard's filter form: it renders the filters; ``stats.queries`` says what they mean."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reference.models import Region
from stats import queries


def _year_field(label):
    # A text field: the parser reads the year, so the form adds no rule (or message) of its own.
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "step": 1, "min": queries.FIRST_YEAR}
        ),
    )


class DashboardFilterForm(forms.Form):
    """A range of whole years (both ends included) and one region, all optional.

    Valid when ``queries.parse_dashboard_query`` accepts the whole query string; then
    ``query`` holds the parsed question. Its errors go to the field they name, and errors about
    parameters the form has no field for (``?sex=female``) to the form itself.
    """

    year_from = _year_field(_("From year"))
    year_to = _year_field(_("To year"))
    region = forms.CharField(label=_("Region"), required=False, widget=forms.Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query: queries.DashboardQuery | None = None
        self.fields["region"].widget.choices = [("", _("All regions"))] + list(
            Region.objects.order_by("name").values_list("code", "name")
        )
        # The current year is read per request: a form class built at import would go stale.
        this_year = datetime.date.today().year
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs["max"] = this_year

    def clean(self):
        try:
            self.query = queries.parse_dashboard_query(self.data)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return self.cleaned_data
