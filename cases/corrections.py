"""Correcting a case's record after registration: identity, clear profile and summary.

The lead organisation, and the registering one (which keeps identity access), correct a record
with a reason. The values go through the same checks as at registration; derived facts (blind
indexes, age group, child flag) follow the new values, and so does the duplicate check.
"""

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.entries import record_event
from audit.events import Event
from cases import consistency, identity, rules
from cases.models import Case, CaseCorrection, Sex, Stage
from cases.primitives import lock_case
from core.errors import InvalidTransition
from core.text import clean_text
from duplicates.matching import find_matches, keep_new_matches

# What a correction may change, by where it lives. Identity fields are encrypted on the person.
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "document_number",
    "phone",
    "address",
)
PROFILE_FIELDS = (
    "sex",
    "nationality",
    "region",
    "is_child",
    "interpreter_needed",
    "summary",
    "recruitment_method",
    "trafficker_relationship",
    "exploitation_country",
)
MANY_FIELDS = ("exploitation_forms", "languages", "means_of_control")
# A change to one of these runs the duplicate check again.
MATCHED_FIELDS = frozenset({"given_name", "family_name", "date_of_birth", "document_number"})
TEXT_FIELDS = frozenset({"family_name", "document_number", "phone", "address", "summary"})


def _current(case: Case) -> dict:
    person = case.person
    values = {name: getattr(person, name) for name in PERSON_FIELDS}
    values.update({name: getattr(case, name) for name in PROFILE_FIELDS})
    for name in MANY_FIELDS:
        values[name] = set(getattr(case, name).all())
    for name in TEXT_FIELDS | {"given_name"}:
        values[name] = values[name] or ""
    return values


def _wanted(current: dict, changes: dict) -> dict:
    unknown = set(changes) - set(current)
    if unknown:
        raise ValidationError({name: [_("This field cannot be corrected.")] for name in unknown})
    wanted = dict(current)
    for name, value in changes.items():
        if name in MANY_FIELDS:
            value = set(value or ())
        elif name in TEXT_FIELDS or name == "given_name":
            value = (value or "").strip()
        wanted[name] = value
    return wanted


def _check(case: Case, wanted: dict, changed: set, today) -> None:
    errors = consistency.date_errors(
        identified_on=case.identified_on, date_of_birth=wanted["date_of_birth"], today=today
    )
    if "is_child" in changed or "date_of_birth" in changed:
        wanted["is_child"], child_errors = consistency.child_flag(
            date_of_birth=wanted["date_of_birth"],
            identified_on=case.identified_on,
            declared=wanted["is_child"],
        )
        errors.update(child_errors)
    if wanted["sex"] not in Sex.values:
        errors["sex"] = [_("Choose the person's sex, or “Unknown”.")]
    if not wanted["given_name"]:
        errors["given_name"] = [_("Give the person's name or the alias they use.")]
    if not wanted["exploitation_forms"]:
        errors["exploitation_forms"] = [_("Choose at least one form of exploitation.")]
    if wanted["region"] is None:
        errors["region"] = [_("Choose a region.")]
    if errors:
        raise ValidationError(errors)


def correct_case(case: Case, *, actor, reason: str, changes: dict) -> CaseCorrection | None:
    """Correct the record of ``case`` with ``changes`` (field name → new value; identity,
    clear profile and summary; absent fields stay as they are). Returns the correction, or
    None when no value differs (nothing is written).

    Side effects, in one transaction (the case row locked): the Person and the Case saved
    (auditlog entries naming the changed fields, every protected value masked); blind indexes,
    age group and child flag derived again; one CaseCorrection row with the changed field
    names and the protected reason; one "case_corrected" audit entry (field names and the
    correction's id, never a value or the reason); when a name, the date of birth or the
    document number changed, the duplicate check again (new pairs only).
    Raises PermissionDenied (rules "correct"), InvalidTransition for a closed case, then
    ValidationError by field (the reason included).
    """
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        relations = rules.case_relations(actor, locked)
        rules.require(actor, "correct", locked, relations=relations)
        if locked.stage == Stage.CLOSED:
            raise InvalidTransition(_("The case is closed. Reopen it to correct the record."))
        current = _current(locked)
        wanted = _wanted(current, changes)
        changed = {name for name in current if wanted[name] != current[name]}
        if not changed:
            return None
        reason = clean_text(reason, field="change_reason", required=True)
        _check(locked, wanted, changed, timezone.localdate())
        changed = {name for name in current if wanted[name] != current[name]}
        _save(locked, wanted, changed)
        correction = CaseCorrection.objects.create(
            case=locked,
            fields=sorted(changed),
            reason=reason,
            actor=actor,
            organisation=actor.organisation,
        )
        record_event(
            locked,
            actor=actor,
            event=Event.CASE_CORRECTED,
            fields=sorted(changed),
            reason_ref=f"cases.CaseCorrection:{correction.pk}",
        )
        if changed & MATCHED_FIELDS:
            keep_new_matches(locked, find_matches(locked.person, actor=actor))
    return correction


def _save(case: Case, wanted: dict, changed: set) -> None:
    person = case.person
    person_changed = [name for name in PERSON_FIELDS if name in changed]
    if person_changed:
        for name in person_changed:
            setattr(person, name, wanted[name])
        indexes = identity.person_indexes(
            given_name=wanted["given_name"],
            family_name=wanted["family_name"],
            date_of_birth=wanted["date_of_birth"],
            document_number=wanted["document_number"],
        )
        for name, value in indexes.items():
            setattr(person, name, value)
        person.save(update_fields=[*person_changed, *indexes])
    case_changed = [name for name in PROFILE_FIELDS if name in changed]
    for name in case_changed:
        setattr(case, name, wanted[name])
    if "date_of_birth" in changed:
        case.age_group = identity.age_group(wanted["date_of_birth"], case.identified_on)
        case_changed.append("age_group")
    if case_changed:
        case.save(update_fields=[*case_changed, "updated_at"])
    for name in MANY_FIELDS:
        if name in changed:
            getattr(case, name).set(wanted[name])
