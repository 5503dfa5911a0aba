"""The break-glass forms: opening a case by its reference with a reason, the coordinator's
review list filter and the review of one use. Plain fields: the services check the values and
their errors come back onto these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from breakglass.models import ReviewOutcome
from breakglass.selectors import PENDING, REVIEWED
from core.text import NOTE_MAX, REASON_MAX


class OpenForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("Why you need this case now"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX,
        required=False,
        help_text=_(
            "The emergency, and why the lead organisation cannot act. Do not write the "
            "person's name: the reason is shown to the national coordinator. Kept encrypted."
        ),
    )


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        choices=[(PENDING, _("Awaiting review")), (REVIEWED, _("Reviewed")), ("", _("All"))],
        required=False,
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Finding"),
        choices=[("", _("Choose…")), *ReviewOutcome.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("What you checked, and with whom. Kept encrypted."),
    )
