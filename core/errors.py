"""Domain conflicts: the object's state does not allow the action now (HTTP 409)."""

from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    code = "conflict"
    default_message = _("This action is not possible in the current state.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _(
        "This action is no longer possible: the record changed in the meantime or is in another "
        "state. Reload the page to see its current state."
    )


class ConsentRequired(Conflict):
    code = "consent_required"
    default_message = _(
        "The person's consent to referral is not recorded (or was withdrawn). Record it first, "
        "or ask a supervisor of the lead organisation to override with a reason."
    )


class RiskAssessmentRequired(Conflict):
    code = "risk_assessment_required"
    default_message = _(
        "Reintegration starts only after a recent risk assessment. Assess the risk on the case "
        "page first, then start reintegration."
    )


class PrivacyBudgetExhausted(Conflict):
    code = "privacy_budget_exhausted"
    default_message = _(
        "This release would spend more privacy budget than is left for this year: no release "
        "can be published until next year (or until the yearly cap is raised by a decision "
        "of the commission)."
    )
