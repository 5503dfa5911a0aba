"""Factories for case-side rows, built through the services (so access and audit are real)."""

import datetime
import itertools
import uuid

from accounts.models import Organisation, User
from cases.registration import CaseData, PersonData, register_case
from reference.models import ExploitationForm, Nationality, Region

_counter = itertools.count(1)


# An id no row has (rows get uuid4s): fixed, so that every pytest-xdist worker collects the
# same parametrised tests.
UNKNOWN_ID = uuid.UUID("00000000-0000-4000-8000-00000000dead")


def person_data(**overrides) -> PersonData:
    n = next(_counter)
    values = {
        "given_name": f"Given{n}",
        "family_name": f"Family{n}",
        "date_of_birth": datetime.date(1995, 1, 1) + datetime.timedelta(days=n),
        "sex": "female",
        "nationality": Nationality.objects.get(code="NG"),
        "document_number": f"DOC{n:07d}",
        "phone": f"+2126{n:08d}",
        "address": f"{n} rue de test",
    }
    values.update(overrides)
    return PersonData(**values)


def case_data(**overrides) -> CaseData:
    values = {
        "identified_on": datetime.date(2026, 11, 2),
        "region": Region.objects.get(code="MA-06"),
        "exploitation_forms": [ExploitationForm.objects.get(code="ForcedLabour")],
        "is_child": False,
        "summary": "Summary of identification",
    }
    values.update(overrides)
    return CaseData(**values)


# A child's date of birth: 12 on the default identification date (cases.consistency refuses
# a child flag the date of birth contradicts).
CHILD_BIRTH = datetime.date(2014, 6, 1)


def make_case(actor, *, person=None, case=None, **case_overrides):
    if person is None:
        person = person_data(
            **({"date_of_birth": CHILD_BIRTH} if case_overrides.get("is_child") else {})
        )
    return register_case(actor=actor, person=person, case=case or case_data(**case_overrides))


KIND_OF_ROLE = {
    "police_officer": "police",
    "health_worker": "health",
    "caseworker": "ngo",
    "supervisor": "ngo",
    "status_authority": "authority",
    "commission_member": "commission",
    "coordinator": "commission",
    "administrator": None,
}


def unsaved_member(
    role: str, *, active: bool = True, organisation_active: bool = True, organisation_id=None
) -> User:
    """An unsaved user of the role, in an organisation of a kind that has the role (the
    administrator has none)."""
    kind = KIND_OF_ROLE[role]
    organisation = (
        Organisation(pk=organisation_id, name=f"An {kind}", kind=kind, active=organisation_active)
        if kind
        else None
    )
    return User(username=role, role=role, organisation=organisation, is_active=active)
