"""The outbox: a mail is asked for in the action's transaction, then sent once by the worker,
retried when the server refuses, and shown failed to the administrator after its attempts."""

import pytest
from django.core import mail
from django.db import transaction
from procrastinate.contrib.django.models import ProcrastinateJob

from outbox import delivery
from outbox.jobs import RENDERERS
from outbox.models import Delivery, DeliveryState, MailKind
from outbox.queue import DELIVER_TASK, queue_mail
from tests import personas
from tests.outbox.backends import REFUSALS

REFUSING = "tests.outbox.backends.RefusingBackend"


@pytest.fixture
def queued(settings):
    """The deployment's mode: jobs deferred for the worker, nothing sent at the commit."""
    settings.NRM_MAIL_EAGER = False
    REFUSALS["left"] = 0
    return settings


def notice_for(cast):
    from notices.models import NoticeKind  # noqa: PLC0415 (the notice app's own kinds)
    from notices.services import post_notice  # noqa: PLC0415

    return post_notice(organisation=cast.ngo_a.organisation, kind=NoticeKind.REFERRAL_RECEIVED)


def with_address(user):
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


def test_a_mail_asked_for_is_a_row_and_a_job_in_the_same_transaction(cast, queued):
    user = with_address(cast[personas.NGO_A])
    [row] = queue_mail(kind=MailKind.NOTICE, subject_id=notice_for(cast).pk, recipients=[user])
    job = ProcrastinateJob.objects.get(task_name=DELIVER_TASK)
    assert (job.queue_name, job.args, job.status) == ("mail", {"delivery_id": row.pk}, "todo")
    assert (row.state, row.attempts, mail.outbox) == (DeliveryState.PENDING, 0, [])


def test_a_rolled_back_action_leaves_neither_row_nor_job(cast, queued):
    user = with_address(cast[personas.NGO_A])
    notice = notice_for(cast)
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(kind=MailKind.NOTICE, subject_id=notice.pk, recipients=[user])
        raise RuntimeError("the action fails after asking for its mail")
    assert not Delivery.objects.exists()
    assert not ProcrastinateJob.objects.filter(task_name=DELIVER_TASK).exists()


def test_the_same_mail_asked_twice_is_one_row_and_one_job(cast, queued):
    user = with_address(cast[personas.NGO_A])
    notice = notice_for(cast)
    for _ in range(2):
        queue_mail(kind=MailKind.NOTICE, subject_id=notice.pk, recipients=[user])
    assert Delivery.objects.count() == ProcrastinateJob.objects.count() == 1


def test_a_delivery_is_sent_once_with_its_message_id(cast, queued):
    user = with_address(cast[personas.NGO_A])
    [row] = queue_mail(kind=MailKind.NOTICE, subject_id=notice_for(cast).pk, recipients=[user])
    assert delivery.deliver(row.pk, renderers=RENDERERS) == DeliveryState.SENT
    # The job run again (a retried job, a second worker): nothing more is sent.
    assert delivery.deliver(row.pk, renderers=RENDERERS) == DeliveryState.SENT
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.extra_headers["Message-ID"] == Delivery.objects.get().message_id
    row.refresh_from_db()
    assert (row.attempts, row.sent_at is not None) == (1, True)


def test_a_refused_attempt_is_counted_and_retried_then_sent(cast, queued):
    queued.EMAIL_BACKEND = REFUSING
    REFUSALS["left"] = 2
    user = with_address(cast[personas.NGO_A])
    [row] = queue_mail(kind=MailKind.NOTICE, subject_id=notice_for(cast).pk, recipients=[user])
    for attempt in (1, 2):
        with pytest.raises(delivery.DeliveryFailed):
            delivery.deliver(row.pk, renderers=RENDERERS)
        row.refresh_from_db()
        # What the administrator reads: the class and the code, not the server's words.
        assert (row.state, row.attempts, row.last_error) == (
            DeliveryState.PENDING,
            attempt,
            "SMTPResponseException 451",
        )
    assert delivery.deliver(row.pk, renderers=RENDERERS) == DeliveryState.SENT
    assert len(mail.outbox) == 1


def test_after_its_last_attempt_a_mail_is_marked_failed_for_the_administrator(cast, queued):
    queued.EMAIL_BACKEND = REFUSING
    queued.NRM_MAIL_MAX_ATTEMPTS = 2
    REFUSALS["left"] = 10
    user = with_address(cast[personas.NGO_A])
    [row] = queue_mail(kind=MailKind.NOTICE, subject_id=notice_for(cast).pk, recipients=[user])
    with pytest.raises(delivery.DeliveryFailed):
        delivery.deliver(row.pk, renderers=RENDERERS)
    assert delivery.deliver(row.pk, renderers=RENDERERS) == DeliveryState.FAILED
    assert delivery.deliver(row.pk, renderers=RENDERERS) == DeliveryState.FAILED
    row.refresh_from_db()
    assert (row.attempts, mail.outbox) == (2, [])
    admin = verified_admin(cast)
    page = admin.get("/admin/outbox/delivery/?state=failed").content.decode()
    assert "SMTPResponseException 451" in page
    assert "ops@example.org" not in page


def test_a_recipient_deactivated_since_is_not_mailed(cast, queued):
    user = with_address(cast[personas.NGO_A])
    [row] = queue_mail(kind=MailKind.NOTICE, subject_id=notice_for(cast).pk, recipients=[user])
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert delivery.deliver(row.pk, renderers=RENDERERS) == DeliveryState.FAILED
    assert mail.outbox == []


def verified_admin(cast):
    from django.test import Client  # noqa: PLC0415

    from tests.logins import verified_login  # noqa: PLC0415

    return verified_login(Client(), cast[personas.ADMIN])
