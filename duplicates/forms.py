"""The coordinator's forms: the review list's filter and the review of one pair."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import NOTE_MAX
from duplicates.models import DuplicateOutcome
from duplicates.selectors import PENDING, REVIEWED


class DuplicateFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        choices=[(PENDING, _("Awaiting review")), (REVIEWED, _("Reviewed")), ("", _("All"))],
        required=False,
    )


class DuplicateReviewForm(forms.Form):
    # Plain fields: the service checks the outcome and the note and its errors come back here.
    outcome = forms.ChoiceField(
        label=_("Finding"),
        choices=[("", _("Choose…")), *DuplicateOutcome.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("What you checked, and with whom. Kept encrypted."),
    )
