"""Forms for referring a case, the referral inbox and the answers. The services validate the
rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.choices import ReadModelChoiceField
from core.errors import ConsentRequired
from core.text import REASON_MAX
from reference.choices import LabelOrderedMultipleChoiceField
from reference.models import ServiceType
from referral.models import ReferralState, Urgency
from referral.selectors import INCOMING, OUTGOING, referral_targets


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


class ReferForm(forms.Form):
    to_organisation = ReadModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.none()
    )
    services = LabelOrderedMultipleChoiceField(
        label=_("Services asked for"),
        queryset=ServiceType.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service.")},
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    reason = forms.CharField(
        label=_("Reason for the referral"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person needs from the receiving organisation. Protected."),
    )
    transfers_lead = forms.BooleanField(
        label=_("Hand over the lead of the case on acceptance"), required=False
    )
    consent_override_reason = forms.CharField(
        label=_("Reason to refer without recorded consent"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The person's consent to referral is not recorded. As a supervisor of the lead "
            "organisation you may refer anyway: say why. Audited."
        ),
    )

    def __init__(self, *args, user, offer_override: bool, **kwargs):
        super().__init__(*args, prefix="refer", **kwargs)
        self.fields["to_organisation"].queryset = referral_targets(user)
        if not offer_override:
            del self.fields["consent_override_reason"]

    def add_refusal(self, error) -> None:
        """A refusal by state, shown once: a supervisor who may override is asked for the
        reason on its field, anyone else is told what to do."""
        if isinstance(error, ConsentRequired) and "consent_override_reason" in self.fields:
            self.add_error(
                "consent_override_reason",
                _(
                    "The person's consent to referral is not recorded. As a supervisor of the "
                    "lead organisation, give the reason to refer without it, or record the "
                    "consent first."
                ),
            )
        else:
            self.add_error(None, error.message)

    def to_service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "to_organisation": data["to_organisation"],
            "services": list(data["services"]),
            "urgency": data["urgency"],
            "reason": data["reason"],
            "transfers_lead": data["transfers_lead"],
            "consent_override_reason": data.get("consent_override_reason", ""),
        }
