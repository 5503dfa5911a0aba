"""Mail to the lead organisation's supervisors when one of its cases is opened under
break-glass. Only a link to their inbox: never a reference, a name or any case detail. Queued in
the outbox with the opening (outbox.queue), written and sent by the worker."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.languages import in_language_of
from accounts.roles import Role
from breakglass.models import BreakGlass
from outbox.models import MailKind
from outbox.queue import queue_mail


def queue_lead_alert(use: BreakGlass) -> int:
    """In the opening's transaction: a mail for every active supervisor of the case's lead
    organisation who has an address. Returns how many were queued."""
    supervisors = use.case.lead_organisation.members.filter(
        is_active=True, role=Role.SUPERVISOR
    ).exclude(email="")
    return len(queue_mail(kind=MailKind.BREAK_GLASS, subject_id=use.pk, recipients=supervisors))


def render_lead_alert(delivery, supervisor) -> tuple[str, str]:
    """The alert's subject and body, in the supervisor's language (accounts.languages)."""
    use = BreakGlass.objects.select_related("organisation").get(pk=delivery.subject_id)
    link = settings.NRM_SITE_URL.rstrip("/") + reverse("referral:inbox")
    with in_language_of(supervisor):
        subject = _("One of your organisation's cases was opened under break-glass")
        body = _(
            "A supervisor of %(organisation)s has opened one of your organisation's cases "
            "under break-glass, read-only, for one hour. Your NRM inbox names the case.\n\n"
            "Open your inbox here (login required):\n%(link)s\n"
        ) % {"organisation": use.organisation.name, "link": link}
    return subject, body
