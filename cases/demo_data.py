"""Synthetic demo cases (``seed_demo --cases N``): realistic, deterministic with a seed, fast.

Two halves:

- ``generate_cases`` draws the records from a ``random.Random`` and touches no database, so the
  same seed (and the same day) always gives the same people, profiles and dates.
- ``seed_cases`` writes them in chunks, one transaction per chunk, with ``bulk_create`` for every
  kind of row (one function per kind: persons, cases, exploitation forms, access, consents), and
  the same derived values as ``register_case``: blind indexes, age group, child flag, duplicate
  flag, access rows for the registering organisation, references reserved per year with
  ``next_reference``. No audit entry per row: this is generated data, not anyone's action.

Referrals, notes and services are not generated yet; a later kind of row is one more function in
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
    referral_consent: bool
    statistics_consent: bool


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


# --- Writing --------------------------------------------------------------------------------------


@dataclass
class SeedContext:
    """What every row writer needs, looked up once."""

    organisations: dict  # name → Organisation
    users: dict  # organisation id → [User ids] who register cases
    permission_ids: list[int]  # view_case, view_identity
    rng: random.Random


@dataclass
class Chunk:
    records: list[SyntheticCase]
    persons: list = field(default_factory=list)
    duplicates: list[bool] = field(default_factory=list)  # possible_duplicate, per record
    cases: list = field(default_factory=list)


RowWriter = Callable[[Chunk, SeedContext], None]


@dataclass
class SeedResult:
    count: int
    case_ids: list
    seconds: float
    by_year: Counter


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
    from django.db import transaction
    from django.utils import timezone

    from reference.models import ExploitationForm, Nationality, Region

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
    case_ids = []
    by_year = Counter()
    with disable_auditlog():
        for start in range(0, len(records), chunk_size):
            chunk = Chunk(records[start : start + chunk_size])
            with transaction.atomic():
                for writer in ROW_WRITERS:
                    writer(chunk, context)
            case_ids.extend(case.pk for case in chunk.cases)
            by_year.update(r.registered_at.year for r in chunk.records)
            if progress:
                progress(start + len(chunk.records), len(records))
    if records:
        _analyze()
    return SeedResult(len(records), case_ids, time.monotonic() - started, by_year)


def _context(rng: random.Random) -> SeedContext:
    from accounts.models import Organisation, User
    from accounts.roles import FRONTLINE_ROLES
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
    permissions = _permissions()
    return SeedContext(
        organisations=organisations,
        users=users,
        permission_ids=[permissions[VIEW_CASE].pk, permissions[VIEW_IDENTITY].pk],
        rng=rng,
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
    chunk.persons = Person.objects.bulk_create(persons)
    _set_times(Person, ["created_at"], [p.pk for p in persons], _times(chunk))


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
        cases.append(
            Case(
                id=uuid.uuid4(),
                reference=reference,
                person=person,
                registering_organisation=organisation,
                lead_organisation=organisation,
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
                referral_consent=record.referral_consent,
                statistics_consent=record.statistics_consent,
            )
        )
    chunk.cases = Case.objects.bulk_create(cases)
    _set_times(Case, ["created_at", "updated_at"], [c.pk for c in cases], _times(chunk))


def write_exploitation_forms(chunk: Chunk, context: SeedContext) -> None:
    from cases.models import Case

    through = Case.exploitation_forms.through
    Case.exploitation_forms.through.objects.bulk_create(
        [
            through(case_id=case.pk, exploitationform_id=code)
            for record, case in zip(chunk.records, chunk.cases, strict=True)
            for code in record.forms
        ]
    )


def write_access(chunk: Chunk, context: SeedContext) -> None:
    """View and identity access for the registering (and lead) organisation, as register_case."""
    from cases.models import CaseGroupObjectPermission

    groups = {o.pk: o.group_id for o in context.organisations.values()}
    CaseGroupObjectPermission.objects.bulk_create(
        [
            CaseGroupObjectPermission(
                content_object_id=case.pk,
                group_id=groups[case.registering_organisation_id],
                permission_id=permission_id,
            )
            for case in chunk.cases
            for permission_id in context.permission_ids
        ]
    )


def write_consents(chunk: Chunk, context: SeedContext) -> None:
    """The consents recorded at registration (the case's flags follow from them)."""
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
    created = Consent.objects.bulk_create(consents)
    _set_times(Consent, ["recorded_at"], [c.pk for c in created], times)


# One function per kind of row, in dependency order; referrals, notes and services come here.
ROW_WRITERS: list[RowWriter] = [
    write_persons,
    write_cases,
    write_exploitation_forms,
    write_access,
    write_consents,
]


def _times(chunk: Chunk) -> list[datetime.datetime]:
    return [record.registered_at for record in chunk.records]


def _set_times(model, columns: list[str], pks: list, moments: list[datetime.datetime]) -> None:
    """Backdate auto_now(_add) columns to the synthetic registration time, in one statement."""
    from django.db import connection

    quote = connection.ops.quote_name
    pk_type = model._meta.pk.db_type(connection)
    assignments = ", ".join(f"{quote(c)} = v.moment" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "  # noqa: S608
            f"FROM unnest(%s::{pk_type}[], %s::timestamptz[]) AS v(pk, moment) "
            f"WHERE t.{quote(model._meta.pk.column)} = v.pk",
            [pks, moments],
        )


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, so the first list query is planned well."""
    from django.db import connection

    from cases.models import Case, CaseGroupObjectPermission, Consent, Person

    tables = [
        Person._meta.db_table,
        Case._meta.db_table,
        Case.exploitation_forms.through._meta.db_table,
        CaseGroupObjectPermission._meta.db_table,
        Consent._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
