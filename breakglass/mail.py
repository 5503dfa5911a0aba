"""Mail to the lead organisation's supervisors when one of its cases is opened under
break-glass. Only a link to their inbox: never a reference, a name or any case detail."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.languages import in_language_of
from accounts.roles import Role
from breakglass.models import BreakGlass

logger = logging.getLogger(__name__)


def tell_lead_supervisors(break_glass_id) -> int:
    """Mail every active supervisor of the case's lead organisation who has an address."""
    use = BreakGlass.objects.select_related("case__lead_organisation", "organisation").get(
        pk=break_glass_id
    )
    recipients = list(
        use.case.lead_organisation.members.filter(is_active=True, role=Role.SUPERVISOR)
        .exclude(email="")
        .only("pk", "email", "language")
    )
    if not recipients:
        return 0
    link = settings.NRM_SITE_URL.rstrip("/") + reverse("referral:inbox")
    messages = []
    for supervisor in recipients:
        # In the language the supervisor chose (accounts.languages).
        with in_language_of(supervisor):
            subject = _("One of your organisation's cases was opened under break-glass")
            body = _(
                "A supervisor of %(organisation)s has opened one of your organisation's cases "
                "under break-glass, read-only, for one hour. Your NRM inbox names the case.\n\n"
                "Open your inbox here (login required):\n%(link)s\n"
            ) % {"organisation": use.organisation.name, "link": link}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [supervisor.email]))
    sent = send_mass_mail(messages, fail_silently=True)
    logger.info("break-glass alert sent to %d recipient(s)", sent)
    return sent
