"""The domain events the audit log records, by name (stored in ``additional_data["event"]``).

One enum, so that a reader (or an auditor) finds every kind of entry in one place and a typo is
an AttributeError rather than a new kind of entry nobody queries.
"""

from enum import StrEnum


class Event(StrEnum):
    # Case stage and trafficking-status transitions (the name of the transition).
    START_ASSISTANCE = "start_assistance"
    START_REINTEGRATION = "start_reintegration"
    CLOSE = "close"
    REOPEN = "reopen"
    CONFIRM_STATUS = "confirm_status"
    REJECT_STATUS = "reject_status"
    RECONSIDER_STATUS = "reconsider_status"
    # Consent.
    CONSENT_GIVEN = "consent_given"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CONSENT_OVERRIDE = "consent_override"
    # Referral transitions.
    ACCEPT = "accept"
    DECLINE = "decline"
    CANCEL = "cancel"
    COMPLETE = "complete"
    END = "end"
    # Possible duplicates (the national coordinator's review).
    DUPLICATE_REVIEWED = "duplicate_reviewed"
