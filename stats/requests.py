"""Every statistics request is audited (who asked which table, with which filters) and
counted against the user's hourly limit (``limits.throttle``), in the UI and the API alike."""

from audit.entries import record_event
from audit.events import Event
from limits.throttle import STATISTICS, Verdict, take


def take_statistics_request(user) -> Verdict:
    """Count one statistics request of the user if the limit allows it (no entry when not)."""
    return take(user, STATISTICS)


def record_statistics_request(user, *, table: str, channel: str, **filters) -> None:
    """The audit entry of one statistics request: the table and its filters, no result."""
    record_event(
        user,
        actor=user,
        event=Event.STATISTICS_REQUESTED,
        table=table,
        channel=channel,
        filters={key: value for key, value in filters.items() if value not in (None, "", [])},
    )
