"""Mail to organisations. Only a link: never a name, a reference or any case detail."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from referral.models import Referral

logger = logging.getLogger(__name__)


def notify_new_referral(referral_id) -> int:
    """Tell the receiving organisation's active members that a referral waits in their inbox."""
    referral = Referral.objects.select_related("to_organisation").get(pk=referral_id)
    recipients = list(
        referral.to_organisation.members.filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    link = settings.NRM_SITE_URL.rstrip("/") + reverse("referral:detail", args=[referral.pk])
    subject = _("A new referral is waiting in your NRM inbox")
    body = _(
        "Your organisation has received a new referral.\n\n"
        "Open it here (login required):\n%(link)s\n"
    ) % {"link": link}
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    sent = send_mass_mail(messages, fail_silently=True)
    logger.info("referral notification sent to %d recipient(s)", sent)
    return sent
