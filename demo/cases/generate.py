"""Draw synthetic cases as they are registered (``generate_cases``); no database.

Also the records the later steps fill in (``SyntheticCase``, ``SyntheticReferral``) and the
weighted draw every step uses (``_Weighted``). Deterministic for the ``random.Random``'s seed.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from cases.models import Sex, Stage, TraffickingStatus
from demo.cases.names import FAMILY_NAMES, GIVEN_NAMES, ORIGINS, Origin
from demo.cases.tables import (
    CHILD_SHARE,
    DUPLICATE_SHARE,
    FORMS_ADULT_MAN,
    FORMS_ADULT_WOMAN,
    FORMS_CHILD,
    REFERRAL_CONSENT_SHARE,
    REGIONS,
    REGISTERING,
    SECOND_FORM_SHARE,
    SEXES,
    STATISTICS_CONSENT_SHARE,
    STREETS,
    SUMMARIES,
    SUMMARY_DEFAULT,
    SUMMARY_NEEDS,
    UNKNOWN_BIRTH_DATE_SHARE,
    YEARS_BACK,
    Outcome,
)
from referral.models import ReferralState, Urgency

# --- Generation (no database) -------------------------------------------------------------------


@dataclass(slots=True)
class SyntheticCase:
    given_name: str
    family_name: str
    date_of_birth: datetime.date | None
    sex: Sex
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
    stage: Stage = Stage.IDENTIFICATION
    trafficking_status: TraffickingStatus = TraffickingStatus.PRESUMED
    first_referral_accepted_on: datetime.date | None = None  # also the start of assistance
    reflection_period_ends_on: datetime.date | None = None
    closure_reason: str = ""  # a ClosureReason once closed
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
    urgency: Urgency
    transfers_lead: bool
    reason: str
    created_at: datetime.datetime
    # The plan: what the receiver (or the sender) will do, and when; ``state`` and the dates
    # below are what of it has happened by now (or by the end of the referral relation).
    outcome: Outcome
    answer_at: datetime.datetime
    finish_at: datetime.datetime | None  # completion of an accepted referral (None: open-ended)
    decision: str = ""  # StatusDecision: a TraffickingStatus decided at decision_at
    decision_at: datetime.datetime | None = None
    state: ReferralState = ReferralState.PENDING
    decided_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    end_reason: str = ""  # EndReason, for the cancelled and ended ones the system stopped
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


@dataclass(frozen=True)
class _Draws:
    """The weighted draws of one generation run, set up once for every case."""

    origin: _Weighted
    region: _Weighted
    sex: _Weighted
    organisation: _Weighted
    forms: dict  # "woman" / "man" / "child" → _Weighted exploitation forms
    pools: dict  # origin key → (_Weighted given-name pool, _Weighted family-name pool)


def _draw_case(rng: random.Random, draws: _Draws, *, today: datetime.date, now) -> SyntheticCase:
    """One synthetic case, drawn in a fixed order (the same seed gives the same person)."""
    origin = draws.origin(rng)
    sex = draws.sex(rng)
    child = rng.random() < CHILD_SHARE
    identified_on = _identified_on(rng, today)
    age = _age(rng, child)
    date_of_birth = None
    if rng.random() >= UNKNOWN_BIRTH_DATE_SHARE:
        date_of_birth = _birth_date(rng, identified_on, age)
    given_pool, family_pool = draws.pools[_origin_key(origin)]
    female = sex == Sex.FEMALE or (sex != Sex.MALE and rng.random() < 0.5)
    given = rng.choice(GIVEN_NAMES[given_pool(rng)][0 if female else 1])
    family = rng.choice(FAMILY_NAMES[family_pool(rng)])
    region = draws.region(rng)
    table = draws.forms["child" if child else ("woman" if female else "man")]
    case_forms = [table(rng)]
    if rng.random() < SECOND_FORM_SHARE:
        second = table(rng)
        if second != case_forms[0]:
            case_forms.append(second)
    return SyntheticCase(
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
        organisation=draws.organisation(rng),
        declared_child=child and date_of_birth is None,
        summary=_summary(rng, case_forms[0], REGIONS[region][1]),
        referral_consent=rng.random() < REFERRAL_CONSENT_SHARE,
        statistics_consent=rng.random() < STATISTICS_CONSENT_SHARE,
    )


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
    draws = _Draws(draw_origin, draw_region, draw_sex, draw_org, form_tables, pools)
    today = now.date()
    oldest = today - datetime.timedelta(days=365 * YEARS_BACK)
    records = [_draw_case(rng, draws, today=today, now=now) for _ in range(count)]
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
