"""Asking for a mail: a row in the outbox and its delivery job, both in the caller's
transaction (a rolled-back action mails nobody; a committed one is delivered even if the
process dies right after). The worker (``manage.py procrastinate worker``) sends it."""

from django.conf import settings
from django.db import transaction
from procrastinate.contrib.django import app

from outbox.models import Delivery

DELIVER_TASK = "outbox.deliver"
QUEUE = "mail"


def queue_mail(*, kind: str, subject_id, recipients) -> list[Delivery]:
    """One delivery per recipient (``kind:subject_id:recipient`` is its idempotency key); the
    job of each new one deferred in the same transaction. Returns the new deliveries.

    Side effects: ``Delivery`` rows and ``procrastinate_jobs`` rows, nothing sent here.
    """
    created = []
    for recipient in recipients:
        delivery, new = Delivery.objects.get_or_create(
            key=f"{kind}:{subject_id}:{recipient.pk}",
            defaults={"kind": kind, "subject_id": str(subject_id), "recipient": recipient},
        )
        if new:
            _schedule(delivery.pk)
            created.append(delivery)
    return created


def _schedule(delivery_id: int) -> None:
    if settings.NRM_MAIL_EAGER:
        # The test settings' mode: the job's function, run at the commit in this process, so
        # a test reads the mail in django.core.mail.outbox (tests/outbox run the real worker).
        transaction.on_commit(lambda: app.tasks[DELIVER_TASK](delivery_id=delivery_id))
        return
    # By name: the job's module renders mail with every app's templates (a higher layer
    # than the actions that call this).
    app.configure_task(name=DELIVER_TASK, queue=QUEUE).defer(delivery_id=delivery_id)
