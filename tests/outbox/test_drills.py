"""The outbox's drill: the worker killed in the middle of a delivery, and the mail is sent
once after a worker starts again. Real processes (``manage.py procrastinate worker``), a real
SMTP server on loopback (tests/outbox/smtp_sink.py), the test database.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from procrastinate.contrib.django.models import ProcrastinateJob

from outbox.models import Delivery, DeliveryState, MailKind
from outbox.queue import queue_mail
from tests import personas
from tests.outbox.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = settings.BASE_DIR
# The worker process on the test database (tests.settings, the name pytest-django gave it).
WORKER = (
    "import sys, django; from django.conf import settings; "
    "settings.DATABASES['default']['NAME'] = sys.argv[1]; django.setup(); "
    "from django.core.management import call_command; "
    "call_command('procrastinate', 'worker', '--queues', 'mail')"
)


def start_worker(sink) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "0",
        # Quick to notice a dead worker, quick to queue its job again.
        "NRM_WORKER_HEARTBEAT_SECONDS": "0.5",
        "NRM_WORKER_STALLED_SECONDS": "2",
        "NRM_MAIL_STALLED_CRON": "* * * * * *",
    }
    return subprocess.Popen(  # noqa: S603 -- this interpreter, a fixed script
        [sys.executable, "-c", WORKER, connection.settings_dict["NAME"]],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what}: not within {seconds} s")


@pytest.fixture
def sink():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
        cursor.execute("DELETE FROM procrastinate_workers")
    server = SmtpSink()
    yield server
    server.close()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
        cursor.execute("DELETE FROM procrastinate_workers")


def test_a_worker_killed_mid_delivery_leaves_the_mail_to_be_sent_once(live_cast, sink, settings):
    from notices.models import NoticeKind  # noqa: PLC0415
    from notices.services import post_notice  # noqa: PLC0415

    settings.NRM_MAIL_EAGER = False
    user = live_cast[personas.NGO_A]
    user.email = "ngo_a@example.org"
    user.save(update_fields=["email"])
    notice = post_notice(
        organisation=live_cast.ngo_a.organisation, kind=NoticeKind.REFERRAL_RECEIVED
    )
    [row] = queue_mail(kind=MailKind.NOTICE, subject_id=notice.pk, recipients=[user])
    sink.hold.set()
    first = start_worker(sink)
    try:
        wait_for(sink.holding.is_set, 30, "the first worker reaching the end of the message")
        first.send_signal(signal.SIGKILL)  # as an out-of-memory kill or a lost machine does
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert sink.messages == []
    deliver_job = ProcrastinateJob.objects.filter(task_name="outbox.deliver")
    assert deliver_job.get().status == "doing"  # left behind by the dead worker
    second = start_worker(sink)
    try:
        wait_for(
            lambda: Delivery.objects.get(pk=row.pk).state == DeliveryState.SENT,
            40,
            "the second worker sending the mail",
        )
        time.sleep(1)  # room for a duplicate to show, if there were one
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(15)
    [message] = sink.messages
    assert message["To"] == "ngo_a@example.org"
    assert message["Message-ID"] == Delivery.objects.get(pk=row.pk).message_id
    row.refresh_from_db()
    # The dead worker's attempt rolled back with its connection: one attempt, the good one.
    assert (row.attempts, deliver_job.get().status) == (
        1,
        "succeeded",
    )
