"""The case list's question, parsed once for the UI and the API.

``parse_case_list_query`` turns query parameters into a ``CaseListQuery`` or raises a
ValidationError by parameter; the UI shows the errors on its filter form (and lists nothing),
the API answers 400 with them. ``filter_cases`` applies a parsed question to a queryset that
already says who sees what (``Case.objects.visible_to``).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.models import Stage

REFERENCE_MAX = 32
# The parameters that look a person or a case up (throttled per user, limits.throttle); the
# others (stage, page …) only narrow a list.
SEARCH_PARAMETERS = ("reference", "name", "date_of_birth", "document_number")


def is_search(params: Mapping) -> bool:
    return any(str(params.get(key) or "").strip() for key in SEARCH_PARAMETERS)


@dataclass(frozen=True)
class CaseListQuery:
    stage: str = ""
    reference: str = ""  # the beginning of a reference, upper-cased


def parse_case_list_query(params: Mapping) -> CaseListQuery:
    """The filters of the case list from ``stage`` and ``reference`` (other keys are ignored:
    pagination and the like belong to the caller)."""
    errors = {
        key: [_("This parameter cannot contain a NUL character.")]
        for key in ("stage", "reference")
        if "\x00" in str(params.get(key) or "")
    }
    if errors:
        raise ValidationError(errors)
    stage = str(params.get("stage") or "").strip()
    if stage and stage not in Stage.values:
        errors["stage"] = [
            _("Choose one of these stages: %(stages)s.") % {"stages": ", ".join(Stage.values)}
        ]
    reference = str(params.get("reference") or "").strip().upper()
    if len(reference) > REFERENCE_MAX:
        errors["reference"] = [
            _("A reference has at most %(n)d characters.") % {"n": REFERENCE_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    return CaseListQuery(stage=stage, reference=reference)


def filter_cases(queryset, query: CaseListQuery):
    if query.stage:
        queryset = queryset.filter(stage=query.stage)
    if query.reference:
        queryset = queryset.filter(reference__startswith=query.reference)
    return queryset
