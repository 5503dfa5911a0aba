"""Derived facts about a person: blind indexes, age band, child flag."""

import datetime

from django.conf import settings

from cases.models import AgeGroup
from core import crypto

NAME_DOB = "name_dob"
DOCUMENT = "document"
# One purpose for both names: a search for a name finds it as a given or a family name.
NAME = "name"
DATE_OF_BIRTH = "date_of_birth"

_BANDS = [
    (8, AgeGroup.AGE_0_8),
    (17, AgeGroup.AGE_9_17),
    (20, AgeGroup.AGE_18_20),
    (23, AgeGroup.AGE_21_23),
    (26, AgeGroup.AGE_24_26),
    (29, AgeGroup.AGE_27_29),
    (38, AgeGroup.AGE_30_38),
    (47, AgeGroup.AGE_39_47),
]


def name_dob_index(*, family_name: str, given_name: str, date_of_birth) -> str:
    """Blind index of name and date of birth; empty when a part is missing (no blank matches)."""
    if not (given_name and family_name and date_of_birth):
        return ""
    return crypto.blind_index(
        settings.BLIND_INDEX_KEY, NAME_DOB, family_name, given_name, date_of_birth.isoformat()
    )


def document_index(document_number: str) -> str:
    """Blind index of a document number, ignoring case, spaces and punctuation."""
    compact = "".join(crypto.normalise_text(document_number or "").split())
    if not compact:
        return ""
    return crypto.blind_index(settings.BLIND_INDEX_KEY, DOCUMENT, compact)


def name_index(name: str) -> str:
    """Blind index of one name (given or family), after the same normalisation as the others:
    case, accents, punctuation and spacing ignored. Empty for a blank name."""
    if not crypto.normalise_text(name or ""):
        return ""
    return crypto.blind_index(settings.BLIND_INDEX_KEY, NAME, name)


def date_of_birth_index(date_of_birth) -> str:
    if date_of_birth is None:
        return ""
    return crypto.blind_index(settings.BLIND_INDEX_KEY, DATE_OF_BIRTH, date_of_birth.isoformat())


def person_indexes(*, given_name: str, family_name: str, date_of_birth, document_number: str):
    """Every blind index of a person, by field name: what registration and a correction set."""
    return {
        "name_dob_index": name_dob_index(
            family_name=family_name, given_name=given_name, date_of_birth=date_of_birth
        ),
        "document_index": document_index(document_number),
        "given_name_index": name_index(given_name),
        "family_name_index": name_index(family_name),
        "date_of_birth_index": date_of_birth_index(date_of_birth),
    }


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def age_group(date_of_birth, on: datetime.date) -> str:
    if date_of_birth is None:
        return AgeGroup.UNKNOWN
    age = age_on(date_of_birth, on)
    for upper, band in _BANDS:
        if age <= upper:
            return band
    return AgeGroup.AGE_48_PLUS


def is_child(date_of_birth, on: datetime.date, *, declared: bool) -> bool:
    """A child if declared so, or if the date of birth says under 18 on the identification day."""
    if declared:
        return True
    return date_of_birth is not None and age_on(date_of_birth, on) < 18
