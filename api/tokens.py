"""Issuing, finding and revoking API tokens (used by the management commands and the auth class)."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken

DEFAULT_DAYS = 30
MAX_DAYS = 365
PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_token(*, user, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Create a token for an active user; return the row and the key (the only time it exists).

    The database keeps the key's SHA-256 and its first characters (to tell tokens apart).
    Raises ValidationError for an inactive user or a lifetime outside 1..MAX_DAYS days.
    """
    if not user.is_active:
        raise ValidationError(_("The user is not active."))
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("A token lives between 1 and %(max)d days.") % {"max": MAX_DAYS})
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_key(key),
        prefix=key[:PREFIX_LENGTH],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, key


def find_active_token(key: str) -> ApiToken | None:
    """The unexpired, unrevoked token with this key, its user and organisation loaded."""
    return (
        ApiToken.objects.active()
        .select_related("user", "user__organisation")
        .filter(key_hash=hash_key(key))
        .first()
    )


def revoke_tokens(*, user) -> int:
    """Revoke every active token of the user; return how many were revoked."""
    now = timezone.now()
    revoked = 0
    with transaction.atomic():
        # Row by row (a user has few tokens) so each revocation is audited.
        for token in ApiToken.objects.active(now=now).select_for_update().filter(user=user):
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            revoked += 1
    return revoked
