"""The outbox's job, run by the worker (``manage.py procrastinate worker``; ``make run`` starts
one beside the server, docker-compose runs it as its own service). Procrastinate imports this
module at start-up (``PROCRASTINATE_AUTODISCOVER_MODULE_NAME``).

A failed attempt is retried with exponential back-off (2, 4, 8 … seconds, capped by the
attempts allowed); the row records every attempt (outbox.delivery). A worker killed in the
middle of a job (its heartbeat stops) leaves the job "doing": ``retry_stalled`` puts such jobs
back in the queue, and the next worker sends their mail, once (the row's lock went with the
killed worker's connection, its attempt rolled back with it).
"""

from django.conf import settings
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from accounts.mail import render_password_link
from breakglass.mail import render_lead_alert
from notices.mail import render_notice_mail
from outbox import delivery
from outbox.models import MailKind
from outbox.queue import DELIVER_TASK, QUEUE

RENDERERS = {
    MailKind.NOTICE: render_notice_mail,
    MailKind.BREAK_GLASS: render_lead_alert,
    MailKind.PASSWORD_LINK: render_password_link,
}


@app.task(
    name=DELIVER_TASK,
    queue=QUEUE,
    retry=RetryStrategy(
        max_attempts=settings.NRM_MAIL_MAX_ATTEMPTS - 1,
        exponential_wait=2,
        retry_exceptions={delivery.DeliveryFailed},
    ),
)
def deliver(delivery_id: int) -> str:
    return delivery.deliver(delivery_id, renderers=RENDERERS)


@app.periodic(cron=settings.NRM_MAIL_STALLED_CRON, periodic_id="outbox.retry_stalled")
@app.task(name="outbox.retry_stalled", queue=QUEUE, queueing_lock="outbox.retry_stalled")
async def retry_stalled(timestamp: int) -> int:
    """Jobs of the mail queue whose worker stopped sending heartbeats, queued again."""
    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, seconds_since_heartbeat=settings.NRM_WORKER_STALLED_SECONDS
    )
    for job in stalled:
        await app.job_manager.retry_job(job)
    return len(stalled)
