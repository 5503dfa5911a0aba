from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.tokens import find_active_token

KEYWORD = "Token"


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>``: hashed, expiring, revocable keys (see ``api.tokens``).

    As the first authentication class it makes unauthenticated requests answer 401 with
    ``WWW-Authenticate: Token`` (DRF answers 403 when the first class has no header).
    """

    keyword = KEYWORD
    failure_message = _("Invalid, expired or revoked token.")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: use 'Token <key>' without spaces in the key.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(self.failure_message) from None
        token = find_active_token(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(self.failure_message)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
