"""The administrator's account forms: no password field anywhere, and the checks of
``accounts.approvals`` run as form errors before anything is asked for."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.approvals import check_email, check_no_pending_change
from accounts.models import User

# What the administrator asks for rather than sets (accounts.approvals).
REQUESTED_FIELDS = frozenset({"email", "organisation", "role"})
ONE_KIND = _(
    "Change the email address on its own: each change waits for its own approval. Change the "
    "role or organisation first, or the address first, then the other."
)


class UserAddForm(forms.ModelForm):
    """A new account: it waits for approval, and its owner chooses the password."""

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name", "organisation", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "The activation link is sent here once the account is approved."
        )


class UserChangeForm(forms.ModelForm):
    """Names change at once; an email address, a role and an organisation are asked for."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "organisation", "role"]
        help_texts = {
            "email": _("A new address applies once a supervisor of the organisation approves."),
            "role": _("A new role applies once a supervisor of the organisation approves."),
            "organisation": _(
                "A move applies once a supervisor of the organisation it joins approves."
            ),
        }

    @property
    def requested(self) -> frozenset[str]:
        return REQUESTED_FIELDS & set(self.changed_data)

    def clean(self):
        cleaned = super().clean()
        requested = self.requested
        if requested:
            check_no_pending_change(self.instance)
        if "email" in requested:
            if requested - {"email"}:
                raise ValidationError(ONE_KIND)
            check_email(cleaned.get("email", ""))
        return cleaned
