"""Input and output shapes of the API (API.md "Shapes"); no business rule lives here.

Input serializers check types, lengths and codes and turn the body into the services' data
classes; the services check the rules (dates not in the future, who may register, …).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation
from cases.models import (
    AgeGroup,
    ClosureReason,
    ConsentGivenBy,
    ConsentScope,
    Sex,
    Stage,
    TraffickingStatus,
)
from cases.rules import CASE_TRANSITIONS
from cases.services import CaseData, PersonData
from cases.workflow import REASON_MAX, available_transitions
from reference.models import ExploitationForm, Nationality, Region, ServiceType
from referral.models import ReferralState, Urgency
from stats.dimensions import DIMENSIONS as STATISTICS_DIMENSIONS

CODE_MAX_LENGTH = 40
MAX_EXPLOITATION_FORMS = 20
MAX_SERVICES = 20
# Larger than any serial primary key: beyond it an id cannot exist (and the database would
# refuse to compare it).
MAX_ID = 2**63 - 1
DIRECTIONS = ("incoming", "outgoing")

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


class ConsentInputSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    given = StrictBooleanField(
        help_text=_("true records consent; false withdraws the earlier consent of the scope.")
    )
    given_by = serializers.ChoiceField(
        choices=ConsentGivenBy.choices,
        required=False,
        default=ConsentGivenBy.PERSON,
        help_text=_("guardian: the guardian's or best-interest decision (a child's case only)."),
    )


class ReferralCreateSerializer(serializers.Serializer):
    to_organisation = OrganisationField(help_text=_("The receiving organisation's id."))
    services = CodeListField(
        queryset=ServiceType.objects,
        max_items=MAX_SERVICES,
        help_text=_("Service codes, at least one (StatusDecision goes to the status authority)."),
    )
    reason = optional_text(REASON_MAX)
    urgency = serializers.ChoiceField(
        choices=Urgency.choices, required=False, default=Urgency.ROUTINE
    )
    transfers_lead = StrictBooleanField(
        required=False,
        default=False,
        help_text=_("On acceptance the receiving organisation becomes the lead organisation."),
    )
    consent_override_reason = TextField(
        max_length=REASON_MAX,
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text=_(
            "A supervisor of the lead organisation may refer without recorded consent, saying "
            "why. Audited as its own event; never shown in any response."
        ),
    )

    def to_domain(self) -> dict:
        """The validated body as the keyword arguments of ``create_referral``."""
        data = self.validated_data
        return {
            "to_organisation": data["to_organisation"],
            "services": data["services"],
            "reason": data["reason"] or "",
            "urgency": data["urgency"],
            "transfers_lead": data["transfers_lead"],
            "consent_override_reason": data["consent_override_reason"],
        }


class ReferralFilterSerializer(serializers.Serializer):
    """Query parameters of the referral list."""

    direction = serializers.ChoiceField(
        choices=DIRECTIONS,
        required=False,
        allow_blank=True,
        help_text=_("Received or sent by the caller's organisation; both when absent."),
    )
    state = serializers.ChoiceField(choices=ReferralState.choices, required=False, allow_blank=True)


class EmptySerializer(serializers.Serializer):
    """Actions without input: no body, or a JSON object (its keys are ignored)."""


class DeclineSerializer(serializers.Serializer):
    reason = TextField(
        max_length=REASON_MAX,
        help_text=_("Why the referral is declined; the sending organisation sees it."),
    )


class TransitionSerializer(serializers.Serializer):
    reason = TextField(
        max_length=REASON_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Required for close and the status decisions; protected, kept with the decision."
        ),
    )
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for close."),
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

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(CASE_TRANSITIONS)))
    def get_available_transitions(self, case) -> list[str]:
        """Names for POST /cases/{id}/transitions/{name}/ that the caller may take now."""
        return available_transitions(self.context["user"], case)

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


class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    scope = serializers.ChoiceField(choices=ConsentScope.choices, read_only=True)
    given = serializers.BooleanField(read_only=True)
    given_by = serializers.ChoiceField(choices=ConsentGivenBy.choices, read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)


class ReferralSerializer(serializers.Serializer):
    """A referral as its sending and receiving organisations see it in a list: no free text.

    Needs ``case`` selected and ``services`` prefetched (one query per page).
    """

    id = serializers.UUIDField(read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    state = serializers.ChoiceField(choices=ReferralState.choices, read_only=True)
    from_organisation = serializers.IntegerField(source="from_organisation_id", read_only=True)
    to_organisation = serializers.IntegerField(source="to_organisation_id", read_only=True)
    services = serializers.SerializerMethodField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, read_only=True)
    transfers_lead = serializers.BooleanField(read_only=True)
    consent_override = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_services(self, referral) -> list[str]:
        # Sorted in Python so the prefetch is used as it is.
        return sorted(service.pk for service in referral.services.all())

    def get_consent_override(self, referral) -> bool:
        """Sent without recorded consent, on a supervisor's override (reason never shown)."""
        return referral.consent_override_id is not None


class ReferralDetailSerializer(ReferralSerializer):
    """A referral with its protected free text, for its sending and receiving organisations."""

    reason = serializers.CharField(read_only=True)
    decline_reason = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decline_reason(self, referral):
        if referral.state != ReferralState.DECLINED:
            return None
        return referral.decline_reason or ""


# --- Statistics -------------------------------------------------------------------------------
# The value of each dimension in a row of a statistics table: the year is a number, every other
# dimension a code (region ISO 3166-2, nationality ISO 3166 alpha-2 or "unknown", HTCDS form, …).
STATISTICS_DIMENSION_HELP = {
    "year": _("Year of identification."),
    "region": _("Region code (ISO 3166-2), e.g. MA-06."),
    "exploitation_form": _("HTCDS exploitation form code; a case counts under each of its forms."),
    "sex": _("female, male, other or unknown."),
    "age_group": _("CTDC age band at identification, e.g. 18-20, or unknown."),
    "child": _("child or adult."),
    "nationality": _('ISO 3166 alpha-2 code, or "unknown".'),
    "stage": _("NRM stage: identification, assistance, reintegration or closed."),
    "trafficking_status": _("presumed, confirmed or not_confirmed."),
}


def _dimension_field(name: str):
    help_text = STATISTICS_DIMENSION_HELP.get(name, "")
    if name == "year":
        return serializers.IntegerField(required=False, help_text=help_text)
    return serializers.CharField(required=False, help_text=help_text)


StatisticsRowSerializer = type(
    "StatisticsRowSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "One cell: the value of each dimension asked for in ?by=, and its count.",
        **{name: _dimension_field(name) for name in STATISTICS_DIMENSIONS},
        "count": serializers.IntegerField(
            allow_null=True,
            min_value=1,
            help_text=_("The number of cases, at least k; null when suppressed."),
        ),
        "suppressed": serializers.BooleanField(
            required=False,
            help_text=_(
                "Present (true) only when the count is withheld: it is below k, or it would "
                "let a withheld count be recomputed."
            ),
        ),
    },
)


class StatisticsTableSerializer(serializers.Serializer):
    k = serializers.IntegerField(
        help_text=_("The smallest count published; smaller nonzero counts are suppressed.")
    )
    rows = StatisticsRowSerializer(
        many=True,
        help_text=_(
            "The nonzero cells (zero cells are omitted), each with the dimensions asked for in "
            "?by= (in that order) and its count."
        ),
    )
    total = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Cases counted under the year and region filters (a case once, whatever its "
            "forms); null when suppressed."
        ),
    )
