"""Mail about new notices: a link to the notifications page, never a reference, a name or
any case detail, to the members who chose mail for that kind."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.languages import in_language_of
from accounts.models import User
from accounts.roles import OPERATIONAL_ROLES
from notices.models import MAIL_ON_BY_DEFAULT, MailPreference, Notice, NoticeKind
from outbox.models import MailKind
from outbox.queue import queue_mail

# The subject says what kind of thing happened, never to which case.
MAIL_SUBJECTS = {
    NoticeKind.REFERRAL_RECEIVED: gettext_lazy("A new referral is waiting in your NRM inbox"),
    NoticeKind.CASE_ASSIGNED: gettext_lazy("A case was assigned to you in NRM"),
    NoticeKind.TASK_ASSIGNED: gettext_lazy("A follow-up was given to you in NRM"),
    NoticeKind.TASK_DUE: gettext_lazy("Follow-ups are due in NRM"),
}
DEFAULT_SUBJECT = gettext_lazy("You have a new notification in NRM")


def recipients_of(notices) -> dict[object, list[User]]:
    """Each notice's recipients, by its id: the active members with an address who see the
    notice (the assignee alone for a notice to one member) and want mail for its kind. One
    query for the notices of one kind and member (an event's notices to several
    organisations), not one per notice."""
    found = {notice.pk: [] for notice in notices}
    groups = {}
    for notice in notices:
        groups.setdefault((notice.kind, notice.user_id), []).append(notice)
    for (kind, user_id), group in groups.items():
        chosen = MailPreference.objects.filter(user=OuterRef("pk"), kind=kind)
        wants = Exists(chosen.filter(enabled=True))
        if kind in MAIL_ON_BY_DEFAULT:
            wants = wants | ~Exists(chosen)
        members = User.objects.filter(
            organisation_id__in={notice.organisation_id for notice in group},
            is_active=True,
            role__in=OPERATIONAL_ROLES,
        ).exclude(email="")
        if user_id:
            members = members.filter(pk=user_id)
        wanting = list(
            members.filter(Q(wants))
            .order_by("pk")
            .only("pk", "email", "language", "organisation_id")
        )
        for notice in group:
            found[notice.pk] = [m for m in wanting if m.organisation_id == notice.organisation_id]
    return found


def queue_notice_mail(notices) -> int:
    """In the caller's transaction: a mail in the outbox for each notice's recipients (the
    worker sends them; a rolled-back action mails nobody). Returns how many were queued."""
    queued = 0
    members = recipients_of(notices)
    for notice in notices:
        queued += len(
            queue_mail(kind=MailKind.NOTICE, subject_id=notice.pk, recipients=members[notice.pk])
        )
    return queued


def render_notice_mail(delivery, member) -> tuple[str, str]:
    """The subject and body of a notice's mail to ``member``, in their language: what kind of
    thing happened and a link to the notifications page, never which case."""
    notice = Notice.objects.only("kind").get(pk=delivery.subject_id)
    link = settings.NRM_SITE_URL.rstrip("/") + reverse("notices:list")
    with in_language_of(member):
        subject = str(MAIL_SUBJECTS.get(notice.kind, DEFAULT_SUBJECT))
        body = _(
            "Something in NRM needs your attention.\n\n"
            "Open your notifications here (login required):\n%(link)s\n"
        ) % {"link": link}
    return subject, body
