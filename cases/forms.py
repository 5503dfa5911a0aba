"""Forms for case registration and the case list. Plain fields: the service assigns."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Sex, Stage
from cases.services import CaseData, PersonData
from reference.models import ExploitationForm, Nationality, Region

NAME_MAX = 200
PHONE_MAX = 50
ADDRESS_MAX = 500
DOCUMENT_MAX = 100
SUMMARY_MAX = 10000


def not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date cannot be in the future."))


class DateInput(forms.DateInput):
    input_type = "date"


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
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    nationality = forms.ModelChoiceField(
        label=_("Nationality"), queryset=Nationality.objects.active(), required=False
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
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.active())
    exploitation_forms = forms.ModelMultipleChoiceField(
        label=_("Forms of exploitation"),
        queryset=ExploitationForm.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one form of exploitation.")},
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
        )
        return person, case


class CaseFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *Stage.choices], required=False
    )
    q = forms.CharField(
        label=_("Reference"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "MA-2026-000123"}),
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        if stage := self.cleaned_data["stage"]:
            queryset = queryset.filter(stage=stage)
        if q := self.cleaned_data["q"].strip().upper():
            queryset = queryset.filter(reference__startswith=q)
        return queryset
