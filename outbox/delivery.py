"""Sending one outbox mail: what the worker's job does (outbox.jobs), and what the tests call.

Exactly once, as far as mail allows: the row is locked while its mail is sent, so two workers
never send it together; a row marked sent is never sent again; the Message-ID is the same on
every attempt, so a mail sent by a worker killed before it could record it is recognisably the
same mail when sent again. A failed attempt is counted and the job raises, so the queue tries
again later (outbox.jobs' back-off); after ``NRM_MAIL_MAX_ATTEMPTS`` the row is marked failed
and shown to the administrator (the admin's Outgoing mail).
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from outbox.models import Delivery, DeliveryState


class DeliveryFailed(Exception):
    """An attempt failed and another will follow (the queue retries the job)."""


def describe(error: Exception) -> str:
    """What the administrator reads of a failure: the exception's class and the SMTP code,
    never the server's text (it may quote an address)."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__}{f' {code}' if code else ''}"[:200]


def deliver(delivery_id: int, *, renderers) -> str:
    """Send the delivery's mail once; returns its state afterwards.

    Side effects: at most one mail sent; the row's attempts, last_attempt_at, state, sent_at,
    last_error saved. Raises ``DeliveryFailed`` when the attempt failed and more remain.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update().select_related("recipient").get(pk=delivery_id)
        )
        if delivery.state != DeliveryState.PENDING:
            return delivery.state  # sent, or given up: never twice
        recipient = delivery.recipient
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        if not (recipient.is_active and recipient.email):
            # Deactivated, or the address removed, since the mail was asked for.
            delivery.state, delivery.last_error = DeliveryState.FAILED, "no active address"
            delivery.save()
            return delivery.state
        subject, body = renderers[delivery.kind](delivery, recipient)
        message = EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
            headers={"Message-ID": delivery.message_id},
        )
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as error:
            delivery.last_error = describe(error)
            if delivery.attempts >= settings.NRM_MAIL_MAX_ATTEMPTS:
                delivery.state = DeliveryState.FAILED
            delivery.save()
            failed = delivery.state == DeliveryState.PENDING
        else:
            delivery.state, delivery.sent_at, delivery.last_error = (
                DeliveryState.SENT,
                timezone.now(),
                "",
            )
            delivery.save()
            failed = False
    if failed:
        raise DeliveryFailed(f"delivery {delivery_id}: attempt {delivery.attempts} failed")
    return delivery.state
