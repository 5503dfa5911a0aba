"""Mail to an account's owner. Only a link: no username, no name, nothing about the account.

Sent after the transaction commits (the callers use ``transaction.on_commit``), to the account's
own address; the token is made at sending time, so a link reflects the account as committed.
Nobody else sees the link: not the administrator who asked for it, not the page that answers.
"""

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.languages import in_language_of
from accounts.models import User
from accounts.tokens import activation_tokens, reset_tokens

logger = logging.getLogger(__name__)


class Link(StrEnum):
    ACTIVATION = "activation"
    RESET = "reset"


@dataclass(frozen=True)
class LinkMail:
    tokens: PasswordResetTokenGenerator
    url_name: str
    subject: str
    body: str


LINK_MAILS = {
    Link.ACTIVATION: LinkMail(
        activation_tokens,
        "accounts:activate",
        _("Your NRM account is ready"),
        _(
            "An account in the national referral mechanism (NRM) has been opened for you.\n\n"
            "Choose your password here. The link works once, for three days:\n%(link)s\n"
        ),
    ),
    Link.RESET: LinkMail(
        reset_tokens,
        "accounts:password_reset_confirm",
        _("Choose a new NRM password"),
        _(
            "Someone asked for a new password for your NRM account. If it was not you, ignore "
            "this message: your password stays as it is.\n\n"
            "Choose a new password here. The link works once, for three days:\n%(link)s\n"
        ),
    ),
}


def password_link(user: User, link: Link) -> str:
    """The absolute one-time link of ``user`` for ``link``."""
    spec = LINK_MAILS[link]
    path = reverse(
        spec.url_name,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": spec.tokens.make_token(user),
        },
    )
    return settings.NRM_SITE_URL.rstrip("/") + path


def send_password_link(user_id: int, *, link: Link) -> int:
    """Mail the account's owner its one-time link; 0 when the account has no address."""
    user = User.objects.get(pk=user_id)
    if not user.email:
        return 0
    spec = LINK_MAILS[link]
    with in_language_of(user):  # the owner's language (accounts.languages)
        subject, body = str(spec.subject), spec.body % {"link": password_link(user, link)}
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
    logger.info("%s link sent to %d recipient(s)", link.value, sent)
    return sent
