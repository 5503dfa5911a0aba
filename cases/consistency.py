"""Data that makes sense: the checks registration and a correction share.

Dates: the identification not in the future and not before ``NRM_EARLIEST_IDENTIFICATION``;
a date of birth not in the future, not before 1900 and not after the identification. The child
flag follows the age at identification when a date of birth is known, and cannot contradict it.
A service's dates follow its status (``service_date_errors``).
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from cases import identity
from cases.models import ServiceStatus

EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def date_errors(*, identified_on, date_of_birth, today: datetime.date) -> dict[str, list[str]]:
    """The errors of an identification date and a date of birth, by field (empty if none)."""
    errors: dict[str, list[str]] = {}
    earliest = settings.NRM_EARLIEST_IDENTIFICATION
    if identified_on is not None:
        if identified_on > today:
            errors["identified_on"] = [_("The identification date cannot be in the future.")]
        elif identified_on < earliest:
            errors["identified_on"] = [
                _("The identification date cannot be before %(date)s.")
                % {"date": earliest.isoformat()}
            ]
    if date_of_birth is not None:
        if date_of_birth > today:
            errors["date_of_birth"] = [_("The date of birth cannot be in the future.")]
        elif date_of_birth < EARLIEST_BIRTH:
            errors["date_of_birth"] = [_("The date of birth cannot be before 1900.")]
        elif identified_on is not None and date_of_birth > identified_on:
            errors["date_of_birth"] = [
                _("The date of birth cannot be after the identification date.")
            ]
    return errors


def child_flag(*, date_of_birth, identified_on, declared: bool) -> tuple[bool, dict]:
    """The child flag to store, and the error when the declared flag contradicts the date of
    birth (a child declared, an adult by the dates). Without a date of birth the declaration
    stands; with one, the age at identification decides."""
    if date_of_birth is None or identified_on is None or date_of_birth > identified_on:
        return declared, {}
    age = identity.age_on(date_of_birth, identified_on)
    if declared and age >= 18:
        message = _(
            "The date of birth makes the person %(age)d on the identification date, not a child: "
            "correct the date of birth or untick the child box."
        ) % {"age": age}
        return True, {"is_child": [message]}
    return age < 18, {}


def service_date_errors(
    *, status: str, started_on, ended_on, today: datetime.date
) -> dict[str, list[str]]:
    """The errors of a service's dates for its status, by field (empty if none).

    Planned: the start may be in the future, no end yet. Ongoing: started (not in the
    future), no end yet. Completed or stopped: an end date, not in the future and not before
    the start. No date before ``NRM_EARLIEST_IDENTIFICATION``.
    """
    errors: dict[str, list[str]] = {}
    earliest = settings.NRM_EARLIEST_IDENTIFICATION
    too_early = _("This date cannot be before %(date)s.") % {"date": earliest.isoformat()}
    ended = status in (ServiceStatus.COMPLETED, ServiceStatus.CANCELLED)
    if started_on is None:
        errors["started_on"] = [_("Give the date the service started or is planned to start.")]
    elif started_on < earliest:
        errors["started_on"] = [too_early]
    elif started_on > today and status != ServiceStatus.PLANNED:
        errors["started_on"] = [
            _("The start date cannot be in the future: a service that has not begun is planned.")
        ]
    if ended_on is not None and not ended:
        errors["ended_on"] = [
            _("A planned or ongoing service has no end date: complete or stop it to end it.")
        ]
    elif ended and ended_on is None:
        errors["ended_on"] = [_("Give the date the service ended.")]
    elif ended_on is not None:
        if ended_on > today:
            errors["ended_on"] = [_("The end date cannot be in the future.")]
        elif ended_on < earliest:
            errors["ended_on"] = [too_early]
        elif started_on is not None and ended_on < started_on:
            errors["ended_on"] = [_("The end date cannot be before the start date.")]
    return errors
