"""The state machines and who may take each transition, written once from DESIGN.md.

Every test of a transition table reads its expectations here, never from the code under test
(``cases.rules``, ``referral.rules``, the FSM decorators), so a wrong rule or a wrong edge
fails a test instead of agreeing with itself.
"""

from tests import personas

CASE_STAGES = ["identification", "assistance", "reintegration", "closed"]
CASE_STATUSES = ["presumed", "confirmed", "not_confirmed"]

# name → (field, source states, target state)
CASE_MACHINE = {
    "start_reintegration": ("stage", {"assistance"}, "reintegration"),
    "close": ("stage", {"identification", "assistance", "reintegration"}, "closed"),
    "reopen": ("stage", {"closed"}, "assistance"),
    "confirm_status": ("trafficking_status", {"presumed"}, "confirmed"),
    "reject_status": ("trafficking_status", {"presumed"}, "not_confirmed"),
    "reconsider_status": ("trafficking_status", {"not_confirmed"}, "presumed"),
}

# Who may take each case transition on a case led by NGO A, with an accepted StatusDecision
# referral to the prosecutor's office (tests.scenarios.case_led_by_ngo_a): the lead's
# caseworker or supervisor; close, the lead's supervisor; status decisions, the authority.
CASE_ALLOWED = {
    "start_reintegration": {personas.NGO_A, personas.NGO_A_SUPERVISOR},
    "reopen": {personas.NGO_A, personas.NGO_A_SUPERVISOR},
    "close": {personas.NGO_A_SUPERVISOR},
    "confirm_status": {personas.AUTHORITY},
    "reject_status": {personas.AUTHORITY},
    "reconsider_status": {personas.AUTHORITY},
}

REFERRAL_STATES = ["pending", "accepted", "declined", "cancelled", "completed", "ended"]

# name → (source states, target state)
REFERRAL_MACHINE = {
    "accept": ({"pending"}, "accepted"),
    "decline": ({"pending"}, "declined"),
    "cancel": ({"pending"}, "cancelled"),
    "complete": ({"accepted"}, "completed"),
    "end": ({"accepted"}, "ended"),
}

# Which side of a referral takes each action: the receiver answers, the sender withdraws, the
# organisation leading the case ends a partner's work.
REFERRAL_SIDE = {
    "accept": "receiver",
    "decline": "receiver",
    "complete": "receiver",
    "cancel": "sender",
    "end": "lead",
}

# Who may take each action on a referral from NGO A to NGO B (tests.scenarios.referral_in_state).
REFERRAL_ALLOWED = {
    "accept": {personas.NGO_B},
    "decline": {personas.NGO_B},
    "complete": {personas.NGO_B},
    "cancel": {personas.NGO_A, personas.NGO_A_SUPERVISOR},
    # NGO A leads the case: its caseworker or supervisor (not the police, not the authority).
    "end": {personas.NGO_A, personas.NGO_A_SUPERVISOR},
}
