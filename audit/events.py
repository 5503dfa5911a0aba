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
    # A service record's status transitions (its date changes are auditlog's own entries).
    SERVICE_STARTED = "service_started"
    SERVICE_COMPLETED = "service_completed"
    SERVICE_STOPPED = "service_stopped"
    # Tasks and follow-ups (ids and states; never the title).
    TASK_DONE = "task_done"
    TASK_DROPPED = "task_dropped"
    TASK_REASSIGNED = "task_reassigned"
    # A correction of the record (field names only).
    CASE_CORRECTED = "case_corrected"
    # The lead organisation's caseworker who follows the case.
    CASE_ASSIGNED = "case_assigned"
    # A risk assessment (its level and id; never its notes).
    RISK_ASSESSED = "risk_assessed"
    # A search of the case list (the parameters' names; never a searched value).
    CASES_SEARCHED = "cases_searched"
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
    # A document added to a case (ids, kind, type and size; never its name or content).
    DOCUMENT_UPLOADED = "document_uploaded"
    # Proceedings (issue 12): codes only, never a reference or a text.
    COMPENSATION_STATUS_CHANGED = "compensation_status_changed"
    PROTECTION_MEASURE_DECIDED = "protection_measure_decided"
    # A referral's one-page slip was rendered for printing (ids and field names only).
    REFERRAL_SLIP_PRINTED = "referral_slip_printed"
    # Possible duplicates (the national coordinator's review).
    DUPLICATE_REVIEWED = "duplicate_reviewed"
    # Break-glass: a supervisor opens a case outside their organisation's visibility.
    BREAK_GLASS_OPENED = "break_glass_opened"
    BREAK_GLASS_REVIEWED = "break_glass_reviewed"
    # Statistics requests (who asked which table and filters).
    STATISTICS_REQUESTED = "statistics_requested"
    # A statistics release published (its id, cut-off and the privacy loss it spent).
    STATISTICS_RELEASED = "statistics_released"
    # Accounts and organisations (issue 9): the administrator asks, someone else approves.
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_APPROVED = "account_approved"
    ACCOUNT_REJECTED = "account_rejected"
    ROLE_CHANGE_REQUESTED = "role_change_requested"
    ROLE_CHANGED = "role_changed"
    ROLE_CHANGE_REJECTED = "role_change_rejected"
    MOVE_REQUESTED = "move_requested"
    MOVED = "moved"
    MOVE_REJECTED = "move_rejected"
    EMAIL_CHANGE_REQUESTED = "email_change_requested"
    EMAIL_CHANGED = "email_changed"
    EMAIL_CHANGE_REJECTED = "email_change_rejected"
    ACCOUNT_DETAILS_CHANGED = "account_details_changed"
    ACCOUNT_ACTIVATED = "account_activated"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    # (Names of events, not passwords.)
    PASSWORD_RESET_REQUESTED = "password_reset_requested"  # noqa: S105
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    ORGANISATION_CREATED = "organisation_created"
    ORGANISATION_CHANGED = "organisation_changed"
    # The second factor.
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled"
    BACKUP_CODES_ISSUED = "backup_codes_issued"
    SECOND_FACTOR_FAILED = "second_factor_failed"
    PASSKEY_REGISTERED = "passkey_registered"
    PASSKEY_REMOVED = "passkey_removed"
    LOCKOUT_LIFTED = "lockout_lifted"
