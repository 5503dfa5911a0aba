"""The case list's question, parsed once for the UI and the API.

``parse_case_list_query`` turns query parameters into a ``CaseListQuery`` or raises a
ValidationError by parameter; the UI shows the errors on its filter form (and lists nothing),
the API answers 400 with them. ``filter_cases`` applies a parsed question to a queryset that
already says who sees what (``Case.objects.visible_to``, annotated ``with_identity_flag``).

A person is found by a name, a date of birth or a document number through their blind indexes
(exact match after the indexes' normalisation: case, accents, punctuation and spaces), never
by decrypting the table, and only among the cases the caller sees with identity.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Q, Value
from django.utils import formats
from django.utils.translation import gettext as _

from cases import identity
from cases.models import RiskLevel, Stage, TraffickingStatus
from reference.models import ExploitationForm, Region

REFERENCE_MAX = 32
NAME_MAX = 200
DOCUMENT_MAX = 100
# The parameters that look a person or a case up (throttled per user, limits.throttle, and
# audited by name); the others only narrow a list.
IDENTITY_PARAMETERS = ("name", "date_of_birth", "document_number")
SEARCH_PARAMETERS = ("reference", *IDENTITY_PARAMETERS)
TEXT_PARAMETERS = (
    "stage",
    "trafficking_status",
    "region",
    "is_child",
    "exploitation_form",
    "identified_from",
    "identified_to",
    "consent_missing",
    "risk_level",
    "assigned_to_me",
    "led_by_me",
    *SEARCH_PARAMETERS,
)
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def is_search(params: Mapping) -> bool:
    return any(str(params.get(key) or "").strip() for key in SEARCH_PARAMETERS)


@dataclass(frozen=True)
class CaseListQuery:
    stage: str = ""
    trafficking_status: str = ""
    region: str = ""
    is_child: bool | None = None
    exploitation_form: str = ""
    identified_from: datetime.date | None = None
    identified_to: datetime.date | None = None
    consent_missing: bool = False
    risk_level: str = ""
    assigned_to_me: bool = False
    led_by_me: bool = False
    reference: str = ""  # any part of a reference, upper-cased
    name: str = ""
    date_of_birth: datetime.date | None = None
    document_number: str = ""

    def searched(self) -> list[str]:
        """The search parameters given, by name (what the audit entry names)."""
        return [key for key in SEARCH_PARAMETERS if getattr(self, key)]

    def searches_identity(self) -> bool:
        """Whether a name, a date of birth or a document number is searched (blind indexes)."""
        return any(getattr(self, key) for key in IDENTITY_PARAMETERS)

    def filters(self) -> dict:
        """The narrowing filters given, with their values (none of them identity)."""
        return {
            key: str(getattr(self, key))
            for key in TEXT_PARAMETERS
            if key not in SEARCH_PARAMETERS and getattr(self, key) not in (None, "", False)
        }


class _Parser:
    def __init__(self, params: Mapping):
        self.params = params
        self.errors: dict[str, list[str]] = {}

    def text(self, key: str, max_length: int = 100) -> str:
        value = str(self.params.get(key) or "").strip()
        if len(value) > max_length:
            self.errors[key] = [_("At most %(n)d characters.") % {"n": max_length}]
            return ""
        return value

    def choice(self, key: str, values) -> str:
        value = self.text(key)
        if value and value not in values:
            self.errors[key] = [
                _("Choose one of these values: %(values)s.") % {"values": ", ".join(values)}
            ]
            return ""
        return value

    def flag(self, key: str) -> bool | None:
        value = self.text(key).lower()
        if not value:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.errors[key] = [_("Use true or false.")]
        return None

    def date(self, key: str) -> datetime.date | None:
        value = self.text(key)
        if not value:
            return None
        # ISO (the API's), or as the page writes dates (its language's DATE_INPUT_FORMATS).
        for pattern in ("%Y-%m-%d", *formats.get_format("DATE_INPUT_FORMATS")):
            try:
                return datetime.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        self.errors[key] = [_("Give a date as DD/MM/YYYY or YYYY-MM-DD.")]
        return None

    def code(self, key: str, model) -> str:
        value = self.text(key, 40)
        if value and not model.objects.filter(code=value).exists():
            self.errors[key] = [_("Unknown code: %(code)s.") % {"code": value}]
            return ""
        return value


def parse_case_list_query(params: Mapping) -> CaseListQuery:
    """The filters of the case list (other keys are ignored: pagination and the like belong
    to the caller). ValidationError by parameter for a bad value."""
    nul = {
        key: [_("This parameter cannot contain a NUL character.")]
        for key in TEXT_PARAMETERS
        if "\x00" in str(params.get(key) or "")
    }
    if nul:
        raise ValidationError(nul)
    p = _Parser(params)
    query = CaseListQuery(
        stage=p.choice("stage", Stage.values),
        trafficking_status=p.choice("trafficking_status", TraffickingStatus.values),
        region=p.code("region", Region),
        is_child=p.flag("is_child"),
        exploitation_form=p.code("exploitation_form", ExploitationForm),
        identified_from=p.date("identified_from"),
        identified_to=p.date("identified_to"),
        consent_missing=bool(p.flag("consent_missing")),
        risk_level=p.choice("risk_level", RiskLevel.values),
        assigned_to_me=bool(p.flag("assigned_to_me")),
        led_by_me=bool(p.flag("led_by_me")),
        reference=p.text("reference", REFERENCE_MAX).upper(),
        name=p.text("name", NAME_MAX),
        date_of_birth=p.date("date_of_birth"),
        document_number=p.text("document_number", DOCUMENT_MAX),
    )
    if "reference" in p.errors:
        p.errors["reference"] = [
            _("A reference has at most %(n)d characters.") % {"n": REFERENCE_MAX}
        ]
    if (
        query.identified_from
        and query.identified_to
        and query.identified_from > query.identified_to
    ):
        p.errors["identified_to"] = [_("The end of the range is before its start.")]
    if p.errors:
        raise ValidationError(p.errors)
    return query


def filter_cases(queryset, query: CaseListQuery, *, user=None):
    """Narrow ``queryset`` (visible to ``user``, with the identity flag) by ``query``."""
    exact = {
        "stage": query.stage,
        "trafficking_status": query.trafficking_status,
        "region_id": query.region,
        "exploitation_forms": query.exploitation_form,
        "risk_level": query.risk_level,
    }
    queryset = queryset.filter(**{key: value for key, value in exact.items() if value})
    if query.is_child is not None:
        queryset = queryset.filter(is_child=query.is_child)
    if query.identified_from:
        queryset = queryset.filter(identified_on__gte=query.identified_from)
    if query.identified_to:
        queryset = queryset.filter(identified_on__lte=query.identified_to)
    if query.consent_missing:
        queryset = queryset.filter(referral_consent=False)
    if query.assigned_to_me:
        queryset = queryset.filter(assigned_to_id=getattr(user, "pk", None))
    if query.led_by_me:
        queryset = queryset.filter(lead_organisation_id=getattr(user, "organisation_id", None))
    if query.reference:
        queryset = queryset.filter(reference__contains=query.reference)
    return _by_identity(queryset, query)


def _by_identity(queryset, query: CaseListQuery):
    """The identity lookups, through the blind indexes, over cases seen with identity only."""
    if not query.searches_identity():
        return queryset
    queryset = queryset.filter(can_view_identity=True)
    if query.name:
        index = identity.name_index(query.name)
        queryset = queryset.filter(
            Q(person__given_name_index=index) | Q(person__family_name_index=index)
        )
    if query.date_of_birth:
        queryset = queryset.filter(
            person__date_of_birth_index=identity.date_of_birth_index(query.date_of_birth)
        )
    if query.document_number:
        index = identity.document_index(query.document_number)
        queryset = queryset.filter(person__document_index=index or "-")
    return queryset.order_by(*IDENTITY_SEARCH_ORDER)


# The list's order (newest case first, then by reference) as an expression no index serves:
# a page of the matches of a blind index is then read from that index and sorted, instead
# of walking every case newest first until fifty match (which PostgreSQL chose for a common
# family name as the police, on 100,000 cases: 53 ms against 6, ``make bench``).
IDENTITY_SEARCH_ORDER = (
    (F("created_at") + Value(datetime.timedelta(0))).desc(),
    F("reference").desc(),
)
