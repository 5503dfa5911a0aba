"""Shared pieces of the API's shapes: strict JSON fields, code lookups and the empty body."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation

CODE_MAX_LENGTH = 40
# Larger than any serial primary key: beyond it an id cannot exist (and the database would
# refuse to compare it).
MAX_ID = 2**63 - 1


# --- Fields -----------------------------------------------------------------------------------
class TextField(serializers.CharField):
    """A JSON string only: DRF's CharField would turn 1234 into "1234", and a phone or document
    number sent as a number has already lost its leading zeros or plus sign."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true`` or ``false`` only: a consent is not recorded from ``"yes"``, ``1`` or
    ``"false"`` (which DRF's BooleanField would turn into a boolean, the last one wrongly)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


@extend_schema_field(OpenApiTypes.INT)
class OrganisationField(serializers.Field):
    """An organisation's bare integer id (a JSON integer); returns the row, active or not, so
    the service gives its own message for an inactive one."""

    default_error_messages = {
        "invalid": _("Expected an organisation id (an integer)."),
        "unknown": _("Unknown organisation."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        if not 1 <= data <= MAX_ID:
            self.fail("unknown")
        organisation = Organisation.objects.filter(pk=data).first()
        if organisation is None:
            self.fail("unknown")
        return organisation

    def to_representation(self, value):
        return getattr(value, "pk", value)


@extend_schema_field(OpenApiTypes.STR)
class CodeField(TextField):
    """A code of an active reference row (region, nationality); returns the row."""

    default_error_messages = {"unknown": _("Unknown code: {code}.")}

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        kwargs.setdefault("max_length", CODE_MAX_LENGTH)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        # The text is checked first (type, length, NUL), and only then looked up.
        code = super().run_validation(data)
        if not code:
            return None
        row = self.queryset.active().filter(code=code).first()
        if row is None:
            self.fail("unknown", code=code)
        return row

    def to_representation(self, value):
        return getattr(value, "pk", value)


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class CodeListField(serializers.Field):
    """A non-empty list of codes of active reference rows, checked in one query."""

    default_error_messages = {
        "not_a_list": _("Expected a list of codes."),
        "empty": _("Choose at least one."),
        "too_many": _("Give at most {max} codes."),
        "invalid": _("Each code must be a string of at most {max} characters."),
        "unknown": _("Unknown code: {codes}."),
    }

    def __init__(self, *, queryset, max_items, allow_empty=False, **kwargs):
        self.queryset = queryset
        self.max_items = max_items
        self.allow_empty = allow_empty
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        if not data and not self.allow_empty:
            self.fail("empty")
        if len(data) > self.max_items:
            self.fail("too_many", max=self.max_items)
        if any(
            not isinstance(code, str) or not code or len(code) > CODE_MAX_LENGTH or "\x00" in code
            for code in data
        ):
            self.fail("invalid", max=CODE_MAX_LENGTH)
        codes = list(dict.fromkeys(data))
        rows = {row.pk: row for row in self.queryset.active().filter(code__in=codes)}
        unknown = [code for code in codes if code not in rows]
        if unknown:
            self.fail("unknown", codes=", ".join(unknown))
        return [rows[code] for code in codes]

    def to_representation(self, value):
        return [row.pk for row in value]


def optional_text(max_length):
    return TextField(
        max_length=max_length, required=False, allow_blank=True, allow_null=True, default=""
    )


class EmptySerializer(serializers.Serializer):
    """Actions without input: no body, or a JSON object (its keys are ignored)."""
