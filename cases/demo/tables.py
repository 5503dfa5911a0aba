"""What the synthetic cases are drawn from (``cases.demo``): weights and shares, no logic.

At registration: where victims are identified, sex, forms of exploitation, summaries,
addresses, the registering organisations and the shares of children, unknown birth dates,
duplicates and consents. After it: the referral states, stages and statuses, where referrals
go, their services, outcomes, urgencies and durations, lead transfers, reasons, withdrawals,
closures and status decisions.
"""

# Where victims are identified: the big cities, the northern ports and the eastern border.
REGIONS = {
    "MA-06": (25, "Casablanca"),
    "MA-01": (15, "Tanger"),
    "MA-02": (12, "Oujda"),
    "MA-04": (12, "Rabat"),
    "MA-03": (8, "Fès"),
    "MA-07": (8, "Marrakech"),
    "MA-09": (7, "Agadir"),
    "MA-05": (3, "Béni Mellal"),
    "MA-10": (3, "Guelmim"),
    "MA-11": (3, "Laâyoune"),
    "MA-08": (2, "Errachidia"),
    "MA-12": (2, "Dakhla"),
}

# Sex of the person (UNODC's global split, roughly: three in five victims are women and girls).
SEXES = {"female": 58, "male": 40, "unknown": 1.5, "other": 0.5}

# Forms of exploitation (HTCDS codes), by who the person is.
FORMS_ADULT_WOMAN = {
    "SexualExploitation": 55,
    "Servitude": 18,
    "ForcedLabour": 15,
    "ForcedMarriage": 4,
    "ForcedBegging": 3,
    "ForcedCriminalActivity": 2,
    "Other": 2,
    "Surrogacy": 0.5,
    "OrganRemoval": 0.2,
}
FORMS_ADULT_MAN = {
    "ForcedLabour": 60,
    "ForcedCriminalActivity": 12,
    "ForcedBegging": 10,
    "SexualExploitation": 6,
    "Servitude": 6,
    "Other": 3,
    "OrganRemoval": 1,
    "ForcedMilitary": 0.5,
}
FORMS_CHILD = {
    "ChildLabour": 25,
    "ForcedBegging": 25,
    "SexualExploitation": 18,
    "Servitude": 14,
    "ForcedCriminalActivity": 7,
    "ForcedLabour": 5,
    "ForcedMarriage": 5,
    "ForcedAdoption": 1,
}
SECOND_FORM_SHARE = 0.25

SUMMARIES = {
    "SexualExploitation": [
        "Identified during a police operation at a flat in {city}.",
        "Contacted by an outreach team near the bus station in {city}; controlled by a 'sponsor'.",
        "Recruited online for a job in a café in {city}; made to work in a bar instead.",
    ],
    "ForcedLabour": [
        "Identified during a labour inspection on a farm near {city}; wages withheld for months.",
        "Came forward at a construction site in {city}; recruitment debt of several months' pay.",
        "Worked on a fishing boat out of {city} without pay; documents kept by the captain.",
    ],
    "Servitude": [
        "Domestic worker in a household in {city}; passport kept by the employer.",
        "Left the employer's house in {city} at night and asked a neighbour for help.",
    ],
    "ForcedBegging": [
        "Found begging at a crossroads in {city} under the watch of an adult.",
        "Begging near the medina of {city}; hands over the day's money each evening.",
    ],
    "ChildLabour": [
        "Child working in a workshop in {city}; not attending school.",
        "Child selling goods in the streets of {city} for an unrelated adult.",
    ],
    "ForcedMarriage": ["Reported by a relative in {city}; married against her will."],
    "ForcedCriminalActivity": [
        "Made to carry goods across the border near {city}.",
        "Arrested in {city} for selling drugs; says a network keeps the money and the passport.",
    ],
}
SUMMARY_DEFAULT = ["Identified in {city}; details recorded at the first interview."]
SUMMARY_NEEDS = [
    "Needs shelter tonight.",
    "Needs medical care.",
    "Needs an interpreter.",
    "Afraid of reprisals against family at home.",
    "Wants to return home.",
    "",
    "",
]

STREETS = [
    "Derb Sultan",
    "Hay Mohammadi",
    "Rue Ibn Batouta",
    "Avenue Hassan II",
    "Rue de Fès",
    "Hay Al Amal",
    "Boulevard Zerktouni",
    "Derb Ghallef",
    "Rue Allal Ben Abdellah",
    "Hay Nahda",
]

# The frontline demo organisations that register cases (accounts/demo.py), with their share.
REGISTERING = {
    "Police — Casablanca": 40,
    "NGO A": 25,
    "NGO B": 20,
    "Health unit — Casablanca": 15,
}

YEARS_BACK = 4
CHILD_SHARE = 0.2
UNKNOWN_BIRTH_DATE_SHARE = 0.06
DUPLICATE_SHARE = 0.01  # people registered again by another organisation
REFERRAL_CONSENT_SHARE = 0.85
STATISTICS_CONSENT_SHARE = 0.75

# --- Casework after registration (referrals, stages, status) -----------------------------------

PENDING, ACCEPTED, DECLINED, CANCELLED, COMPLETED = (
    "pending",
    "accepted",
    "declined",
    "cancelled",
    "completed",
)
IDENTIFICATION, ASSISTANCE, REINTEGRATION, CLOSED = (
    "identification",
    "assistance",
    "reintegration",
    "closed",
)
PRESUMED, CONFIRMED, NOT_CONFIRMED = "presumed", "confirmed", "not_confirmed"
STATUS_DECISION = "StatusDecision"  # the one service the status authority takes
AUTHORITY_KIND = "authority"
# Kinds of organisation that take assistance referrals (accounts.roles.FRONTLINE_KINDS).
ASSISTANCE_KINDS = {"police", "gendarmerie", "health", "ngo", "social_services", "international"}

# Where referrals go (the demo organisations of accounts/demo.py); never to the sender itself.
REFERRAL_TARGETS = {
    "NGO A": 30,
    "NGO B": 25,
    "Health unit — Casablanca": 20,
    "Prosecutor's office": 12,  # StatusDecision only
    "Police — Casablanca": 7,  # a complaint, criminal proceedings
}
REFERRED_SHARE = 0.70  # of the cases with referral consent
REFERRAL_COUNTS = {1: 45, 2: 35, 3: 20}
SERVICES_BY_KIND = {
    "ngo": {
        "Shelter": 30,
        "Psychological": 18,
        "SocialCare": 15,
        "Legal": 12,
        "Interpretation": 7,
        "Livelihood": 6,
        "Education": 4,
        "Financial": 4,
        "ReturnAssistance": 4,
    },
    "health": {"Medical": 80, "Psychological": 20},
    "police": {"Legal": 1},
    AUTHORITY_KIND: {STATUS_DECISION: 1},
}
SERVICES_BY_KIND["social_services"] = SERVICES_BY_KIND["international"] = SERVICES_BY_KIND["ngo"]
SERVICES_BY_KIND["gendarmerie"] = SERVICES_BY_KIND["police"]
SERVICE_COUNTS = {"ngo": {1: 50, 2: 35, 3: 15}, "health": {1: 75, 2: 25}}
# What happens to a referral: the receiver accepts or declines, the sender cancels first, or
# nobody answers (it stays pending until the case closes or consent is withdrawn).
OUTCOMES = {"accept": 76, "decline": 9, "cancel": 6, "stale": 9}
OUTCOMES_AUTHORITY = {"accept": 92, "decline": 2, "cancel": 3, "stale": 3}
URGENCIES = {"routine": 60, "urgent": 30, "emergency": 10}
URGENCIES_IMMEDIATE = {"routine": 35, "urgent": 40, "emergency": 25}  # shelter, medical care
URGENCIES_AUTHORITY = {"routine": 85, "urgent": 15}
ANSWER_HOURS = {"emergency": (0.2, 8), "urgent": (1, 48), "routine": (2, 240)}
# How long the receiver works on an accepted referral before completing it, by first service.
SERVICE_DAYS = {
    "Shelter": (20, 180),
    "Medical": (1, 45),
    "Psychological": (30, 180),
    "Legal": (30, 365),
    "Interpretation": (1, 30),
    "Education": (60, 365),
    "Livelihood": (60, 365),
    "Financial": (7, 90),
    "SocialCare": (30, 200),
    "ReturnAssistance": (20, 120),
}
OPEN_ENDED_SHARE = 0.1  # accepted and never completed while the case is open
# Share of referrals that hand over the lead, by (sender kind, receiver kind).
TRANSFER_SHARES = {("police", "ngo"): 0.45, ("health", "ngo"): 0.4, ("ngo", "ngo"): 0.1}
REASONS = {
    "Shelter": ["Needs a safe place to stay tonight.", "Shelter requested after the interview."],
    "Medical": ["Injuries to be examined.", "Needs a medical check-up and follow-up."],
    "Psychological": ["Signs of trauma; psychological support requested."],
    "Legal": ["Wishes to file a complaint.", "Needs legal advice on residence papers."],
    "Interpretation": ["Interpreter needed for the interviews."],
    "Education": ["Wants to go back to school or training."],
    "Livelihood": ["Looking for work and vocational training."],
    "Financial": ["No means of subsistence."],
    "SocialCare": ["Needs social follow-up."],
    "ReturnAssistance": ["Wishes to return home; return assistance requested."],
    STATUS_DECISION: [
        "Formal identification requested.",
        "Elements gathered; decision on the status requested.",
    ],
}
NO_REASON_SHARE = 0.15
DECLINE_REASONS = [
    "No place available at the moment.",
    "Outside our area of work.",
    "The person did not come to the appointment.",
    "Service not offered in this region.",
]
WITHDRAWAL_SHARE = 0.04  # of referred cases: the person withdraws referral consent later
STATISTICS_WITHDRAWAL_SHARE = 0.5  # ... and statistics consent with it
REINTEGRATION_SHARE = 0.45
CLOSURE_AFTER_REINTEGRATION = 0.65
CLOSURE_IN_ASSISTANCE = 0.35
CLOSURE_IN_IDENTIFICATION = 0.3
CLOSURE_AFTER_WITHDRAWAL = 0.5
STATUS_DECIDED_SHARE = 0.85
CONFIRMED_SHARE = 0.7
CLOSURE_REASONS = {  # cases.models.ClosureReason, by the stage the case is closed from
    IDENTIFICATION: {
        "lost_contact": 60,
        "declined_assistance": 35,
        "transferred_abroad": 4,
        "deceased": 1,
    },
    ASSISTANCE: {
        "lost_contact": 30,
        "goals_met": 25,
        "declined_assistance": 20,
        "return_completed": 15,
        "transferred_abroad": 8,
        "deceased": 2,
    },
    REINTEGRATION: {
        "goals_met": 45,
        "return_completed": 30,
        "lost_contact": 12,
        "transferred_abroad": 8,
        "declined_assistance": 5,
    },
    "withdrawal": {"declined_assistance": 70, "lost_contact": 30},
}
