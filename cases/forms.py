"""Forms for case registration, the case list and the work on a case. Plain fields: the
service assigns and validates."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.dispatch import CASE_TRANSITIONS
from cases.models import (
    ClosureReason,
    ConsentGivenBy,
    ConsentScope,
    NoteKind,
    NoteVisibility,
    RiskLevel,
    ServiceStatus,
    Sex,
    Stage,
    TraffickingStatus,
)
from cases.queries import is_search, parse_case_list_query
from cases.registration import CaseData, PersonData
from core.choices import ReadModelChoiceField
from core.text import NOTE_MAX, REASON_MAX
from core.widgets import DateInput
from reference.choices import LabelOrderedChoiceField, LabelOrderedMultipleChoiceField, labelled
from reference.models import (
    STATUS_DECISION_SERVICE,
    ExploitationForm,
    Language,
    MeansOfControl,
    Nationality,
    RecruitmentMethod,
    Region,
    ServiceType,
    TraffickerRelationship,
)

NAME_MAX = 200
PHONE_MAX = 50
ADDRESS_MAX = 500
DOCUMENT_MAX = 100
SUMMARY_MAX = 10000


def not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date cannot be in the future."))


class RegistrationForm(forms.Form):
    given_name = forms.CharField(
        label=_("Given name or alias"),
        max_length=NAME_MAX,
        help_text=_("The name or the alias the person gives."),
    )
    family_name = forms.CharField(label=_("Family name"), max_length=NAME_MAX, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=DateInput, validators=[not_in_future]
    )
    # No value chosen in advance: the person's sex is asked, never assumed.
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", _("Choose…")), *Sex.choices],
        error_messages={"required": _("Choose the person's sex, or “Unknown”.")},
    )
    nationality = LabelOrderedChoiceField(
        label=_("Nationality"),
        queryset=Nationality.objects.active(),
        required=False,
    )
    document_number = forms.CharField(
        label=_("Identity document number"), max_length=DOCUMENT_MAX, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=PHONE_MAX, required=False)
    address = forms.CharField(
        label=_("Address or place of stay"), max_length=ADDRESS_MAX, required=False
    )
    is_child = forms.BooleanField(
        label=_("The person is a child (under 18)"),
        required=False,
        help_text=_("Tick when the person is or may be under 18, even without a date of birth."),
    )
    identified_on = forms.DateField(
        label=_("Identified on"), widget=DateInput, validators=[not_in_future]
    )
    region = LabelOrderedChoiceField(label=_("Region"), queryset=Region.objects.active())
    exploitation_forms = LabelOrderedMultipleChoiceField(
        label=_("Forms of exploitation"),
        queryset=ExploitationForm.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one form of exploitation.")},
    )
    languages = LabelOrderedMultipleChoiceField(
        label=_("Languages spoken"),
        queryset=Language.objects.active(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices-scroll"}),
        required=False,
    )
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    # The trafficking context (HTCDS 2.0): what is known, each part optional.
    means_of_control = LabelOrderedMultipleChoiceField(
        label=_("Means of control"),
        queryset=MeansOfControl.objects.active(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices-scroll"}),
        required=False,
    )
    recruitment_method = LabelOrderedChoiceField(
        label=_("Method of recruitment"),
        queryset=RecruitmentMethod.objects.active(),
        required=False,
        empty_label=_("Not known"),
    )
    trafficker_relationship = LabelOrderedChoiceField(
        label=_("Relationship to the trafficker"),
        queryset=TraffickerRelationship.objects.active(),
        required=False,
        empty_label=_("Not known"),
    )
    exploitation_country = LabelOrderedChoiceField(
        label=_("Country of exploitation"),
        queryset=Nationality.objects.active(),
        required=False,
        empty_label=_("Not known"),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Circumstances of identification and immediate needs. Protected."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identified_on"].initial = timezone.localdate

    def to_service_data(self) -> tuple[PersonData, CaseData]:
        data = self.cleaned_data
        person = PersonData(
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            sex=data["sex"],
            nationality=data["nationality"],
            document_number=data["document_number"],
            phone=data["phone"],
            address=data["address"],
        )
        case = CaseData(
            identified_on=data["identified_on"],
            region=data["region"],
            exploitation_forms=list(data["exploitation_forms"]),
            is_child=data["is_child"],
            summary=data["summary"],
            languages=list(data["languages"]),
            interpreter_needed=data["interpreter_needed"],
            means_of_control=list(data["means_of_control"]),
            recruitment_method=data["recruitment_method"],
            trafficker_relationship=data["trafficker_relationship"],
            exploitation_country=data["exploitation_country"],
        )
        return person, case


class CorrectionForm(RegistrationForm):
    """The record as registered, to correct, with the reason for the change. The
    identification date is not corrected here."""

    change_reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was wrong, and where the right value comes from. Protected."),
    )

    def __init__(self, *args, case=None, **kwargs):
        if case is not None and not args and "data" not in kwargs:
            kwargs["initial"] = initial_of(case)
        super().__init__(*args, **kwargs)
        del self.fields["identified_on"]

    def to_changes(self) -> dict:
        """Every field of the form as the service's changes (it writes those that differ)."""
        data = dict(self.cleaned_data)
        data.pop("change_reason")
        data["exploitation_forms"] = list(data["exploitation_forms"])
        data["languages"] = list(data["languages"])
        data["means_of_control"] = list(data["means_of_control"])
        return data


def initial_of(case) -> dict:
    """The correction form's values from the record (the identity decrypted for the form)."""
    person = case.person
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "document_number": person.document_number,
        "phone": person.phone,
        "address": person.address,
        "sex": case.sex,
        "nationality": case.nationality_id,
        "region": case.region_id,
        "is_child": case.is_child,
        "exploitation_forms": [f.pk for f in case.exploitation_forms.all()],
        "languages": [language.pk for language in case.languages.all()],
        "interpreter_needed": case.interpreter_needed,
        "means_of_control": [means.pk for means in case.means_of_control.all()],
        "recruitment_method": case.recruitment_method_id,
        "trafficker_relationship": case.trafficker_relationship_id,
        "exploitation_country": case.exploitation_country_id,
        "summary": case.summary,
    }


YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class CaseFilterForm(forms.Form):
    """The case list's search and filters. Plain text fields under the API's parameter names
    (``q`` is the reference): ``cases.queries`` parses them for the page and the API alike."""

    q = forms.CharField(
        label=_("Reference"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2026-0001"}),
        help_text=_("Any part of it."),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        help_text=_("A given or family name, exactly as written (accents and case do not matter)."),
    )
    date_of_birth = forms.CharField(label=_("Date of birth"), required=False, widget=DateInput())
    document_number = forms.CharField(label=_("Document number"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *Stage.choices], required=False
    )
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"),
        choices=[("", _("Any")), *TraffickingStatus.choices],
        required=False,
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    exploitation_form = forms.ChoiceField(label=_("Exploitation"), required=False)
    is_child = forms.ChoiceField(label=_("Child"), choices=YES_NO, required=False)
    identified_from = forms.CharField(
        label=_("Identified from"),
        required=False,
        widget=DateInput(),
    )
    identified_to = forms.CharField(
        label=_("Identified until"),
        required=False,
        widget=DateInput(),
    )
    consent_missing = forms.BooleanField(label=_("Referral consent missing"), required=False)
    risk_level = forms.ChoiceField(
        label=_("Risk"), choices=[("", _("Any")), *RiskLevel.choices], required=False
    )
    assigned_to_me = forms.BooleanField(label=_("Assigned to me"), required=False)
    led_by_me = forms.BooleanField(label=_("My organisation leads"), required=False)

    # The fields shown at first; the others open on demand (the template's "More filters").
    MAIN = ("q", "name", "stage")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", _("All regions")),
            *labelled(Region.objects.active()),
        ]
        self.fields["exploitation_form"].choices = [
            ("", _("Any")),
            *labelled(ExploitationForm.objects.active()),
        ]

    def params(self) -> dict:
        """The form's data under the API's parameter names."""
        data = {name: self.data.get(name, "") for name in self.fields if name != "q"}
        data["reference"] = self.data.get("q", "")
        return data

    def more_filters(self) -> bool:
        """Whether a filter beyond the main ones is set (the template opens them)."""
        return any(self.data.get(name) for name in self.fields if name not in self.MAIN)

    def searches(self) -> bool:
        """Whether the list looks a case up (a throttled search) rather than only narrowing."""
        return self.is_bound and is_search(self.params())

    def query(self):
        """The parsed question, or None with the parser's errors on the form."""
        try:
            return parse_case_list_query(self.params())
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error("q" if field == "reference" else field, messages)
            return None


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# Plain fields and no required flags beyond what the form cannot do without: the service
# functions decide what an action needs, and their ValidationErrors come back onto the form.


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("Consent to"), choices=ConsentScope.choices)
    given = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Given")), ("no", _("Withdrawn or refused"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    given_by = forms.ChoiceField(
        label=_("Given by"),
        choices=ConsentGivenBy.choices,
        initial=ConsentGivenBy.GUARDIAN,
        help_text=_(
            "The person is a child: record the decision of the guardian, or the best-interest "
            "decision where there is no guardian. Choose “the person” only where the law lets "
            "the child decide."
        ),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, prefix="consent", **kwargs)
        if not case.is_child:
            # A guardian decides for a child only; an adult's consent is the person's own.
            del self.fields["given_by"]

    def to_service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "scope": data["scope"],
            "given": data["given"],
            # An adult's form has no such field: the service takes the person's own.
            "given_by": data.get("given_by") or None,
        }


class TransitionForm(forms.Form):
    closure_reason = forms.ChoiceField(
        label=_("Why is the case closed?"),
        choices=[("", "—"), *ClosureReason.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Protected; kept with the decision."),
    )

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, prefix=name, **kwargs)
        self.name = name
        action = CASE_TRANSITIONS.get(name)
        self.label = action.label if action else name
        if not (action and action.asks_closure_reason):
            del self.fields["closure_reason"]

    def to_service_kwargs(self) -> dict:
        return {
            "reason": self.cleaned_data["reason"],
            "closure_reason": self.cleaned_data.get("closure_reason", ""),
        }


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices)
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=[("", _("Default for the kind")), *NoteVisibility.choices],
        required=False,
        help_text=_("By default medical and psychological notes stay within your organisation."),
    )
    body = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="note", **kwargs)

    def to_service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "visibility": data["visibility"] or None,
            "body": data["body"],
        }


class ServiceRecordForm(forms.Form):
    service_type = LabelOrderedChoiceField(
        label=_("Service"),
        # The status decision is the authority's, recorded as a transition, not a service.
        queryset=ServiceType.objects.active().exclude(code=STATUS_DECISION_SERVICE),
    )
    started_on = forms.DateField(
        label=_("Started on"),
        widget=DateInput,
        help_text=_("A planned service may start in the future."),
    )
    ended_on = forms.DateField(
        label=_("Ended on"),
        widget=DateInput,
        required=False,
        help_text=_("For a completed or stopped service."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ServiceStatus.choices, initial=ServiceStatus.ONGOING
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="service", **kwargs)
        self.fields["started_on"].initial = timezone.localdate

    def to_service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ServiceUpdateForm(forms.Form):
    """One service's status and dates, offered the statuses its state machine reaches."""

    status = forms.ChoiceField(label=_("Status"))
    started_on = forms.DateField(label=_("Started on"), widget=DateInput, required=False)
    ended_on = forms.DateField(
        label=_("Ended on"),
        widget=DateInput,
        required=False,
        help_text=_("For a completed or stopped service."),
    )

    def __init__(self, *args, record, **kwargs):
        kwargs.setdefault(
            "initial",
            {"status": record.status, "started_on": record.started_on, "ended_on": record.ended_on},
        )
        super().__init__(*args, prefix=f"service-{record.pk}", **kwargs)
        self.record = record
        reachable = {record.status, *(t.target for t in record.get_available_status_transitions())}
        self.fields["status"].choices = [
            (value, label) for value, label in ServiceStatus.choices if value in reachable
        ]

    def to_changes(self) -> dict:
        return dict(self.cleaned_data)


class AssignForm(forms.Form):
    """Who of the lead organisation follows the case (empty: nobody)."""

    assignee = ReadModelChoiceField(
        label=_("Assigned to"),
        queryset=None,
        required=False,
        empty_label=_("Nobody"),
        to_field_name="username",
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        self.fields["assignee"].queryset = users
        self.fields["assignee"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )

    def to_service_kwargs(self) -> dict:
        return {"assignee": self.cleaned_data["assignee"]}
