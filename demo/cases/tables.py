"""What the synthetic cases are drawn from (``demo.cases``): weights and shares, no logic.

At registration: where victims are identified, sex, forms of exploitation, the trafficking
context, summaries, addresses, the registering organisations and the shares of children,
unknown birth dates, duplicates and consents. After it: where referrals go, their services,
outcomes, urgencies and durations, lead transfers, reasons, withdrawals, closures and status
decisions.

The values drawn are the domain's own choices (sexes, organisation kinds, urgencies, stages,
closure reasons, the StatusDecision service) and the demo cast's organisations. Exploitation
forms, the trafficking context and the other service types are reference data with codes
(reference/data), not constants: they stay written as their codes, and the draw keeps only the
codes the database has.
"""

from enum import StrEnum

from accounts.roles import OrganisationKind
from cases.models import ClosureReason, Sex, Stage
from demo.cast import AUTHORITY, HEALTH, NGO_A, NGO_B, POLICE
from reference.models import STATUS_DECISION_SERVICE
from referral.models import Urgency

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
SEXES = {Sex.FEMALE: 58, Sex.MALE: 40, Sex.UNKNOWN: 1.5, Sex.OTHER: 0.5}

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
    "ForcedMilitaryByNonStateActors": 0.5,
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

# The frontline demo organisations that register cases (demo/cast.py), with their share.
REGISTERING = {
    POLICE.name: 40,
    NGO_A.name: 25,
    NGO_B.name: 20,
    HEALTH.name: 15,
}

YEARS_BACK = 4
CHILD_SHARE = 0.2
UNKNOWN_BIRTH_DATE_SHARE = 0.06
DUPLICATE_SHARE = 0.01  # people registered again by another organisation
REFERRAL_CONSENT_SHARE = 0.85
STATISTICS_CONSENT_SHARE = 0.75

# --- Casework after registration (referrals, stages, status) -----------------------------------


class Outcome(StrEnum):
    """What happens to a referral (``SyntheticReferral.outcome``): the plan, before the horizon."""

    ACCEPT = "accept"  # the receiver accepts (and later completes, unless open-ended)
    DECLINE = "decline"  # the receiver declines, with a reason
    CANCEL = "cancel"  # the sender cancels first
    STALE = "stale"  # nobody answers: pending until the case closes or consent is withdrawn


# Where referrals go (the demo organisations of demo/cast.py); never to the sender itself.
REFERRAL_TARGETS = {
    NGO_A.name: 30,
    NGO_B.name: 25,
    HEALTH.name: 20,
    AUTHORITY.name: 12,  # StatusDecision only
    POLICE.name: 7,  # a complaint, criminal proceedings
}
REFERRED_SHARE = 0.70  # of the cases with referral consent
REFERRAL_COUNTS = {1: 45, 2: 35, 3: 20}
SERVICES_BY_KIND = {
    OrganisationKind.NGO: {
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
    OrganisationKind.HEALTH: {"Medical": 80, "Psychological": 20},
    OrganisationKind.POLICE: {"Legal": 1},
    OrganisationKind.AUTHORITY: {STATUS_DECISION_SERVICE: 1},
}
SERVICES_BY_KIND[OrganisationKind.SOCIAL_SERVICES] = SERVICES_BY_KIND[OrganisationKind.NGO]
SERVICES_BY_KIND[OrganisationKind.INTERNATIONAL] = SERVICES_BY_KIND[OrganisationKind.NGO]
SERVICES_BY_KIND[OrganisationKind.GENDARMERIE] = SERVICES_BY_KIND[OrganisationKind.POLICE]
SERVICE_COUNTS = {
    OrganisationKind.NGO: {1: 50, 2: 35, 3: 15},
    OrganisationKind.HEALTH: {1: 75, 2: 25},
}
OUTCOMES = {Outcome.ACCEPT: 76, Outcome.DECLINE: 9, Outcome.CANCEL: 6, Outcome.STALE: 9}
OUTCOMES_AUTHORITY = {Outcome.ACCEPT: 92, Outcome.DECLINE: 2, Outcome.CANCEL: 3, Outcome.STALE: 3}
URGENCIES = {Urgency.ROUTINE: 60, Urgency.URGENT: 30, Urgency.EMERGENCY: 10}
# A referral whose first service is shelter or medical care is more urgent.
IMMEDIATE_SERVICES = ("Shelter", "Medical")
URGENCIES_IMMEDIATE = {Urgency.ROUTINE: 35, Urgency.URGENT: 40, Urgency.EMERGENCY: 25}
URGENCIES_AUTHORITY = {Urgency.ROUTINE: 85, Urgency.URGENT: 15}
ANSWER_HOURS = {Urgency.EMERGENCY: (0.2, 8), Urgency.URGENT: (1, 48), Urgency.ROUTINE: (2, 240)}
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
TRANSFER_SHARES = {
    (OrganisationKind.POLICE, OrganisationKind.NGO): 0.45,
    (OrganisationKind.HEALTH, OrganisationKind.NGO): 0.4,
    (OrganisationKind.NGO, OrganisationKind.NGO): 0.1,
}
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
    STATUS_DECISION_SERVICE: [
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
WITHDRAWAL = "withdrawal"  # a key of CLOSURE_REASONS: closed after consent was withdrawn
CLOSURE_REASONS = {  # by the stage the case is closed from (or after a withdrawal)
    Stage.IDENTIFICATION: {
        ClosureReason.LOST_CONTACT: 60,
        ClosureReason.DECLINED_ASSISTANCE: 35,
        ClosureReason.TRANSFERRED_ABROAD: 4,
        ClosureReason.DECEASED: 1,
    },
    Stage.ASSISTANCE: {
        ClosureReason.LOST_CONTACT: 30,
        ClosureReason.GOALS_MET: 25,
        ClosureReason.DECLINED_ASSISTANCE: 20,
        ClosureReason.RETURN_COMPLETED: 15,
        ClosureReason.TRANSFERRED_ABROAD: 8,
        ClosureReason.DECEASED: 2,
    },
    Stage.REINTEGRATION: {
        ClosureReason.GOALS_MET: 45,
        ClosureReason.RETURN_COMPLETED: 30,
        ClosureReason.LOST_CONTACT: 12,
        ClosureReason.TRANSFERRED_ABROAD: 8,
        ClosureReason.DECLINED_ASSISTANCE: 5,
    },
    WITHDRAWAL: {ClosureReason.DECLINED_ASSISTANCE: 70, ClosureReason.LOST_CONTACT: 30},
}

# --- After registration: who follows the case, what is written and delivered -------------------

# Languages the person speaks, by nationality (reference/data/languages.json codes); the first
# list is drawn with its weights, each further language with its share.
LANGUAGES = {
    "MA": ({"ary": 85, "zgh": 15}, {"ar": 0.5, "fr": 0.3}),
    "NG": ({"en": 45, "pcm": 30, "yo": 13, "ig": 12}, {"en": 0.6, "ha": 0.1}),
    "CI": ({"fr": 80, "bm": 20}, {}),
    "CM": ({"fr": 75, "en": 25}, {}),
    "GN": ({"ff": 55, "fr": 45}, {"fr": 0.4}),
    "SN": ({"wo": 70, "fr": 30}, {"fr": 0.5}),
    "CD": ({"ln": 55, "fr": 45}, {"fr": 0.5, "sw": 0.1}),
    "ML": ({"bm": 75, "fr": 25}, {"fr": 0.4}),
    "SY": ({"ar": 100}, {"en": 0.1}),
    "PH": ({"tl": 80, "en": 20}, {"en": 0.6}),
    "BF": ({"fr": 60, "ff": 40}, {}),
    "GH": ({"en": 100}, {}),
    "DZ": ({"ar": 70, "fr": 30}, {"fr": 0.4}),
    "SD": ({"ar": 100}, {"en": 0.1}),
    "FR": ({"fr": 100}, {"en": 0.2}),
    None: ({"en": 40, "fr": 40, "ha": 20}, {}),
}
# The languages frontline staff speak: anyone speaking none of them needs an interpreter.
STAFF_LANGUAGES = frozenset({"ar", "ary", "fr"})

# The trafficking context (HTCDS 2.0 codes, reference/data): means of control by the case's first
# form of exploitation (how many: mostly one or two), how the person was recruited and by whom
# (children more often through their family), and where the exploitation took place (mostly
# Morocco; abroad the Gulf, Libya and southern Europe). Each has a share left unknown.
MEANS_OF_CONTROL_COUNTS = {0: 8, 1: 47, 2: 33, 3: 12}
MEANS_OF_CONTROL = {
    "SexualExploitation": {
        "PsychologicalAbuse": 20,
        "Threats": 18,
        "DebtBondage": 15,
        "TakesEarnings": 14,
        "PhysicalAbuse": 10,
        "SexualAbuse": 10,
        "PsychoactiveSubstances": 6,
        "RestrictsMovement": 8,
        "WithholdsDocuments": 6,
        "FalsePromises": 8,
        "ThreatsToFamily": 5,
    },
    "ForcedLabour": {
        "TakesEarnings": 22,
        "DebtBondage": 18,
        "WithholdsDocuments": 16,
        "ExcessiveWorkingHours": 16,
        "FalsePromises": 12,
        "Threats": 8,
        "RestrictsMovement": 6,
        "WithholdsNecessities": 4,
        "RestrictsMedicalCare": 3,
        "PhysicalAbuse": 3,
    },
    "Servitude": {
        "WithholdsDocuments": 22,
        "RestrictsMovement": 18,
        "ExcessiveWorkingHours": 16,
        "TakesEarnings": 12,
        "PsychologicalAbuse": 12,
        "WithholdsNecessities": 8,
        "PhysicalAbuse": 6,
        "RestrictsMedicalCare": 4,
        "SexualAbuse": 2,
    },
    None: {
        "Threats": 18,
        "PsychologicalAbuse": 16,
        "TakesEarnings": 14,
        "PhysicalAbuse": 12,
        "FalsePromises": 10,
        "RestrictsMovement": 10,
        "DebtBondage": 8,
        "ThreatsToFamily": 6,
        "WithholdsNecessities": 4,
        "Other": 2,
    },
}
RECRUITMENT = {
    "PersonalContact": 40,
    "Internet": 18,
    "RecruitmentAgency": 12,
    "Advertisement": 10,
    "SoldByFamily": 4,
    "Abduction": 3,
    "Other": 3,
}
RECRUITMENT_CHILD = {
    "PersonalContact": 45,
    "SoldByFamily": 20,
    "Internet": 12,
    "Abduction": 8,
    "Advertisement": 3,
    "Other": 2,
}
RELATIONSHIPS = {
    "Acquaintance": 22,
    "Recruiter": 20,
    "Employer": 18,
    "Family": 10,
    "IntimatePartner": 9,
    "Friend": 8,
    "Stranger": 9,
    "Other": 4,
}
RELATIONSHIPS_CHILD = {
    "Family": 35,
    "Acquaintance": 20,
    "Employer": 12,
    "Recruiter": 10,
    "Stranger": 10,
    "Friend": 8,
    "Other": 5,
}
EXPLOITATION_COUNTRIES = {
    "MA": 82,
    "LY": 3,
    "SA": 3,
    "AE": 2,
    "ES": 3,
    "DZ": 2,
    "QA": 1,
    "FR": 1,
    "IT": 1,
    "MR": 1,
}
UNKNOWN_CONTEXT_SHARE = {"recruitment": 0.12, "relationship": 0.15, "country": 0.04}

# Share of the cases the lead organisation has assigned to one of its members, by whether the
# case is closed (an assignment stays when the case closes, and nobody assigns a closed case).
ASSIGNED_SHARE = {False: 0.8, True: 0.5}

# How many notes a case has, by stage; who writes them is drawn among the organisations that
# saw the case with identity.
NOTE_COUNTS = {
    Stage.IDENTIFICATION: {0: 30, 1: 45, 2: 25},
    Stage.ASSISTANCE: {1: 30, 2: 35, 3: 25, 4: 10},
    Stage.REINTEGRATION: {2: 35, 3: 35, 4: 30},
    Stage.CLOSED: {1: 40, 2: 35, 3: 25},
}
NOTE_KINDS = {"general": 45, "social": 20, "medical": 15, "legal": 12, "psychological": 8}
OWN_NOTE_SHARE = 0.15  # of general, social and legal notes: kept within the author's organisation
NOTES = {
    "general": [
        "Called the person to confirm the next appointment.",
        "Met the person at the office; situation unchanged.",
        "Documents copied and returned to the person.",
        "The person asked for news of the referral.",
    ],
    "social": [
        "Home visit: the accommodation is stable.",
        "Enrolled in the literacy course of the district.",
        "Contact with family members restored by phone.",
        "Food and hygiene kit handed over.",
    ],
    "medical": [
        "Medical check-up done; follow-up in two weeks.",
        "Treatment started; the person tolerates it well.",
        "Referred to a specialist for a follow-up consultation.",
    ],
    "psychological": [
        "First session with the psychologist; sleep disorders reported.",
        "Weekly sessions continue; the person is more confident.",
    ],
    "legal": [
        "Informed of the right to file a complaint and to a lawyer.",
        "Statement given to the investigating officer, with an interpreter.",
        "Residence permit application filed.",
    ],
}
# Delivered services of an accepted referral that are still planned (not started yet).
PLANNED_SERVICE_SHARE = 0.1
