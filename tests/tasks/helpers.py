"""Tasks brought about as people would: through the services."""

import datetime

from django.utils import timezone

from tasks.services import create_task


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def follow_up(case, actor, *, title="Call the shelter", days=2, **kwargs):
    return create_task(case, actor=actor, title=title, due_on=in_days(days), **kwargs)
