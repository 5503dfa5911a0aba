"""The user's choice of mail per kind of notice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notices.models import MAIL_KINDS


class MailPreferenceForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Send me mail for"),
        choices=[(kind.value, kind.label) for kind in MAIL_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The mail carries only a link to your notifications, never a case's reference or "
            "details. Everything shows here in any case."
        ),
    )

    @classmethod
    def for_choices(cls, wanted: dict[str, bool], data=None):
        return cls(data, initial={"kinds": [kind for kind, on in wanted.items() if on]})
