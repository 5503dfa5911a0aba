"""Input and output shapes of the API (API.md "Shapes"); no business rule lives here.

Input serializers check types, lengths and codes and turn the body into the services' data
classes; the services check the rules (dates not in the future, who may register, …).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation
from cases.models import AgeGroup, Sex, Stage, TraffickingStatus
from cases.services import CaseData, PersonData
from reference.models import ExploitationForm, Nationality, Region

CODE_MAX_LENGTH = 40
MAX_EXPLOITATION_FORMS = 20

# Fields of the nested "person" object, so a service's errors land under "person" too.
PERSON_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "nationality",
        "document_number",
        "phone",
        "address",
    }
)


# --- Fields -----------------------------------------------------------------------------------
class TextField(serializers.CharField):
    """A JSON string only: DRF's CharField would turn 1234 into "1234", and a phone or document
    number sent as a number has already lost its leading zeros or plus sign."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


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

    def __init__(self, *, queryset, max_items, **kwargs):
        self.queryset = queryset
        self.max_items = max_items
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        if not data:
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


# --- Input ------------------------------------------------------------------------------------
class PersonInputSerializer(serializers.Serializer):
    given_name = TextField(max_length=200, help_text=_("The name, or the alias the person gives."))
    family_name = optional_text(200)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=Sex.choices)
    nationality = CodeField(
        queryset=Nationality.objects,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text=_("ISO 3166 alpha-2 code."),
    )
    document_number = optional_text(100)
    phone = optional_text(50)
    address = optional_text(500)


class CaseCreateSerializer(serializers.Serializer):
    person = PersonInputSerializer()
    is_child = serializers.BooleanField(required=False, default=False)
    identified_on = serializers.DateField(help_text=_("Not in the future."))
    region = CodeField(queryset=Region.objects, help_text=_("Region code, e.g. MA-06."))
    exploitation_forms = CodeListField(
        queryset=ExploitationForm.objects,
        max_items=MAX_EXPLOITATION_FORMS,
        help_text=_("HTCDS exploitation form codes, at least one."),
    )
    summary = optional_text(10000)

    def to_domain(self) -> dict:
        """The validated body as the keyword arguments of ``register_case``."""
        data = self.validated_data
        person = data["person"]
        return {
            "person": PersonData(
                given_name=person["given_name"],
                sex=person["sex"],
                family_name=person["family_name"] or "",
                date_of_birth=person["date_of_birth"],
                nationality=person["nationality"],
                document_number=person["document_number"] or "",
                phone=person["phone"] or "",
                address=person["address"] or "",
            ),
            "case": CaseData(
                identified_on=data["identified_on"],
                region=data["region"],
                exploitation_forms=data["exploitation_forms"],
                is_child=data["is_child"],
                summary=data["summary"] or "",
            ),
        }


class CaseFilterSerializer(serializers.Serializer):
    """Query parameters of the case list."""

    stage = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True)
    reference = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_("The beginning of a case reference, e.g. MA-2026-0001."),
    )


# --- Output -----------------------------------------------------------------------------------
class OrganisationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    organisation = OrganisationBriefSerializer(allow_null=True)
    role = serializers.CharField()
    permissions = serializers.SerializerMethodField()

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region"]


class PersonSerializer(serializers.Serializer):
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    phone = serializers.CharField()
    address = serializers.CharField()
    document_number = serializers.CharField()


class CaseSerializer(serializers.Serializer):
    """The clear profile of a case, shown to every organisation that sees the case."""

    id = serializers.UUIDField(read_only=True)
    reference = serializers.CharField(read_only=True)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    trafficking_status = serializers.ChoiceField(choices=TraffickingStatus.choices, read_only=True)
    sex = serializers.ChoiceField(choices=Sex.choices, read_only=True)
    nationality = serializers.CharField(
        source="nationality_id", read_only=True, allow_null=True, help_text=_("ISO code.")
    )
    age_group = serializers.ChoiceField(choices=AgeGroup.choices, read_only=True)
    is_child = serializers.BooleanField(read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    exploitation_forms = serializers.SerializerMethodField()
    identified_on = serializers.DateField(read_only=True)
    lead_organisation = serializers.IntegerField(source="lead_organisation_id", read_only=True)
    registering_organisation = serializers.IntegerField(
        source="registering_organisation_id", read_only=True
    )
    possible_duplicate = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_exploitation_forms(self, case) -> list[str]:
        # Sorted in Python so a prefetch (one query for the whole page) is used as it is.
        return sorted(form.pk for form in case.exploitation_forms.all())


class CaseDetailSerializer(CaseSerializer):
    """The case with identity and summary, both null without identity access.

    Needs ``can_view_identity`` on the case (``Case.objects.with_identity_flag``).
    """

    person = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_person(self, case):
        if not case.can_view_identity:
            return None
        return PersonSerializer(case.person).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_summary(self, case):
        if not case.can_view_identity:
            return None
        return case.summary or ""
