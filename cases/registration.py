"""Registering a presumed victim: the person's identity encrypted, the case's clear profile.

The actor is set for auditlog here (DRF authenticates tokens after the middleware has run,
so middleware alone would leave token requests without an actor).
"""

import datetime
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import consistency, identity
from cases.access import sync_case_access
from cases.models import Case, Person, ReferenceCounter
from cases.rules import can_register_cases
from duplicates.matching import find_matches, keep_matches


@dataclass
class PersonData:
    given_name: str
    sex: str
    family_name: str = ""
    date_of_birth: datetime.date | None = None
    nationality: object | None = None  # reference.Nationality
    document_number: str = ""
    phone: str = ""
    address: str = ""


@dataclass
class CaseData:
    identified_on: datetime.date
    region: object  # reference.Region
    exploitation_forms: list = field(default_factory=list)  # reference.ExploitationForm
    is_child: bool = False
    languages: list = field(default_factory=list)  # reference.Language
    interpreter_needed: bool = False
    summary: str = ""
    # The trafficking context (HTCDS 2.0), every part optional.
    means_of_control: list = field(default_factory=list)  # reference.MeansOfControl
    recruitment_method: object | None = None  # reference.RecruitmentMethod
    trafficker_relationship: object | None = None  # reference.TraffickerRelationship
    exploitation_country: object | None = None  # reference.Nationality


def next_reference(*, year: int, count: int = 1) -> list[str]:
    """Reserve ``count`` consecutive case references for ``year`` (row lock, never count() + 1)."""
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"{settings.NRM_COUNTRY}-{year}-{n:06d}" for n in range(first, first + count)]


def _validate(case_data: CaseData, person_data: PersonData, today: datetime.date) -> bool:
    """Raise the data's errors by field; return the child flag to store."""
    errors = consistency.date_errors(
        identified_on=case_data.identified_on,
        date_of_birth=person_data.date_of_birth,
        today=today,
    )
    is_child, child_errors = consistency.child_flag(
        date_of_birth=person_data.date_of_birth,
        identified_on=case_data.identified_on,
        declared=case_data.is_child,
    )
    errors.update(child_errors)
    if not case_data.exploitation_forms:
        errors["exploitation_forms"] = [_("Choose at least one form of exploitation.")]
    if not (person_data.given_name or "").strip():
        errors["given_name"] = [_("Give the person's name or the alias they use.")]
    if errors:
        raise ValidationError(errors)
    return is_child


def new_person(person: PersonData) -> Person:
    """An unsaved Person with the identity trimmed and its blind indexes derived."""
    return Person(
        given_name=person.given_name.strip(),
        family_name=person.family_name.strip(),
        date_of_birth=person.date_of_birth,
        phone=person.phone.strip(),
        address=person.address.strip(),
        document_number=person.document_number.strip(),
        **identity.person_indexes(
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            document_number=person.document_number,
        ),
    )


def register_case(*, actor, person: PersonData, case: CaseData) -> Case:
    """Register a presumed victim for the actor's (frontline) organisation.

    Guarantees: the person's identity is stored encrypted; the case starts at identification /
    presumed with the actor's organisation as registering and lead organisation, which gets
    view and identity access. ``possible_duplicate`` is true only when another case the
    organisation already sees with identity matches the name and date of birth or the document
    number; a match with any other case answers exactly as no match and goes to the national
    coordinator's review list (no oracle).

    Side effects, in one transaction: a Person and a Case row (auditlog entries, identity
    masked), the next reference of the year (counter row locked), the access rows, one
    PossibleDuplicate row per match (the person's indexes locked first, so a concurrent
    registration of the same person is flagged once, by whichever commits second).
    Raises PermissionDenied for a non-frontline actor and ValidationError for bad data.
    """
    if not can_register_cases(actor):
        raise PermissionDenied(_("Your organisation cannot register cases."))
    today = timezone.localdate()
    is_child = _validate(case, person, today)
    with transaction.atomic(), set_actor(actor):
        record = new_person(person)
        record.save()
        matches = find_matches(record, actor=actor)
        new_case = Case(
            reference=next_reference(year=today.year)[0],
            person=record,
            registering_organisation=actor.organisation,
            lead_organisation=actor.organisation,
            registered_by=actor,
            sex=person.sex,
            nationality=person.nationality,
            age_group=identity.age_group(person.date_of_birth, case.identified_on),
            is_child=is_child,
            interpreter_needed=case.interpreter_needed,
            region=case.region,
            recruitment_method=case.recruitment_method,
            trafficker_relationship=case.trafficker_relationship,
            exploitation_country=case.exploitation_country,
            identified_on=case.identified_on,
            summary=case.summary.strip(),
            possible_duplicate=matches.shown,
        )
        new_case.save()
        new_case.exploitation_forms.set(case.exploitation_forms)
        new_case.languages.set(case.languages)
        new_case.means_of_control.set(case.means_of_control)
        sync_case_access(new_case)
        keep_matches(new_case, matches)
    return new_case
