"""Write a chunk of synthetic cases: one ``COPY`` per kind of row, one writer per kind.

``ROW_WRITERS`` lists the writers in dependency order (persons, cases, possible duplicates,
exploitation forms, languages, means of control, referrals and their services, access,
consents); each takes the ``Chunk`` and the ``SeedContext``. ``_copy_rows`` inserts unsaved
instances with the values ``bulk_create`` would insert, ``_copy`` plain values.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, models

from cases import identity
from cases.access import VIEW_CASE, VIEW_IDENTITY, OpenReferral, access_policy
from cases.models import (
    ENDED_SERVICE,
    PRIVATE_BY_DEFAULT,
    Case,
    CaseGroupObjectPermission,
    Consent,
    ConsentGivenBy,
    ConsentScope,
    Note,
    NoteKind,
    NoteVisibility,
    Person,
    ServiceRecord,
    ServiceStatus,
    Stage,
)
from cases.registration import next_reference
from demo.cases.generate import SyntheticCase, _Weighted
from demo.cases.tables import (
    ASSIGNED_SHARE,
    EXPLOITATION_COUNTRIES,
    LANGUAGES,
    MEANS_OF_CONTROL,
    MEANS_OF_CONTROL_COUNTS,
    NOTE_COUNTS,
    NOTE_KINDS,
    NOTES,
    OWN_NOTE_SHARE,
    PLANNED_SERVICE_SHARE,
    RECRUITMENT,
    RECRUITMENT_CHILD,
    RELATIONSHIPS,
    RELATIONSHIPS_CHILD,
    STAFF_LANGUAGES,
    UNKNOWN_CONTEXT_SHARE,
)
from duplicates.models import MatchKind, PossibleDuplicate
from reference.models import STATUS_DECISION_SERVICE
from referral.models import Referral, ReferralState

# --- Writing --------------------------------------------------------------------------------------


@dataclass
class SeedContext:
    """What every row writer needs, looked up once."""

    organisations: dict  # name → Organisation: the registering ones (with frontline users)
    users: dict  # organisation id → [User ids] who register cases and send referrals
    permission_ids: list[int]  # view_case, view_identity
    rng: random.Random
    receivers: dict = field(default_factory=dict)  # name → Organisation: referral targets too
    languages: set | None = None  # the language codes of the database (None: no restriction)
    now: datetime.datetime | None = None  # the moment the cases are generated up to
    # The codes of the database's context vocabularies, by kind: "means", "recruitment",
    # "relationship", "country" (None: no restriction).
    vocabularies: dict | None = None


@dataclass(frozen=True, slots=True)
class TraffickingContext:
    """One case's trafficking context, as codes (None: not known)."""

    means_of_control: tuple[str, ...] = ()
    recruitment_method: str | None = None
    trafficker_relationship: str | None = None
    exploitation_country: str | None = None


@dataclass
class Chunk:
    records: list[SyntheticCase]
    persons: list = field(default_factory=list)
    # Per record: {earlier person id: match kind}, the blind-index matches register_case finds.
    matches: list[dict] = field(default_factory=list)
    cases: list = field(default_factory=list)
    languages: list[tuple[str, ...]] = field(default_factory=list)  # per record
    contexts: list[TraffickingContext] = field(default_factory=list)  # per record
    referrals: int = 0


RowWriter = Callable[[Chunk, SeedContext], None]


def write_persons(chunk: Chunk, context: SeedContext) -> None:
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
                **identity.person_indexes(
                    given_name=record.given_name,
                    family_name=record.family_name,
                    date_of_birth=record.date_of_birth,
                    document_number=record.document_number,
                ),
            )
        )
    # The matches are found before the insert, as register_case does for one person.
    earlier: dict[tuple, set] = {}
    for kind, lookup in (
        (MatchKind.NAME_DOB, "name_dob_index"),
        (MatchKind.DOCUMENT, "document_index"),
    ):
        values = {getattr(p, lookup) for p in persons if getattr(p, lookup)}
        for person_id, value in Person.objects.filter(**{f"{lookup}__in": values}).values_list(
            "pk", lookup
        ):
            earlier.setdefault((kind, value), set()).add(person_id)
    for person in persons:
        found = {}
        for kind, lookup in (
            (MatchKind.NAME_DOB, "name_dob_index"),
            (MatchKind.DOCUMENT, "document_index"),
        ):
            value = getattr(person, lookup)
            if value:
                found.update(dict.fromkeys(earlier.get((kind, value), ()), kind))
                earlier.setdefault((kind, value), set()).add(person.pk)
        chunk.matches.append(found)
    _copy_rows(Person, persons, created_at=_times(chunk))
    chunk.persons = persons


def write_cases(chunk: Chunk, context: SeedContext) -> None:
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
    rng = context.rng
    chunk.languages = [
        _languages(rng, record.nationality, context.languages) for record in chunk.records
    ]
    draws = ContextDraws(context.vocabularies)
    for record, person, reference, spoken in zip(
        chunk.records, chunk.persons, references, chunk.languages, strict=True
    ):
        is_child = identity.is_child(
            record.date_of_birth, record.identified_on, declared=record.declared_child
        )
        known = draws(rng, forms=record.forms, child=is_child)
        chunk.contexts.append(known)
        organisation = context.organisations[record.organisation]
        lead = context.organisations[record.lead or record.organisation]
        started = record.first_referral_accepted_on
        # A frontline member of the lead organisation of now, as cases.assignment requires (a
        # lead transfer ends the assignment, so it is never someone of an earlier lead).
        assigned = None
        if rng.random() < ASSIGNED_SHARE[record.stage == Stage.CLOSED]:
            assigned = rng.choice(context.users[lead.pk])
        cases.append(
            Case(
                id=uuid.uuid4(),
                reference=reference,
                person=person,
                # Protected FSM fields: set on the new instance, never assigned afterwards.
                stage=record.stage,
                trafficking_status=record.trafficking_status,
                registering_organisation=organisation,
                lead_organisation=lead,
                registered_by_id=context.rng.choice(context.users[organisation.pk]),
                assigned_to_id=assigned,
                interpreter_needed=bool(spoken) and not STAFF_LANGUAGES & set(spoken),
                sex=record.sex,
                nationality_id=record.nationality,
                age_group=identity.age_group(record.date_of_birth, record.identified_on),
                is_child=is_child,
                region_id=record.region,
                recruitment_method_id=known.recruitment_method,
                trafficker_relationship_id=known.trafficker_relationship,
                exploitation_country_id=known.exploitation_country,
                identified_on=record.identified_on,
                summary=record.summary,
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


def write_possible_duplicates(chunk: Chunk, context: SeedContext) -> None:
    """The PossibleDuplicate rows of the chunk's matches, and the flag of the cases whose
    registering organisation already registered or leads the earlier case (it sees that case
    with identity, so register_case would show it the match)."""
    by_person = {case.person_id: case for case in chunk.cases}
    wanted = {pid for found in chunk.matches for pid in found} - set(by_person)
    for case in Case.objects.filter(person_id__in=wanted).only(
        "pk", "person_id", "registering_organisation_id", "lead_organisation_id"
    ):
        by_person[case.person_id] = case
    pairs, found_at, flagged = [], [], []
    for case, found, moment in zip(chunk.cases, chunk.matches, _times(chunk), strict=True):
        organisation = case.registering_organisation_id
        shown = False
        for person_id, kind in found.items():
            other = by_person[person_id]
            sees = organisation in (other.registering_organisation_id, other.lead_organisation_id)
            shown = shown or sees
            pairs.append(
                PossibleDuplicate(case=case, other_case=other, match=kind, shown_to_registrant=sees)
            )
            found_at.append(moment)
        if shown:
            flagged.append(case.pk)
    _copy_rows(PossibleDuplicate, pairs, found_at=found_at)
    Case.objects.filter(pk__in=flagged).update(possible_duplicate=True)


def write_exploitation_forms(chunk: Chunk, context: SeedContext) -> None:
    _copy(
        Case.exploitation_forms.through,
        ["case_id", "exploitationform_id"],
        (
            (case.pk, code)
            for record, case in zip(chunk.records, chunk.cases, strict=True)
            for code in record.forms
        ),
    )


def write_languages(chunk: Chunk, context: SeedContext) -> None:
    _copy(
        Case.languages.through,
        ["case_id", "language_id"],
        (
            (case.pk, code)
            for case, spoken in zip(chunk.cases, chunk.languages, strict=True)
            for code in spoken
        ),
    )


def write_means_of_control(chunk: Chunk, context: SeedContext) -> None:
    _copy(
        Case.means_of_control.through,
        ["case_id", "meansofcontrol_id"],
        (
            (case.pk, code)
            for case, known in zip(chunk.cases, chunk.contexts, strict=True)
            for code in known.means_of_control
        ),
    )


class ContextDraws:
    """The weighted draws of the trafficking context, kept to the database's codes."""

    def __init__(self, vocabularies: dict | None):
        allowed = vocabularies or {}
        self.means = {
            form: _weighted_or_none(table, allowed.get("means"))
            for form, table in MEANS_OF_CONTROL.items()
        }
        self.count = _Weighted(MEANS_OF_CONTROL_COUNTS)
        self.recruitment = {
            child: _weighted_or_none(table, allowed.get("recruitment"))
            for child, table in ((False, RECRUITMENT), (True, RECRUITMENT_CHILD))
        }
        self.relationship = {
            child: _weighted_or_none(table, allowed.get("relationship"))
            for child, table in ((False, RELATIONSHIPS), (True, RELATIONSHIPS_CHILD))
        }
        self.country = _weighted_or_none(EXPLOITATION_COUNTRIES, allowed.get("country"))

    def __call__(self, rng: random.Random, *, forms, child: bool) -> TraffickingContext:
        table = self.means.get(forms[0] if forms else None) or self.means[None]
        means: list[str] = []
        if table is not None:
            for _ in range(self.count(rng)):
                code = table(rng)
                if code not in means:
                    means.append(code)
        return TraffickingContext(
            means_of_control=tuple(means),
            recruitment_method=_unless_unknown(rng, self.recruitment[child], "recruitment"),
            trafficker_relationship=_unless_unknown(rng, self.relationship[child], "relationship"),
            exploitation_country=_unless_unknown(rng, self.country, "country"),
        )


def _weighted_or_none(table: dict, allowed: set | None) -> _Weighted | None:
    if allowed is not None and not set(table) & allowed:
        return None
    return _Weighted(table, allowed)


def _unless_unknown(rng: random.Random, draw: _Weighted | None, kind: str) -> str | None:
    if draw is None or rng.random() < UNKNOWN_CONTEXT_SHARE[kind]:
        return None
    return draw(rng)


def _languages(rng: random.Random, nationality, allowed: set | None) -> tuple[str, ...]:
    """The languages one person speaks: a first one by nationality, then a few more by share."""
    first, more = LANGUAGES.get(nationality, LANGUAGES[None])
    first = {code: w for code, w in first.items() if allowed is None or code in allowed}
    if not first:
        return ()
    spoken = [_Weighted(first)(rng)]
    for code, share in more.items():
        if code not in spoken and (allowed is None or code in allowed) and rng.random() < share:
            spoken.append(code)
    return tuple(spoken)


def write_referrals(chunk: Chunk, context: SeedContext) -> None:
    """The referrals of each case in their planned state, with their services.

    The reasons are encrypted by ``EncryptedField.pre_save``, which ``_copy_rows`` calls.
    """
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
                ended_at=plan.ended_at,
                end_reason=plan.end_reason,
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
    """The permission rows of each case, as ``cases.access.access_policy`` decides them."""
    permission_ids = dict(zip((VIEW_CASE, VIEW_IDENTITY), context.permission_ids, strict=True))
    organisations = {**context.receivers, **context.organisations}
    groups = {o.pk: o.group_id for o in organisations.values()}
    rows = []
    for record, case in zip(chunk.records, chunk.cases, strict=True):
        grants = access_policy(
            registering_organisation_id=organisations[record.organisation].pk,
            lead_organisation_id=organisations[record.lead or record.organisation].pk,
            open_referrals=[
                OpenReferral(
                    organisations[r.receiver].pk, accepted=r.state == ReferralState.ACCEPTED
                )
                for r in record.referrals
                if r.state in (ReferralState.ACCEPTED, ReferralState.PENDING)
            ],
        )
        wanted = {
            (groups[organisation], permission_ids[codename])
            for organisation, codenames in grants.items()
            for codename in codenames
        }
        rows.extend(
            (case.pk, group, permission, record.registered_at, case.reference)
            for group, permission in sorted(wanted)
        )
    # listed_at and listed_reference: the case's created_at and reference (copy_listing).
    columns = ["content_object_id", "group_id", "permission_id", "listed_at", "listed_reference"]
    _copy(CaseGroupObjectPermission, columns, rows)


def write_consents(chunk: Chunk, context: SeedContext) -> None:
    """The consents recorded at registration, and the later withdrawals (the flags follow)."""
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


def write_services(chunk: Chunk, context: SeedContext) -> None:
    """The services delivered under each accepted referral, by its receiver: ongoing while the
    referral is accepted (a few still planned), completed with it, cancelled when it ended.

    A status decision is no service; receivers without frontline users record none.
    """
    rng = context.rng
    rows, times, updates = [], [], []
    for record, case in zip(chunk.records, chunk.cases, strict=True):
        for plan in record.referrals:
            receiver = context.receivers[plan.receiver]
            if plan.decided_at is None or receiver.pk not in context.users:
                continue
            if plan.state not in (
                ReferralState.ACCEPTED,
                ReferralState.COMPLETED,
                ReferralState.ENDED,
            ):
                continue
            finished = plan.completed_at or plan.ended_at
            for code in plan.services:
                if code == STATUS_DECISION_SERVICE:
                    continue
                status = {
                    ReferralState.COMPLETED: ServiceStatus.COMPLETED,
                    ReferralState.ENDED: ServiceStatus.CANCELLED,
                }.get(plan.state, ServiceStatus.ONGOING)
                if status == ServiceStatus.ONGOING and rng.random() < PLANNED_SERVICE_SHARE:
                    status = ServiceStatus.PLANNED
                recorded_by = rng.choice(context.users[receiver.pk])
                rows.append(
                    ServiceRecord(
                        case_id=case.pk,
                        service_type_id=code,
                        provider_id=receiver.pk,
                        status=status,
                        started_on=plan.decided_at.date(),
                        ended_on=finished.date() if finished else None,
                        recorded_by_id=recorded_by,
                        ended_by_id=recorded_by if status in ENDED_SERVICE else None,
                    )
                )
                times.append(plan.decided_at)
                updates.append(
                    finished if status in ENDED_SERVICE and finished else plan.decided_at
                )
    _copy_rows(ServiceRecord, rows, created_at=times, updated_at=updates)


def write_notes(chunk: Chunk, context: SeedContext) -> None:
    """A few notes per case (more once assistance started), by the organisations that saw it
    with identity at the time: the registering one, the lead, accepted receivers with users.

    Medical and psychological notes stay within their organisation, as the note form defaults;
    the bodies are encrypted by ``EncryptedField.pre_save``, bound to each note's id.
    """
    rng = context.rng
    kinds = _Weighted(NOTE_KINDS)
    counts = {stage: _Weighted(table) for stage, table in NOTE_COUNTS.items()}
    organisations = {**context.receivers, **context.organisations}
    notes, times = [], []
    for record, case in zip(chunk.records, chunk.cases, strict=True):
        # Each author from the moment it saw the case with identity: the registering
        # organisation from the registration, a receiver from its acceptance.
        since = {record.organisation: record.registered_at}
        for r in record.referrals:
            if r.decided_at is not None and r.state != ReferralState.DECLINED:
                since.setdefault(r.receiver, r.decided_at)
        authors = sorted(n for n in since if organisations[n].pk in context.users)
        # Up to the case's last change once closed; up to now while it is open.
        end = record.updated_at or record.registered_at
        if record.stage != Stage.CLOSED:
            end = max(end, context.now or end)
        for _ in range(counts[record.stage](rng)):
            kind = NoteKind(kinds(rng))
            if kind in PRIVATE_BY_DEFAULT or rng.random() < OWN_NOTE_SHARE:
                visibility = NoteVisibility.OWN
            else:
                visibility = NoteVisibility.SHARED
            name = rng.choice(authors)
            organisation = organisations[name]
            notes.append(
                Note(
                    id=uuid.uuid4(),
                    case_id=case.pk,
                    kind=kind,
                    visibility=visibility,
                    body=rng.choice(NOTES[kind]),
                    author_id=rng.choice(context.users[organisation.pk]),
                    organisation_id=organisation.pk,
                )
            )
            start = since[name]
            times.append(start + (max(end, start) - start) * rng.random())
    _copy_rows(Note, notes, created_at=times)


# One function per kind of row, in dependency order.
ROW_WRITERS: list[RowWriter] = [
    write_persons,
    write_cases,
    write_possible_duplicates,
    write_exploitation_forms,
    write_languages,
    write_means_of_control,
    write_referrals,
    write_access,
    write_consents,
    write_services,
    write_notes,
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
