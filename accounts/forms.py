"""The forms of the login and of an owner's own password (the admin's are in ``admin_forms``)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.passwords import Via, set_own_password


class LoginForm(AuthenticationForm):
    """Username and password: the first step of a login that can gain a second one (2FA).

    The backend refuses an account waiting for approval and a deactivated one alike; only to
    someone who gave that account's right password does the form say which it is (so it tells
    a stranger nothing), and never during a lockout.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is not correct. After 5 failed attempts the account is "
            "locked for 15 minutes."
        ),
        "inactive": _("This account has been deactivated. Contact your administrator."),
        "waiting": _(
            "This account is waiting for approval by a supervisor of its organisation. You can "
            "log in once it is approved."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            reason = self.refusal()
            if reason is None:
                raise
            raise ValidationError(self.error_messages[reason], code=reason) from None

    def refusal(self) -> str | None:
        """ "waiting" or "inactive" for the right password of an account the backend refused."""
        if getattr(self.request, "axes_locked_out", False):
            return None
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        user = User.objects.filter(username=username).first() if username and password else None
        if user is None or user.is_active or not user.check_password(password):
            return None
        return "inactive" if user.is_approved else "waiting"


class OwnPasswordMixin:
    """Save through ``set_own_password``, so that every way of setting one is audited."""

    via: Via

    def save(self, commit=True):
        return set_own_password(
            self.user, password=self.cleaned_data["new_password1"], via=self.via
        )


class ActivationForm(OwnPasswordMixin, SetPasswordForm):
    via = Via.ACTIVATION


class ResetPasswordForm(OwnPasswordMixin, SetPasswordForm):
    via = Via.RESET


class ChangeOwnPasswordForm(OwnPasswordMixin, PasswordChangeForm):
    via = Via.CHANGE


class ForgottenPasswordForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SecondFactorForm(forms.Form):
    """The second step of the login: a code from the authenticator, or a backup code."""

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your backup codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class EnrolmentForm(forms.Form):
    """Confirming a new authenticator with the code it shows."""

    otp_token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasskeyNameForm(forms.Form):
    """The name a new passkey is shown under (its owner's words, never in an audit entry)."""

    name = forms.CharField(
        label=_("Name of the passkey"),
        max_length=64,
        help_text=_("So that you can tell your passkeys apart, for example “office laptop”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
