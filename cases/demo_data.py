"""Synthetic demo cases (``seed_demo --cases N``): realistic, deterministic with a seed, fast.

Three steps:

- ``generate_cases`` draws the records from a ``random.Random`` and touches no database, so the
  same seed (and the same day) always gives the same people, profiles and dates.
- ``plan_casework`` (no database either) draws what happened next, up to now, by the rules of
  DESIGN.md: referrals in every state, from the lead organisation of the moment and only with
  referral consent; assistance from the first accepted assistance referral (with the reflection
  period), reintegration and closure (with a reason); lead transfers; status decisions after an
  accepted StatusDecision referral; some withdrawals of consent, which end every referral.
- ``seed_cases`` writes them in chunks, one transaction per chunk, with one ``COPY`` for every
  kind of row (one function per kind: persons, cases, exploitation forms, referrals and their
  services, access, consents), and the same derived values as the services: blind indexes, age
  group, child flag, duplicate flag, references reserved per year with ``next_reference``,
  encrypted fields sealed by their ``pre_save``, and exactly the permission rows that
  ``cases.access.wanted_access`` derives from the registering and lead organisations and the
  referrals. No audit entry per row: this is generated data, not anyone's action.

Notes and delivered services are not generated yet; a later kind of row is one more function in
``ROW_WRITERS``.

Everything here is invented. Phone numbers use one visibly synthetic range (+212 600 0…).
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# --- Vocabulary -----------------------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> list[str]:
    """The names in a block of text, split on whitespace (or on ``sep``, for names with spaces)."""
    return [" ".join(word.split()) for word in text.split(sep) if word.strip()]


# Given names per pool: (female, male). Family names per pool.
GIVEN_NAMES: dict[str, tuple[list[str], list[str]]] = {
    # Moroccan and wider Arabic (Maghreb, Syria, Sudan), with some Amazigh names.
    "arabic": (
        _words("""
            Fatima Khadija Aicha Meryem Salma Nadia Hanane Samira Latifa Zineb Hafsa Imane
            Karima Loubna Malika Naima Rachida Souad Siham Wafae Yasmine Zahra Asmae Btissam
            Chaimae Dounia Ghizlane Hajar Ikram Jamila Kenza Leila Mouna Nawal Oumaima Rajae
            Sanae Touria Itto Fadwa
        """),
        _words("""
            Mohamed Ahmed Youssef Hamza Omar Said Abdellah Rachid Mustapha Hassan Hicham Karim
            Khalid Mehdi Nabil Othmane Rida Soufiane Tarik Yassine Zakaria Adil Amine Anas Ayoub
            Brahim Driss Fouad Ilyas Ismail Jamal Lahcen Mourad Noureddine Redouane Samir Walid
            Yahya Abdelkader Aziz
        """),
    ),
    "french": (
        _words("""
            Marie Camille Léa Chloé Manon Sarah Julie Emma Inès Clara Laura Céline Nathalie
            Sophie Isabelle Aurélie Élodie Pauline Mélanie Audrey Justine Margaux Lucie Anaïs
            Océane Émilie Claire Hélène Christelle Sandrine Valérie Brigitte Josiane Bernadette
            Solange Odile Florence Agathe Jeanne Béatrice
        """),
        _words("""
            Jean Pierre Paul Jacques Michel Philippe Nicolas Julien Thomas Antoine François
            Laurent Olivier Stéphane Sébastien Christophe Éric Alain Bernard Patrick Hervé Didier
            Serge Thierry Emmanuel Guillaume Mathieu Vincent Benoît Arnaud Damien Fabrice Gérard
            Jérôme Lucien Marcel Noël Rodrigue Sylvain Yves
        """),
    ),
    # West and Central Africa, by naming tradition rather than by border.
    "sahel": (  # Fula, Mande, Wolof: Senegal, Guinea, Mali, Burkina Faso, northern Côte d'Ivoire
        _words("""
            Aminata Fatoumata Mariama Aïssatou Kadiatou Hawa Oumou Awa Adama Ramatoulaye Ndeye
            Coumba Binta Sokhna Marème Nafissatou Djeneba Kadi
        """),
        _words("""
            Mamadou Ousmane Ibrahima Moussa Abdoulaye Amadou Souleymane Boubacar Lamine Cheikh
            Modou Babacar Sékou Seydou Bakary Alpha
        """),
    ),
    "nigerian": (  # Igbo, Yoruba, and names common across southern Nigeria
        _words("""
            Ngozi Chiamaka Adaeze Nkechi Funmilayo Folake Yetunde Blessing Precious Joy Favour
            Omolara
        """),
        _words("""
            Chinedu Emeka Obinna Chukwuma Kelechi Ifeanyi Tunde Oluwaseun Babajide Segun Godwin
            Sunday
        """),
    ),
    "akan": (  # Côte d'Ivoire (Baoulé), Ghana
        _words("Adjoua Akissi Affoué Amenan Ama Akosua Abena Efua"),
        _words("Kouassi Kouadio Koffi Yao Konan Kwame Kwabena Kofi"),
    ),
    "central": (  # Cameroon, DR Congo
        _words("Grâce Esther Mireille Chantal Nadège Ornella Divine Merveille"),
        _words("Patrice Blaise Junior Prince Hervé Landry Cédric Fiston"),
    ),
    "filipino": (
        _words("Maria Ana Rosalie Marites Jocelyn Lorna Analyn Cristina Maricel Rowena Rhea Liza"),
        _words("Jose Juan Rodel Ramon Arnel Jomar Ronaldo Edwin Dante Reynaldo Rogelio Noel"),
    ),
}

FAMILY_NAMES: dict[str, list[str]] = {
    "arabic": _words(
        """
        El Amrani|Benali|Bennani|Alaoui|El Idrissi|Tazi|Berrada|Chraibi|Lahlou|Ouazzani|Sebti
        |Benjelloun|El Fassi|Bouzid|Cherkaoui|Daoudi|El Khatib|Hajji|Jaafari|Kettani|Lamrani
        |Mansouri|Naciri|Ouali|Rahmouni|Saidi|Tahiri|Ziani|Zerouali|Boukhari|El Ouardi|Haddad
        |Khalil|Mernissi|Ait Ali|Ait Ouahmane|Oukacha|Nasser|Darwish|Al Hassan
        """,
        sep="|",
    ),
    "french": _words("""
        Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent
        Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre
        Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc
        Guérin Muller Henry Roussel Nicolas
    """),
    "sahel": _words("""
        Diallo Traoré Koné Camara Touré Keita Coulibaly Sylla Bah Barry Sow Ndiaye Diop Fall
        Sarr Gueye Cissé Diarra Sangaré Ouédraogo
    """),
    "nigerian": _words("Okafor Okonkwo Adeyemi Oladipo Eze Nwosu Okeke Balogun Ogunleye Obi"),
    "akan": _words("Kouamé N'Guessan Konan Kouadio Mensah Owusu Boateng Asante"),
    "central": _words(
        "Mbarga Nkoulou Fotso Tchakounté Tshibanda Kabongo Mukendi Ilunga Lukusa Mbuyi"
    ),
    "filipino": _words(
        """
        Santos|Reyes|Cruz|Bautista|Mendoza|Dela Cruz|Ramos|Aquino|Villanueva|Castillo|Navarro
        |Manalo
        """,
        sep="|",
    ),
}


@dataclass(frozen=True, eq=False)  # hashed by identity: a key of the weight table
class Origin:
    nationality: str | None  # ISO 3166 alpha-2; None when not known
    weight: float
    given: dict[str, float]  # name pool → weight
    family: dict[str, float]


SAHEL = {"sahel": 1.0}
ARABIC = {"arabic": 1.0}
ORIGINS = [
    Origin("MA", 30, ARABIC, ARABIC),
    Origin("NG", 13, {"nigerian": 1.0}, {"nigerian": 1.0}),
    Origin("CI", 9, {"akan": 0.45, "sahel": 0.3, "french": 0.25}, {"akan": 0.6, "sahel": 0.4}),
    Origin("CM", 8, {"central": 0.5, "french": 0.5}, {"central": 1.0}),
    Origin("GN", 7, SAHEL, SAHEL),
    Origin("SN", 6, SAHEL, SAHEL),
    Origin("CD", 5, {"central": 0.5, "french": 0.5}, {"central": 1.0}),
    Origin("ML", 5, SAHEL, SAHEL),
    Origin("SY", 3, ARABIC, ARABIC),
    Origin("PH", 3, {"filipino": 1.0}, {"filipino": 1.0}),
    Origin("BF", 2, SAHEL, SAHEL),
    Origin("GH", 2, {"akan": 1.0}, {"akan": 1.0}),
    Origin("DZ", 2, ARABIC, ARABIC),
    Origin("SD", 1, ARABIC, ARABIC),
    Origin("FR", 1, {"french": 1.0}, {"french": 1.0}),
    Origin(None, 2, {"sahel": 0.5, "nigerian": 0.5}, {"sahel": 0.5, "nigerian": 0.5}),
]

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


# --- Generation (no database) -------------------------------------------------------------------


@dataclass(slots=True)
class SyntheticCase:
    given_name: str
    family_name: str
    date_of_birth: datetime.date | None
    sex: str
    nationality: str | None
    document_number: str
    phone: str
    address: str
    region: str
    forms: tuple[str, ...]
    identified_on: datetime.date
    registered_at: datetime.datetime
    organisation: str  # a key of REGISTERING
    declared_child: bool
    summary: str
    referral_consent: bool  # as recorded at registration
    statistics_consent: bool
    # What happened afterwards (``plan_casework``); the defaults are a case nobody touched.
    lead: str = ""  # the lead organisation now (empty: the registering one)
    referrals: list[SyntheticReferral] = field(default_factory=list)
    stage: str = IDENTIFICATION
    trafficking_status: str = PRESUMED
    first_referral_accepted_on: datetime.date | None = None  # also the start of assistance
    reflection_period_ends_on: datetime.date | None = None
    closure_reason: str = ""
    closed_on: datetime.date | None = None
    status_decided_on: datetime.date | None = None
    withdrawn_at: datetime.datetime | None = None  # referral consent withdrawn
    statistics_withdrawn: bool = False  # statistics consent withdrawn at the same moment
    updated_at: datetime.datetime | None = None  # the case row's last change

    @property
    def referral_consent_now(self) -> bool:
        return self.referral_consent and self.withdrawn_at is None

    @property
    def statistics_consent_now(self) -> bool:
        return self.statistics_consent and not self.statistics_withdrawn


@dataclass(slots=True)
class SyntheticReferral:
    sender: str  # organisation names
    receiver: str
    services: tuple[str, ...]
    urgency: str
    transfers_lead: bool
    reason: str
    created_at: datetime.datetime
    # The plan: what the receiver (or the sender) will do, and when; ``state`` and the dates
    # below are what of it has happened by now (or by the end of the referral relation).
    outcome: str  # accept, decline, cancel, stale
    answer_at: datetime.datetime
    finish_at: datetime.datetime | None  # completion of an accepted referral (None: open-ended)
    decision: str = ""  # StatusDecision: confirmed or not_confirmed, taken at decision_at
    decision_at: datetime.datetime | None = None
    state: str = PENDING
    decided_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None
    decline_reason: str | None = None


class _Weighted:
    """Draw from a fixed {value: weight} table (cumulative weights computed once)."""

    def __init__(self, table: dict, allowed: set | None = None):
        items = [(v, w) for v, w in table.items() if w > 0 and (allowed is None or v in allowed)]
        if not items:
            raise ValueError("nothing to draw from")
        self.values = [v for v, _ in items]
        total = 0.0
        self.cumulative = []
        for _, weight in items:
            total += weight
            self.cumulative.append(total)

    def __call__(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


def generate_cases(
    rng: random.Random,
    count: int,
    *,
    now: datetime.datetime,
    regions: set[str] | None = None,
    nationalities: set[str] | None = None,
    forms: set[str] | None = None,
    organisations: Sequence[str] = tuple(REGISTERING),
) -> list[SyntheticCase]:
    """``count`` synthetic cases, sorted by registration time; deterministic for ``rng``'s seed.

    ``regions``, ``nationalities`` and ``forms`` restrict the draw to the codes that exist in the
    database's reference tables (None: no restriction).
    """
    origin_table = {
        o: o.weight
        for o in ORIGINS
        if o.nationality is None or _allowed(o.nationality, nationalities)
    }
    draw_origin = _Weighted(origin_table)
    draw_region = _Weighted({code: w for code, (w, _) in REGIONS.items()}, regions)
    draw_sex = _Weighted(SEXES)
    draw_org = _Weighted({name: REGISTERING.get(name, 1) for name in organisations})
    form_tables = {
        key: _Weighted(table, forms)
        for key, table in (
            ("woman", FORMS_ADULT_WOMAN),
            ("man", FORMS_ADULT_MAN),
            ("child", FORMS_CHILD),
        )
    }
    pools = {_origin_key(o): (_Weighted(o.given), _Weighted(o.family)) for o in ORIGINS}
    today = now.date()
    oldest = today - datetime.timedelta(days=365 * YEARS_BACK)
    records = []
    for _ in range(count):
        origin = draw_origin(rng)
        sex = draw_sex(rng)
        child = rng.random() < CHILD_SHARE
        identified_on = _identified_on(rng, today)
        age = _age(rng, child)
        date_of_birth = None
        if rng.random() >= UNKNOWN_BIRTH_DATE_SHARE:
            date_of_birth = _birth_date(rng, identified_on, age)
        given_pool, family_pool = pools[_origin_key(origin)]
        female = sex == "female" or (sex != "male" and rng.random() < 0.5)
        given = rng.choice(GIVEN_NAMES[given_pool(rng)][0 if female else 1])
        family = rng.choice(FAMILY_NAMES[family_pool(rng)])
        region = draw_region(rng)
        table = form_tables["child" if child else ("woman" if female else "man")]
        case_forms = [table(rng)]
        if rng.random() < SECOND_FORM_SHARE:
            second = table(rng)
            if second != case_forms[0]:
                case_forms.append(second)
        records.append(
            SyntheticCase(
                given_name=given,
                family_name=family,
                date_of_birth=date_of_birth,
                sex=sex,
                nationality=origin.nationality,
                document_number=_document(rng, origin.nationality),
                phone=f"+212 600 0{rng.randrange(10**5):05d}" if rng.random() < 0.5 else "",
                address=(
                    f"{rng.randint(1, 250)} {rng.choice(STREETS)}, {REGIONS[region][1]}"
                    if rng.random() < 0.4
                    else ""
                ),
                region=region,
                forms=tuple(case_forms),
                identified_on=identified_on,
                registered_at=_registered_at(rng, identified_on, now),
                organisation=draw_org(rng),
                declared_child=child and date_of_birth is None,
                summary=_summary(rng, case_forms[0], REGIONS[region][1]),
                referral_consent=rng.random() < REFERRAL_CONSENT_SHARE,
                statistics_consent=rng.random() < STATISTICS_CONSENT_SHARE,
            )
        )
    _add_duplicates(rng, records, oldest=oldest, now=now, organisations=draw_org)
    records.sort(key=lambda r: r.registered_at)
    return records


def _allowed(code, allowed: set | None) -> bool:
    return allowed is None or code in allowed


def _origin_key(origin: Origin) -> str:
    return origin.nationality or "unknown"


def _identified_on(rng: random.Random, today: datetime.date) -> datetime.date:
    # More cases in recent years (the mechanism becoming known): half uniform, half triangular.
    span = 365 * YEARS_BACK
    days = rng.randrange(span) if rng.random() < 0.5 else int(rng.triangular(0, span, 0))
    return today - datetime.timedelta(days=min(days, span - 1))


def _age(rng: random.Random, child: bool) -> int:
    if child:
        return rng.choices(range(6, 18), weights=[1, 1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 7])[0]
    if rng.random() < 0.88:
        return rng.randint(18, 40)
    return rng.randint(41, 62)


def _birth_date(rng: random.Random, identified_on: datetime.date, age: int) -> datetime.date:
    # Born ``age`` full years before the identification day.
    latest = _years_before(identified_on, age)
    return latest - datetime.timedelta(days=rng.randrange(365))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _registered_at(
    rng: random.Random, identified_on: datetime.date, now: datetime.datetime
) -> datetime.datetime:
    day = identified_on + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2]))
    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 18), rng.randrange(60), rng.randrange(60))
    ).replace(tzinfo=now.tzinfo)
    if moment > now:
        start_of_day = datetime.datetime.combine(identified_on, datetime.time()).replace(
            tzinfo=now.tzinfo
        )
        moment = max(start_of_day, now - datetime.timedelta(minutes=rng.randint(1, 600)))
    return moment


def _document(rng: random.Random, nationality: str | None) -> str:
    if rng.random() < 0.45:  # many have no document, or it is held by someone else
        return ""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    if nationality == "MA":  # national identity card
        return f"{rng.choice(letters)}{rng.choice(letters)}{rng.randrange(10**6):06d}"
    return f"{rng.choice(letters)}{rng.randrange(10**8):08d}"  # passport


def _summary(rng: random.Random, form: str, city: str) -> str:
    opening = rng.choice(SUMMARIES.get(form, SUMMARY_DEFAULT)).format(city=city)
    need = rng.choice(SUMMARY_NEEDS)
    return f"{opening} {need}".strip()


def _add_duplicates(rng, records, *, oldest, now, organisations):
    """Register some people a second time, later, elsewhere, with the name written differently."""
    for index in range(len(records)):
        if rng.random() >= DUPLICATE_SHARE:
            continue
        original = records[rng.randrange(len(records))]
        copy = records[index]
        if copy is original or original.date_of_birth is None:
            continue
        later = original.identified_on + datetime.timedelta(days=rng.randint(3, 200))
        if later > now.date():
            continue
        copy.given_name = original.given_name
        copy.family_name = rng.choice(
            [original.family_name.upper(), original.family_name.lower(), original.family_name]
        )
        copy.date_of_birth = original.date_of_birth
        copy.sex = original.sex
        copy.nationality = original.nationality
        copy.document_number = original.document_number
        copy.declared_child = original.declared_child
        copy.identified_on = later
        copy.registered_at = _registered_at(rng, later, now)
        copy.organisation = organisations(rng)


def plan_casework(
    rng: random.Random,
    records: Sequence[SyntheticCase],
    *,
    now: datetime.datetime,
    organisations: dict[str, str],
    services: set[str] | None = None,
    reflection_days: int = 30,
) -> None:
    """Fill in what happened to each case after registration, up to ``now``; no database.

    ``organisations`` maps the name of every organisation that may send or receive a referral
    to its kind; ``services`` restricts the service codes to those in the database. The
    outcome follows the rules of DESIGN.md as the services apply them: referrals need referral
    consent and come from the lead organisation of the moment; the first accepted assistance
    referral starts assistance (and the reflection period); an accepted lead transfer makes the
    receiver the lead; only an accepted StatusDecision referral leads to a status decision;
    withdrawing referral consent or closing the case cancels pending referrals and completes
    accepted ones. Deterministic for ``rng``'s state.
    """
    planner = _Planner(rng, now=now, kinds=organisations, services=services)
    reflection = datetime.timedelta(days=reflection_days)
    for record in records:
        planner.plan(record, reflection)


class _Planner:
    def __init__(self, rng, *, now, kinds, services):
        self.rng, self.now, self.kinds = rng, now, kinds
        self.service_draws = {}
        for kind, table in SERVICES_BY_KIND.items():
            if any(_allowed(code, services) for code in table):
                self.service_draws[kind] = _Weighted(table, services)
        self.targets = {
            name: weight
            for name, weight in REFERRAL_TARGETS.items()
            if kinds.get(name) in self.service_draws
            and (kinds[name] == AUTHORITY_KIND or kinds[name] in ASSISTANCE_KINDS)
        }
        self.senders = {name for name, kind in kinds.items() if kind in ASSISTANCE_KINDS}
        self.draw_count = _Weighted(REFERRAL_COUNTS)
        self.service_counts = {kind: _Weighted(t) for kind, t in SERVICE_COUNTS.items()}
        self.outcomes = _Weighted(OUTCOMES)
        self.outcomes_authority = _Weighted(OUTCOMES_AUTHORITY)
        self.urgencies = _Weighted(URGENCIES)
        self.urgencies_immediate = _Weighted(URGENCIES_IMMEDIATE)
        self.urgencies_authority = _Weighted(URGENCIES_AUTHORITY)
        self.closure_reasons = {k: _Weighted(t) for k, t in CLOSURE_REASONS.items()}

    def plan(self, record: SyntheticCase, reflection: datetime.timedelta) -> None:
        rng, now = self.rng, self.now
        record.lead = record.organisation
        record.updated_at = record.registered_at
        referrals: list[SyntheticReferral] = []
        if (
            record.referral_consent
            and record.organisation in self.senders
            and rng.random() < REFERRED_SHARE
        ):
            referrals = self.referrals(record)
        withdrawn = None
        if referrals and rng.random() < WITHDRAWAL_SHARE:
            withdrawn = _after(rng, referrals[0].created_at, 3, 200)
            if withdrawn > now:
                withdrawn = None
        # Stage events, from what was accepted before consent (if ever) was withdrawn.
        horizon = withdrawn or now
        accepted = [
            r.answer_at
            for r in referrals
            if r.outcome == "accept" and STATUS_DECISION not in r.services
            if r.answer_at <= horizon
        ]
        first = min(accepted, default=None)
        reintegration = closed = None
        closed_from = IDENTIFICATION
        if first is not None:
            closed_from = ASSISTANCE
            if rng.random() < REINTEGRATION_SHARE:
                reintegration = _after(rng, first, 45, 300)
                if reintegration > now:
                    reintegration = None
            if reintegration is not None:
                if rng.random() < CLOSURE_AFTER_REINTEGRATION:
                    closed, closed_from = _after(rng, reintegration, 30, 240), REINTEGRATION
            elif rng.random() < CLOSURE_IN_ASSISTANCE:
                closed = _after(rng, first, 20, 365)
        elif withdrawn is None and rng.random() < CLOSURE_IN_IDENTIFICATION:
            closed = _after(rng, record.registered_at, 14, 180)
        if withdrawn is not None and closed is None and rng.random() < CLOSURE_AFTER_WITHDRAWAL:
            closed, closed_from = _after(rng, withdrawn, 1, 60), "withdrawal"
        if closed is not None and closed > now:
            closed = None
        if closed is not None and withdrawn is not None and withdrawn > closed:
            withdrawn = None  # closed first: nothing left to withdraw from
        if closed is not None and reintegration is not None and reintegration > closed:
            reintegration = None  # closed after a withdrawal, before reintegration began
        # The referral relation ends at the withdrawal or the closure, whichever comes first.
        ends = [moment for moment in (withdrawn, closed) if moment is not None]
        end = min(ends, default=None)
        horizon = end or now
        record.referrals = [r for r in referrals if r.created_at <= horizon]
        for referral in record.referrals:
            _resolve(referral, horizon, ended=end is not None)
        changes = [record.registered_at]
        if first is not None:
            record.stage = ASSISTANCE
            record.first_referral_accepted_on = first.date()
            record.reflection_period_ends_on = first.date() + reflection
            changes.append(first)
        if reintegration is not None:
            record.stage = REINTEGRATION
            changes.append(reintegration)
        if closed is not None:
            record.stage = CLOSED
            record.closed_on = closed.date()
            record.closure_reason = self.closure_reasons[closed_from](rng)
            changes.append(closed)
        for referral in record.referrals:
            if referral.state not in (ACCEPTED, COMPLETED):
                continue
            if referral.decision_at is not None and referral.decision_at <= horizon:
                record.trafficking_status = referral.decision
                record.status_decided_on = referral.decision_at.date()
                changes.append(referral.decision_at)
            if referral.transfers_lead:  # in order of creation; the latest acceptance wins
                changes.append(referral.decided_at)
        record.lead = _lead_at(record.organisation, record.referrals)
        if withdrawn is not None:
            record.withdrawn_at = withdrawn
            record.statistics_withdrawn = (
                record.statistics_consent and rng.random() < STATISTICS_WITHDRAWAL_SHARE
            )
            changes.append(withdrawn)
        record.updated_at = max(changes)

    def referrals(self, record: SyntheticCase) -> list[SyntheticReferral]:
        rng, now = self.rng, self.now
        referrals: list[SyntheticReferral] = []
        moment = record.registered_at + datetime.timedelta(hours=rng.uniform(0.5, 96))
        for index in range(self.draw_count(rng)):
            if index:  # several at the first interview, or later as needs show
                if rng.random() < 0.5:
                    moment += datetime.timedelta(hours=rng.uniform(0.5, 72))
                else:
                    moment = _after(rng, moment, 7, 120)
            if moment > now:
                break
            sender = _lead_at(record.organisation, referrals, moment)
            taken = {r.receiver for r in referrals}
            candidates = {
                name: weight
                for name, weight in self.targets.items()
                if name != sender and name not in taken
            }
            if not candidates:
                break
            receiver = _Weighted(candidates)(rng)
            referrals.append(self.referral(sender, receiver, moment))
        return referrals

    def referral(self, sender: str, receiver: str, created_at) -> SyntheticReferral:
        rng = self.rng
        kind = self.kinds[receiver]
        draw_service = self.service_draws[kind]
        services = [draw_service(rng)]
        extra = self.service_counts[kind](rng) - 1 if kind in self.service_counts else 0
        for _ in range(extra):
            code = draw_service(rng)
            if code not in services:
                services.append(code)
        authority = kind == AUTHORITY_KIND
        if authority:
            urgency = self.urgencies_authority(rng)
        elif services[0] in ("Shelter", "Medical"):
            urgency = self.urgencies_immediate(rng)
        else:
            urgency = self.urgencies(rng)
        transfers_lead = not authority and rng.random() < TRANSFER_SHARES.get(
            (self.kinds[sender], kind), 0.0
        )
        reason = ""
        if rng.random() >= NO_REASON_SHARE:
            reason = rng.choice(REASONS.get(services[0], REASONS["SocialCare"]))
        outcome = (self.outcomes_authority if authority else self.outcomes)(rng)
        if outcome == "cancel":
            answer_at = created_at + datetime.timedelta(hours=rng.uniform(1, 120))
        else:
            low, high = ANSWER_HOURS[urgency]
            answer_at = created_at + datetime.timedelta(hours=rng.uniform(low, high))
        referral = SyntheticReferral(
            sender=sender,
            receiver=receiver,
            services=tuple(services),
            urgency=urgency,
            transfers_lead=transfers_lead,
            reason=reason,
            created_at=created_at,
            outcome=outcome,
            answer_at=answer_at,
            finish_at=None,
        )
        if outcome == "decline":
            referral.decline_reason = rng.choice(DECLINE_REASONS)
        elif outcome == "accept" and authority:
            if rng.random() < STATUS_DECIDED_SHARE:
                referral.decision_at = _after(rng, answer_at, 7, 150)
                referral.decision = CONFIRMED if rng.random() < CONFIRMED_SHARE else NOT_CONFIRMED
                referral.finish_at = _after(rng, referral.decision_at, 0, 5)
        elif outcome == "accept" and rng.random() >= OPEN_ENDED_SHARE:
            low, high = SERVICE_DAYS.get(services[0], (30, 180))
            referral.finish_at = _after(rng, answer_at, low, high)
        return referral


def _after(rng: random.Random, start: datetime.datetime, low: float, high: float):
    """A moment ``low``–``high`` days after ``start``, in office hours, and always later."""
    day = start.date() + datetime.timedelta(days=round(rng.uniform(low, high)))
    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 17), rng.randrange(60), rng.randrange(60))
    ).replace(tzinfo=start.tzinfo)
    if moment <= start:
        moment = start + datetime.timedelta(minutes=rng.randint(5, 180))
    return moment


def _lead_at(registering: str, referrals, moment=None) -> str:
    """The lead organisation: the receiver of the last accepted lead transfer, or the registrar.

    With ``moment`` (while planning), a transfer counts once its planned acceptance is before
    it; without, the resolved states count.
    """
    lead, latest = registering, None
    for referral in referrals:
        if not referral.transfers_lead:
            continue
        if moment is None:
            accepted_at = referral.decided_at if referral.state in (ACCEPTED, COMPLETED) else None
        elif referral.outcome == "accept" and referral.answer_at < moment:
            accepted_at = referral.answer_at
        else:
            accepted_at = None
        if accepted_at is not None and (latest is None or accepted_at > latest):
            lead, latest = referral.receiver, accepted_at
    return lead


def _resolve(referral: SyntheticReferral, horizon: datetime.datetime, *, ended: bool) -> None:
    """Set the referral's state and dates from its plan, as far as it got by ``horizon``.

    ``ended``: the horizon is a consent withdrawal or the closure, which cancel what is pending
    and complete what is accepted (referral.services.end_referrals_after_withdrawal).
    """
    if referral.outcome == "stale" or referral.answer_at > horizon:
        referral.state = CANCELLED if ended else PENDING
        referral.decline_reason = None
    elif referral.outcome == "cancel":
        referral.state = CANCELLED
    elif referral.outcome == "decline":
        referral.state, referral.decided_at = DECLINED, referral.answer_at
    else:
        referral.decided_at = referral.answer_at
        if referral.finish_at is not None and referral.finish_at <= horizon:
            referral.state, referral.completed_at = COMPLETED, referral.finish_at
        elif ended:
            referral.state, referral.completed_at = COMPLETED, horizon
        else:
            referral.state = ACCEPTED


# --- Writing --------------------------------------------------------------------------------------


@dataclass
class SeedContext:
    """What every row writer needs, looked up once."""

    organisations: dict  # name → Organisation: the registering ones (with frontline users)
    users: dict  # organisation id → [User ids] who register cases and send referrals
    permission_ids: list[int]  # view_case, view_identity
    rng: random.Random
    receivers: dict = field(default_factory=dict)  # name → Organisation: referral targets too


@dataclass
class Chunk:
    records: list[SyntheticCase]
    persons: list = field(default_factory=list)
    duplicates: list[bool] = field(default_factory=list)  # possible_duplicate, per record
    cases: list = field(default_factory=list)
    referrals: int = 0


RowWriter = Callable[[Chunk, SeedContext], None]


@dataclass
class SeedResult:
    count: int
    case_ids: list
    seconds: float
    by_year: Counter
    referrals: int = 0


def seed_cases(
    *,
    count: int,
    seed: int | None = None,
    chunk_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    now: datetime.datetime | None = None,
) -> SeedResult:
    """Create ``count`` synthetic cases registered by the frontline demo organisations.

    The demo organisations and users must exist (``seed_demo`` creates them first). Each chunk
    is one transaction; ``progress(done, total)`` is called after each. Nothing is audited.
    """
    import time

    from auditlog.context import disable_auditlog
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from reference.models import ExploitationForm, Nationality, Region, ServiceType

    started = time.monotonic()
    rng = random.Random(seed)
    now = now or timezone.localtime()
    context = _context(rng)
    records = generate_cases(
        rng,
        count,
        now=now,
        regions=set(Region.objects.values_list("code", flat=True)),
        nationalities=set(Nationality.objects.values_list("code", flat=True)),
        forms=set(ExploitationForm.objects.values_list("code", flat=True)),
        organisations=list(context.organisations),
    )
    plan_casework(
        rng,
        records,
        now=now,
        organisations={name: o.kind for name, o in context.receivers.items()},
        services=set(ServiceType.objects.active().values_list("code", flat=True)),
        reflection_days=settings.NRM_REFLECTION_PERIOD_DAYS,
    )
    case_ids = []
    by_year = Counter()
    referrals = 0
    with disable_auditlog():
        for start in range(0, len(records), chunk_size):
            chunk = Chunk(records[start : start + chunk_size])
            with transaction.atomic():
                for writer in ROW_WRITERS:
                    writer(chunk, context)
            case_ids.extend(case.pk for case in chunk.cases)
            by_year.update(r.registered_at.year for r in chunk.records)
            referrals += chunk.referrals
            if progress:
                progress(start + len(chunk.records), len(records))
    if records:
        _analyze()
    return SeedResult(len(records), case_ids, time.monotonic() - started, by_year, referrals)


def _context(rng: random.Random) -> SeedContext:
    from accounts.models import Organisation, User
    from accounts.roles import FRONTLINE_ROLES, OrganisationKind
    from cases.access import VIEW_CASE, VIEW_IDENTITY, _permissions

    organisations = {o.name: o for o in Organisation.objects.filter(name__in=REGISTERING)}
    missing = sorted(set(REGISTERING) - set(organisations))
    if missing:
        raise LookupError(f"demo organisations missing: {', '.join(missing)} (run seed_demo)")
    users: dict[int, list[int]] = {}
    for organisation_id, user_id in (
        User.objects.filter(
            organisation__in=organisations.values(), role__in=FRONTLINE_ROLES, is_active=True
        )
        .order_by("username")
        .values_list("organisation_id", "pk")
    ):
        users.setdefault(organisation_id, []).append(user_id)
    organisations = {name: o for name, o in organisations.items() if o.pk in users}
    if not organisations:
        raise LookupError("no active frontline user in the demo organisations (run seed_demo)")
    # Referrals go to the active demo organisations that send (they have users to answer) and to
    # the status authority; create_referral refuses inactive ones.
    receivers = {name: o for name, o in organisations.items() if o.active}
    authorities = Organisation.objects.filter(
        name__in=REFERRAL_TARGETS, kind=OrganisationKind.AUTHORITY, active=True
    )
    receivers.update({o.name: o for o in authorities})
    permissions = _permissions()
    return SeedContext(
        organisations=organisations,
        users=users,
        permission_ids=[permissions[VIEW_CASE].pk, permissions[VIEW_IDENTITY].pk],
        rng=rng,
        receivers=receivers,
    )


def write_persons(chunk: Chunk, context: SeedContext) -> None:
    from cases import identity
    from cases.models import Person

    persons = []
    for record in chunk.records:
        persons.append(
            Person(
                id=uuid.uuid4(),
                given_name=record.given_name,
                family_name=record.family_name,
                date_of_birth=record.date_of_birth,
                phone=record.phone,
                address=record.address,
                document_number=record.document_number,
                name_dob_index=identity.name_dob_index(
                    family_name=record.family_name,
                    given_name=record.given_name,
                    date_of_birth=record.date_of_birth,
                ),
                document_index=identity.document_index(record.document_number),
            )
        )
    # The duplicate flag is computed before the insert, as register_case does for one person.
    seen_name = set(
        Person.objects.filter(
            name_dob_index__in={p.name_dob_index for p in persons if p.name_dob_index}
        ).values_list("name_dob_index", flat=True)
    )
    seen_document = set(
        Person.objects.filter(
            document_index__in={p.document_index for p in persons if p.document_index}
        ).values_list("document_index", flat=True)
    )
    for person in persons:
        duplicate = (person.name_dob_index and person.name_dob_index in seen_name) or (
            person.document_index and person.document_index in seen_document
        )
        chunk.duplicates.append(bool(duplicate))
        if person.name_dob_index:
            seen_name.add(person.name_dob_index)
        if person.document_index:
            seen_document.add(person.document_index)
    _copy_rows(Person, persons, created_at=_times(chunk))
    chunk.persons = persons


def write_cases(chunk: Chunk, context: SeedContext) -> None:
    from cases import identity
    from cases.models import Case
    from cases.services import next_reference

    by_year: dict[int, list[int]] = {}
    for index, record in enumerate(chunk.records):
        by_year.setdefault(record.registered_at.year, []).append(index)
    references: list[str | None] = [None] * len(chunk.records)
    for year in sorted(by_year):
        indexes = by_year[year]
        for index, reference in zip(
            indexes, next_reference(year=year, count=len(indexes)), strict=True
        ):
            references[index] = reference
    cases = []
    for record, person, reference, duplicate in zip(
        chunk.records, chunk.persons, references, chunk.duplicates, strict=True
    ):
        organisation = context.organisations[record.organisation]
        started = record.first_referral_accepted_on
        cases.append(
            Case(
                id=uuid.uuid4(),
                reference=reference,
                person=person,
                # Protected FSM fields: set on the new instance, never assigned afterwards.
                stage=record.stage,
                trafficking_status=record.trafficking_status,
                registering_organisation=organisation,
                lead_organisation=context.organisations[record.lead or record.organisation],
                registered_by_id=context.rng.choice(context.users[organisation.pk]),
                sex=record.sex,
                nationality_id=record.nationality,
                age_group=identity.age_group(record.date_of_birth, record.identified_on),
                is_child=identity.is_child(
                    record.date_of_birth, record.identified_on, declared=record.declared_child
                ),
                region_id=record.region,
                identified_on=record.identified_on,
                summary=record.summary,
                possible_duplicate=duplicate,
                referral_consent=record.referral_consent_now,
                statistics_consent=record.statistics_consent_now,
                assistance_started_on=started,
                reflection_period_ends_on=record.reflection_period_ends_on,
                first_referral_accepted_on=started,
                closure_reason=record.closure_reason,
                closed_on=record.closed_on,
                status_decided_on=record.status_decided_on,
            )
        )
    _copy_rows(
        Case,
        cases,
        created_at=_times(chunk),
        updated_at=[r.updated_at or r.registered_at for r in chunk.records],
    )
    chunk.cases = cases


def write_exploitation_forms(chunk: Chunk, context: SeedContext) -> None:
    from cases.models import Case

    _copy(
        Case.exploitation_forms.through,
        ["case_id", "exploitationform_id"],
        (
            (case.pk, code)
            for record, case in zip(chunk.records, chunk.cases, strict=True)
            for code in record.forms
        ),
    )


def write_referrals(chunk: Chunk, context: SeedContext) -> None:
    """The referrals of each case in their planned state, with their services.

    The reasons are encrypted by ``EncryptedField.pre_save``, which ``_copy_rows`` calls.
    """
    from referral.models import Referral

    referrals, services, times = [], [], []
    for record, case in zip(chunk.records, chunk.cases, strict=True):
        for plan in record.referrals:
            sender = context.organisations[plan.sender]
            referral = Referral(
                id=uuid.uuid4(),
                case_id=case.pk,
                from_organisation_id=sender.pk,
                to_organisation_id=context.receivers[plan.receiver].pk,
                reason=plan.reason,
                urgency=plan.urgency,
                transfers_lead=plan.transfers_lead,
                state=plan.state,  # protected: set on the new instance only
                decline_reason=plan.decline_reason,
                created_by_id=context.rng.choice(context.users[sender.pk]),
                decided_at=plan.decided_at,
                completed_at=plan.completed_at,
            )
            referrals.append(referral)
            times.append(plan.created_at)
            services.extend((referral.pk, code) for code in plan.services)
    if not referrals:
        return
    _copy_rows(Referral, referrals, created_at=times)
    _copy(Referral.services.through, ["referral_id", "servicetype_id"], services)
    chunk.referrals = len(referrals)


def write_access(chunk: Chunk, context: SeedContext) -> None:
    """The permission rows ``cases.access.wanted_access`` derives from each case's relations.

    Registering and lead organisations see everything; the receiver of an accepted referral
    too; the receiver of a pending one sees the profile only; other referrals grant nothing.
    """
    from cases.models import CaseGroupObjectPermission

    view_case, view_identity = context.permission_ids
    full, profile = (view_case, view_identity), (view_case,)
    groups = {name: o.group_id for name, o in context.receivers.items()}
    groups.update({name: o.group_id for name, o in context.organisations.items()})
    rows = []
    for record, case in zip(chunk.records, chunk.cases, strict=True):
        wanted = {(groups[record.organisation], p) for p in full}
        wanted.update((groups[record.lead or record.organisation], p) for p in full)
        for referral in record.referrals:
            if referral.state in (ACCEPTED, PENDING):
                permissions = full if referral.state == ACCEPTED else profile
                wanted.update((groups[referral.receiver], p) for p in permissions)
        rows.extend((case.pk, group, permission) for group, permission in sorted(wanted))
    _copy(CaseGroupObjectPermission, ["content_object_id", "group_id", "permission_id"], rows)


def write_consents(chunk: Chunk, context: SeedContext) -> None:
    """The consents recorded at registration, and the later withdrawals (the flags follow)."""
    from cases.models import Consent, ConsentGivenBy, ConsentScope

    consents = []
    times = []
    for record, case in zip(chunk.records, chunk.cases, strict=True):
        given_by = ConsentGivenBy.GUARDIAN if case.is_child else ConsentGivenBy.PERSON
        for scope, given in (
            (ConsentScope.REFERRAL, record.referral_consent),
            (ConsentScope.STATISTICS, record.statistics_consent),
        ):
            consents.append(
                Consent(
                    case_id=case.pk,
                    scope=scope,
                    given=given,
                    given_by=given_by,
                    recorded_by_id=case.registered_by_id,
                    organisation_id=case.registering_organisation_id,
                )
            )
            times.append(record.registered_at)
        if record.withdrawn_at is None:
            continue
        # Recorded by the lead organisation, which no referral can change after the withdrawal.
        lead = context.organisations[record.lead or record.organisation]
        scopes = [ConsentScope.REFERRAL]
        if record.statistics_withdrawn:
            scopes.append(ConsentScope.STATISTICS)
        recorder = context.rng.choice(context.users[lead.pk])
        for scope in scopes:
            consents.append(
                Consent(
                    case_id=case.pk,
                    scope=scope,
                    given=False,
                    given_by=given_by,
                    recorded_by_id=recorder,
                    organisation_id=lead.pk,
                )
            )
            times.append(record.withdrawn_at)
    _copy_rows(Consent, consents, recorded_at=times)


# One function per kind of row, in dependency order; notes and services come here.
ROW_WRITERS: list[RowWriter] = [
    write_persons,
    write_cases,
    write_exploitation_forms,
    write_referrals,
    write_access,
    write_consents,
]


def _times(chunk: Chunk) -> list[datetime.datetime]:
    return [record.registered_at for record in chunk.records]


def _copy_rows(model, objs: list, **moments: list[datetime.datetime]) -> None:
    """Insert unsaved instances with one ``COPY``: the values ``bulk_create`` would insert.

    Each value goes through the field's ``pre_save`` (defaults, encryption bound to the row's
    UUID) and ``get_db_prep_save``, as in ``bulk_create``, without building one huge INSERT.
    ``moments`` gives the auto_now(_add) columns their synthetic times, one per instance (no
    second pass to backdate them). A serial primary key is left to the database.
    """
    from django.db import DEFAULT_DB_ALIAS, connections, models

    connection = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]
    overrides = [moments.get(f.attname) for f in fields]
    _copy(
        model,
        [f.attname for f in fields],
        (
            [
                field.get_db_prep_save(
                    field.pre_save(obj, True) if override is None else override[index],
                    connection,
                )
                for field, override in zip(fields, overrides, strict=True)
            ]
            for index, obj in enumerate(objs)
        ),
    )


def _copy(model, attnames: list[str], rows) -> None:
    """``COPY`` rows of plain values (already what the database stores) into a model's table."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns = ", ".join(quote(by_attname[name].column) for name in attnames)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, so the first list query is planned well."""
    from django.db import connection

    from cases.models import Case, CaseGroupObjectPermission, Consent, Person
    from referral.models import Referral

    tables = [
        Person._meta.db_table,
        Case._meta.db_table,
        Case.exploitation_forms.through._meta.db_table,
        Referral._meta.db_table,
        Referral.services.through._meta.db_table,
        CaseGroupObjectPermission._meta.db_table,
        Consent._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
