"""Mail about new notices: a link to the notifications page, never a reference, a name or
any case detail, to the members who chose mail for that kind."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.languages import in_language_of
from accounts.models import User
from accounts.roles import OPERATIONAL_ROLES
from notices.models import MAIL_ON_BY_DEFAULT, MailPreference, Notice, NoticeKind

logger = logging.getLogger(__name__)

# The subject says what kind of thing happened, never to which case.
MAIL_SUBJECTS = {
    NoticeKind.REFERRAL_RECEIVED: gettext_lazy("A new referral is waiting in your NRM inbox"),
    NoticeKind.CASE_ASSIGNED: gettext_lazy("A case was assigned to you in NRM"),
    NoticeKind.TASK_ASSIGNED: gettext_lazy("A follow-up was given to you in NRM"),
    NoticeKind.TASK_DUE: gettext_lazy("Follow-ups are due in NRM"),
}
DEFAULT_SUBJECT = gettext_lazy("You have a new notification in NRM")


def recipients(notice: Notice) -> list[User]:
    """The active members with an address who see the notice (the assignee alone for a
    notice to one member) and want mail for its kind."""
    chosen = MailPreference.objects.filter(user=OuterRef("pk"), kind=notice.kind)
    wants = Exists(chosen.filter(enabled=True))
    if notice.kind in MAIL_ON_BY_DEFAULT:
        wants = wants | ~Exists(chosen)
    members = User.objects.filter(
        organisation_id=notice.organisation_id, is_active=True, role__in=OPERATIONAL_ROLES
    ).exclude(email="")
    if notice.user_id:
        members = members.filter(pk=notice.user_id)
    return list(members.filter(Q(wants)).order_by("pk").only("pk", "email", "language"))


def send_notice_mail(notice_ids) -> int:
    """Mail each notice's recipients; called on commit, so a rolled-back action mails nobody."""
    link = settings.NRM_SITE_URL.rstrip("/") + reverse("notices:list")
    messages = []
    for notice in Notice.objects.filter(pk__in=notice_ids).order_by("created_at", "pk"):
        for member in recipients(notice):
            # Each in the language its reader chose (accounts.languages).
            with in_language_of(member):
                subject = str(MAIL_SUBJECTS.get(notice.kind, DEFAULT_SUBJECT))
                body = _(
                    "Something in NRM needs your attention.\n\n"
                    "Open your notifications here (login required):\n%(link)s\n"
                ) % {"link": link}
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [member.email]))
    if not messages:
        return 0
    sent = send_mass_mail(messages, fail_silently=True)
    logger.info("notice mail sent to %d recipient(s)", sent)
    return sent
