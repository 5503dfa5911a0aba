from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Username and password: the first step of a login that can gain a second one (2FA)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is not correct. After 5 failed attempts the account is "
            "locked for 15 minutes."
        ),
        "inactive": _("This account has been deactivated. Contact your administrator."),
    }
