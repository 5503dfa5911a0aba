"""Form widgets every app's forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A date typed as the page shows dates (day/month/year, config/formats), not the
    browser's date picker: that one follows the browser's locale, so a French page showed
    dates one way and asked for them another (issue 14). ISO dates (2026-12-03) are accepted
    too (DATE_INPUT_FORMATS)."""

    input_type = "text"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's own argument name)
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            # The digits and slashes read left to right in Arabic too, as they are typed.
            "dir": "ltr",
            "placeholder": _("dd/mm/yyyy"),
            "size": 10,
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=format)
