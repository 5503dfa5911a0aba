"""Forms for the referral inbox and the referral answers. The services validate the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.workflow import REASON_MAX
from referral.models import ReferralState
from referral.selectors import INCOMING, OUTGOING


class InboxFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[(INCOMING, _("Incoming")), (OUTGOING, _("Outgoing"))],
        required=False,
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All states")), *ReferralState.choices],
        required=False,
    )

    def selection(self) -> tuple[str, str]:
        """(direction, state): incoming and every state unless validly asked otherwise."""
        if not self.is_valid():
            return INCOMING, ""
        return self.cleaned_data["direction"] or INCOMING, self.cleaned_data["state"]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The sending organisation sees this reason. Protected."),
        error_messages={"required": _("Give a reason for declining.")},
    )
