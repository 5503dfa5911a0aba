"""The table of a service's status and dates, valid and refused, that the service, the forms
and the API are each held to (tests/cases/test_casework.py,
tests/cases/test_views_notes_and_services.py, tests/api/test_notes_and_services.py).

Written out from the issue ("planned (future start allowed), ongoing, completed or stopped,
with dates that make sense"), never read from ``cases.consistency``: a day is an offset from
today or a fixed date; each row names the fields refused (none: valid). The earliest date a
deployment accepts is NRM_EARLIEST_IDENTIFICATION, 2000-01-01 by default.
"""

import datetime

import pytest
from django.utils import timezone

EARLIEST = datetime.date(2000, 1, 1)
BEFORE_EARLIEST = datetime.date(1999, 12, 31)

# (id, status, started on, ended on, fields refused)
SERVICE_DATES = [
    ("planned in the future", "planned", 30, None, []),
    ("planned from today", "planned", 0, None, []),
    ("planned that should have begun", "planned", -3, None, []),
    ("planned with an end", "planned", 5, 6, ["ended_on"]),
    ("planned with an end today", "planned", 0, 0, ["ended_on"]),
    ("planned before the earliest", "planned", BEFORE_EARLIEST, None, ["started_on"]),
    ("ongoing from today", "ongoing", 0, None, []),
    ("ongoing for ten days", "ongoing", -10, None, []),
    ("ongoing from the earliest", "ongoing", EARLIEST, None, []),
    ("ongoing from tomorrow", "ongoing", 1, None, ["started_on"]),
    ("ongoing with an end", "ongoing", -10, 0, ["ended_on"]),
    ("ongoing before the earliest", "ongoing", BEFORE_EARLIEST, None, ["started_on"]),
    ("completed today", "completed", -10, 0, []),
    ("completed the day it began", "completed", -10, -10, []),
    ("completed on the earliest", "completed", EARLIEST, EARLIEST, []),
    ("completed without an end", "completed", -10, None, ["ended_on"]),
    ("completed tomorrow", "completed", -10, 1, ["ended_on"]),
    ("completed before it began", "completed", -10, -11, ["ended_on"]),
    ("completed, begun in the future", "completed", 2, 0, ["ended_on", "started_on"]),
    (
        "completed before the earliest",
        "completed",
        datetime.date(1999, 12, 1),
        BEFORE_EARLIEST,
        ["ended_on", "started_on"],
    ),
    ("stopped today", "cancelled", -5, 0, []),
    ("stopped the day it began", "cancelled", 0, 0, []),
    ("stopped without an end", "cancelled", -5, None, ["ended_on"]),
    ("stopped next week", "cancelled", -5, 7, ["ended_on"]),
    ("stopped before it began", "cancelled", -5, -6, ["ended_on"]),
    ("stopped, begun before the earliest", "cancelled", BEFORE_EARLIEST, 0, ["started_on"]),
]


def day(value):
    """A day of the table: None, a fixed date, or an offset in days from today."""
    if value is None or isinstance(value, datetime.date):
        return value
    return timezone.localdate() + datetime.timedelta(days=value)


def iso(value) -> str | None:
    date = day(value)
    return date.isoformat() if date else None


def service_dates():
    """The table as pytest parameters (status, started, ended, refused), each with its id."""
    return pytest.mark.parametrize(
        ("status", "started", "ended", "refused"),
        [pytest.param(*row[1:], id=row[0]) for row in SERVICE_DATES],
    )
