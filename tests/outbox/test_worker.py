"""The worker itself (procrastinate's, as ``manage.py procrastinate worker`` runs it) takes the
committed jobs from PostgreSQL and sends each mail once; a job it retries after a refusal
comes back later, not at once."""

import threading

import pytest
from django.core import mail
from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from outbox.models import Delivery, DeliveryState, MailKind
from outbox.queue import DELIVER_TASK, QUEUE, queue_mail
from tests import personas
from tests.outbox.backends import REFUSALS

# The worker reads what the test committed, on connections of its own.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    """Until the queue is empty, then return (what the long-running worker does, once), in a
    thread of its own: the worker runs its own event loop, which a thread that already runs one
    (Playwright's, in a browser test before) cannot start."""

    def work():
        with app.replace_connector(app.connector.get_worker_connector()):
            app.run_worker(
                queues=[QUEUE], wait=False, install_signal_handlers=False, listen_notify=False
            )

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the worker did not finish within a minute"


def empty_the_queue():
    # Procrastinate's tables are its own (unmanaged models): the flush after a transactional
    # test leaves their rows, so the test empties them itself, before and after.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")


@pytest.fixture
def queued(settings):
    settings.NRM_MAIL_EAGER = False
    REFUSALS["left"] = 0
    empty_the_queue()
    yield settings
    empty_the_queue()


def test_the_worker_sends_each_committed_mail_once(live_cast, queued):
    from notices.models import NoticeKind  # noqa: PLC0415
    from notices.services import post_notice  # noqa: PLC0415

    users = [live_cast[personas.NGO_A], live_cast[personas.NGO_A_SUPERVISOR]]
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    notice = post_notice(
        organisation=live_cast.ngo_a.organisation, kind=NoticeKind.REFERRAL_RECEIVED
    )
    queue_mail(kind=MailKind.NOTICE, subject_id=notice.pk, recipients=users)
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in users)
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert set(
        ProcrastinateJob.objects.filter(task_name=DELIVER_TASK).values_list("status", flat=True)
    ) == {"succeeded"}
    # A second worker finds nothing to do.
    run_worker()
    assert len(mail.outbox) == 2


def test_a_refused_mail_is_scheduled_again_not_lost(live_cast, queued):
    from notices.models import NoticeKind  # noqa: PLC0415
    from notices.services import post_notice  # noqa: PLC0415

    queued.EMAIL_BACKEND = "tests.outbox.backends.RefusingBackend"
    REFUSALS["left"] = 1
    user = live_cast[personas.NGO_A]
    user.email = "ngo_a@example.org"
    user.save(update_fields=["email"])
    notice = post_notice(
        organisation=live_cast.ngo_a.organisation, kind=NoticeKind.REFERRAL_RECEIVED
    )
    queue_mail(kind=MailKind.NOTICE, subject_id=notice.pk, recipients=[user])
    run_worker()
    job = ProcrastinateJob.objects.get(task_name=DELIVER_TASK)
    # Back in the queue, due in a few seconds (the back-off), with the attempt recorded.
    assert (job.status, job.attempts) == ("todo", 1)
    assert job.scheduled_at is not None
    row = Delivery.objects.get()
    assert (row.state, row.attempts, mail.outbox) == (DeliveryState.PENDING, 1, [])
