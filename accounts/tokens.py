"""The one-time links that let an account's owner set a password: nobody else learns it.

Both are Django's password-reset tokens: they carry the password hash, the last login and the
email address, so a link stops working once it has been used, once the password changes
another way and after ``PASSWORD_RESET_TIMEOUT`` (three days). The activation link has its own
salt, so a reset token does not open the activation page or the other way round.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.ActivationTokenGenerator"


activation_tokens = ActivationTokenGenerator()
reset_tokens = default_token_generator
