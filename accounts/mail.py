"""Mail to an account's owner. Only a link: no username, no name, nothing about the account.

Queued in the outbox in the caller's transaction (outbox.queue) and sent by the worker to the
account's own address; the token is made at sending time, so a link reflects the account as
committed.
Nobody else sees the link: not the administrator who asked for it, not the page that answers.
"""

import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.languages import in_language_of
from accounts.models import User
from accounts.tokens import activation_tokens, reset_tokens
from outbox.models import MailKind
from outbox.queue import queue_mail


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


def queue_password_link(user: User, *, link: Link) -> int:
    """In the caller's transaction: the owner's one-time link in the outbox (each request its
    own mail); 0 when the account has no address."""
    if not user.email:
        return 0
    return len(
        queue_mail(
            kind=MailKind.PASSWORD_LINK,
            subject_id=f"{link.value}.{uuid.uuid4().hex}",
            recipients=[user],
        )
    )


def render_password_link(delivery, user: User) -> tuple[str, str]:
    """The link mail's subject and body in the owner's language, its token made now."""
    link = Link(delivery.subject_id.split(".", 1)[0])
    spec = LINK_MAILS[link]
    with in_language_of(user):  # the owner's language (accounts.languages)
        return str(spec.subject), spec.body % {"link": password_link(user, link)}
