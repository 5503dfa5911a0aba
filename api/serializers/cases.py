"""Shapes of a case: registration, the list filter, the clear profile and the detail."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.common import CodeField, CodeListField, TextField, optional_text
from cases.dispatch import CASE_TRANSITIONS, available_transitions
from cases.models import AgeGroup, ClosureReason, RiskLevel, Sex, Stage, TraffickingStatus
from cases.registration import CaseData, PersonData
from reference.models import (
    ExploitationForm,
    Language,
    MeansOfControl,
    Nationality,
    RecruitmentMethod,
    Region,
    TraffickerRelationship,
)

MAX_EXPLOITATION_FORMS = 20
MAX_LANGUAGES = 20
MAX_MEANS_OF_CONTROL = 20

# The trafficking context (HTCDS 2.0): the vocabulary of each coded field, for the help texts.
CONTEXT_HELP = {
    "means_of_control": _("HTCDS means of control codes (DebtBondage, Threats, …); may be empty."),
    "recruitment_method": _("HTCDS recruitment code (PersonalContact, Internet, …), or null."),
    "trafficker_relationship": _("HTCDS relationship code (Family, Employer, …), or null."),
    "exploitation_country": _("Country of exploitation: ISO 3166 alpha-2 code, or null."),
}

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
    languages = CodeListField(
        queryset=Language.objects,
        max_items=MAX_LANGUAGES,
        allow_empty=True,
        required=False,
        default=list,
        help_text=_("Languages the person speaks: ISO 639 codes (ar, ary, fr, en, …)."),
    )
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    means_of_control = CodeListField(
        queryset=MeansOfControl.objects,
        max_items=MAX_MEANS_OF_CONTROL,
        allow_empty=True,
        required=False,
        default=list,
        help_text=CONTEXT_HELP["means_of_control"],
    )
    recruitment_method = CodeField(
        queryset=RecruitmentMethod.objects,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text=CONTEXT_HELP["recruitment_method"],
    )
    trafficker_relationship = CodeField(
        queryset=TraffickerRelationship.objects,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text=CONTEXT_HELP["trafficker_relationship"],
    )
    exploitation_country = CodeField(
        queryset=Nationality.objects,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text=CONTEXT_HELP["exploitation_country"],
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
                languages=data["languages"],
                interpreter_needed=data["interpreter_needed"],
                means_of_control=data["means_of_control"],
                recruitment_method=data["recruitment_method"],
                trafficker_relationship=data["trafficker_relationship"],
                exploitation_country=data["exploitation_country"],
            ),
        }


# A correction (PATCH): every field optional; only those given change. The same field types
# as registration, so the same values are accepted and refused with the same words.
def _optional(field_class, **kwargs):
    return field_class(required=False, **kwargs)


class PersonCorrectionSerializer(serializers.Serializer):
    given_name = _optional(TextField, max_length=200)
    family_name = _optional(TextField, max_length=200, allow_blank=True, allow_null=True)
    date_of_birth = _optional(serializers.DateField, allow_null=True)
    sex = _optional(serializers.ChoiceField, choices=Sex.choices)
    nationality = _optional(
        CodeField, queryset=Nationality.objects, allow_blank=True, allow_null=True
    )
    document_number = _optional(TextField, max_length=100, allow_blank=True, allow_null=True)
    phone = _optional(TextField, max_length=50, allow_blank=True, allow_null=True)
    address = _optional(TextField, max_length=500, allow_blank=True, allow_null=True)


class PersonPatchSerializer(PersonCorrectionSerializer):
    """``PATCH /cases/{id}/person/``: identity fields at the top, with the reason."""

    change_reason = TextField(max_length=5000, help_text=_("Why the record is corrected."))

    def to_changes(self) -> dict:
        data = dict(self.validated_data)
        data.pop("change_reason")
        return data


class CasePatchSerializer(serializers.Serializer):
    """``PATCH /cases/{id}/``: the clear profile and the summary, identity under "person"."""

    person = PersonCorrectionSerializer(required=False)
    is_child = _optional(serializers.BooleanField)
    region = _optional(CodeField, queryset=Region.objects)
    exploitation_forms = _optional(
        CodeListField, queryset=ExploitationForm.objects, max_items=MAX_EXPLOITATION_FORMS
    )
    languages = _optional(
        CodeListField, queryset=Language.objects, max_items=MAX_LANGUAGES, allow_empty=True
    )
    interpreter_needed = _optional(serializers.BooleanField)
    means_of_control = _optional(
        CodeListField,
        queryset=MeansOfControl.objects,
        max_items=MAX_MEANS_OF_CONTROL,
        allow_empty=True,
        help_text=CONTEXT_HELP["means_of_control"],
    )
    recruitment_method = _optional(
        CodeField,
        queryset=RecruitmentMethod.objects,
        allow_blank=True,
        allow_null=True,
        help_text=CONTEXT_HELP["recruitment_method"],
    )
    trafficker_relationship = _optional(
        CodeField,
        queryset=TraffickerRelationship.objects,
        allow_blank=True,
        allow_null=True,
        help_text=CONTEXT_HELP["trafficker_relationship"],
    )
    exploitation_country = _optional(
        CodeField,
        queryset=Nationality.objects,
        allow_blank=True,
        allow_null=True,
        help_text=CONTEXT_HELP["exploitation_country"],
    )
    summary = _optional(TextField, max_length=10000, allow_blank=True, allow_null=True)
    change_reason = TextField(max_length=5000, help_text=_("Why the record is corrected."))

    def to_changes(self) -> dict:
        """The given fields, flat, as ``correct_case`` takes them."""
        data = dict(self.validated_data)
        data.pop("change_reason")
        data.update(data.pop("person", {}))
        return data


class CaseFilterSerializer(serializers.Serializer):
    """Query parameters of the case list, for the schema; ``cases.queries`` parses them."""

    stage = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True)
    trafficking_status = serializers.ChoiceField(
        choices=TraffickingStatus.choices, required=False, allow_blank=True
    )
    region = serializers.CharField(required=False, help_text=_("Region code, e.g. MA-06."))
    is_child = serializers.BooleanField(required=False)
    exploitation_form = serializers.CharField(required=False, help_text=_("HTCDS code."))
    identified_from = serializers.DateField(required=False)
    identified_to = serializers.DateField(required=False)
    consent_missing = serializers.BooleanField(
        required=False, help_text=_("Only cases without recorded referral consent.")
    )
    risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices,
        required=False,
        allow_blank=True,
        help_text=_("The level of the latest risk assessment."),
    )
    assigned_to_me = serializers.BooleanField(required=False)
    led_by_me = serializers.BooleanField(
        required=False, help_text=_("Only cases the caller's organisation leads.")
    )
    reference = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_("Any part of a case reference, e.g. 2026-0001."),
    )
    name = serializers.CharField(
        max_length=200,
        required=False,
        help_text=_(
            "A given or family name, exact after normalisation (case, accents, spaces); only "
            "over cases the caller sees with identity. Audited, throttled."
        ),
    )
    date_of_birth = serializers.DateField(required=False)
    document_number = serializers.CharField(max_length=100, required=False)


# --- Output -----------------------------------------------------------------------------------
class PersonSerializer(serializers.Serializer):
    """The identity fields; null for a field the reader's services do not need (cases.rules)."""

    given_name = serializers.CharField(allow_null=True)
    family_name = serializers.CharField(allow_null=True)
    date_of_birth = serializers.DateField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    address = serializers.CharField(allow_null=True)
    document_number = serializers.CharField(allow_null=True)


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
    languages = serializers.SerializerMethodField()
    interpreter_needed = serializers.BooleanField(read_only=True)
    means_of_control = serializers.SerializerMethodField()
    recruitment_method = serializers.CharField(
        source="recruitment_method_id",
        read_only=True,
        allow_null=True,
        help_text=_("HTCDS recruitment code."),
    )
    trafficker_relationship = serializers.CharField(
        source="trafficker_relationship_id",
        read_only=True,
        allow_null=True,
        help_text=_("HTCDS relationship code."),
    )
    exploitation_country = serializers.CharField(
        source="exploitation_country_id",
        read_only=True,
        allow_null=True,
        help_text=_("ISO code."),
    )
    risk_level = serializers.SerializerMethodField(
        help_text=_("The latest risk assessment's level (low, medium, high); null before one.")
    )
    display_name = serializers.SerializerMethodField(
        help_text=_("The person's name or alias, for a viewer with identity access; else null.")
    )
    assigned_to = serializers.CharField(
        source="assigned_to.username", read_only=True, allow_null=True, default=None
    )
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

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_display_name(self, case):
        if not getattr(case, "can_view_identity", False):
            return None
        person = case.person
        return " ".join(part for part in (person.given_name, person.family_name) if part)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_risk_level(self, case):
        return case.risk_level or None

    def get_languages(self, case) -> list[str]:
        return sorted(language.pk for language in case.languages.all())

    def get_means_of_control(self, case) -> list[str]:
        """HTCDS means of control codes."""
        return sorted(means.pk for means in case.means_of_control.all())


class CaseDetailSerializer(CaseSerializer):
    """The case with identity and summary (both null without identity access), its consents
    and dates, and the transitions the caller may take now.

    Needs ``can_view_identity`` on the case (``Case.objects.with_identity_flag``) and the
    caller as ``context["user"]``.
    """

    person = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    referral_consent = serializers.BooleanField(
        read_only=True, help_text=_("Whether referral consent is recorded and not withdrawn.")
    )
    statistics_consent = serializers.BooleanField(read_only=True)
    reflection_period_ends_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("End of the reflection and recovery period, once assistance started."),
    )
    closure_reason = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=ClosureReason.choices, allow_null=True))
    def get_closure_reason(self, case):
        return case.closure_reason or None

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(list(CASE_TRANSITIONS)))
    )
    def get_available_transitions(self, case) -> list[str]:
        """Names for POST /cases/{id}/transitions/{name}/ that the caller may take now."""
        return available_transitions(self.context["user"], case)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_person(self, case):
        if not case.can_view_identity:
            return None
        shown = getattr(case, "identity_fields", frozenset())
        # Minimum necessary: a field the organisation's services do not need is null.
        return {
            name: value if name in shown else None
            for name, value in PersonSerializer(case.person).data.items()
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_summary(self, case):
        if not case.can_view_identity:
            return None
        return case.summary or ""
