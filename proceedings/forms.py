"""The case page's proceedings forms: a new proceeding, a change of one, a hearing, a
protection measure and its decision. Plain fields: the services check the values and their
errors come back onto these forms (``cases.forms.add_service_errors``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import NOTE_MAX
from core.widgets import DateInput
from proceedings.models import (
    COURT_MAX,
    CompensationStatus,
    HearingPurpose,
    MeasureDecision,
    MeasureKind,
    MeasureStatus,
    PartyRole,
    ProceedingKind,
)
from proceedings.selectors import CaseProceedings
from proceedings.services import OUTCOME_MAX, REFERENCE_MAX, REPRESENTATION_MAX


class ProceedingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProceedingKind.choices)
    court_or_prosecutor = forms.CharField(
        label=_("Court or prosecutor's office"), max_length=COURT_MAX, required=False
    )
    role = forms.ChoiceField(label=_("The person's role"), choices=PartyRole.choices)
    reference = forms.CharField(
        label=_("Proceeding reference"),
        max_length=REFERENCE_MAX,
        required=False,
        help_text=_("The court's or the prosecutor's file number. Kept encrypted."),
    )
    legal_representation = forms.CharField(
        label=_("Legal representation"),
        max_length=REPRESENTATION_MAX,
        required=False,
        help_text=_("Who represents the person (lawyer, legal aid). Kept encrypted."),
    )
    compensation_status = forms.ChoiceField(
        label=_("Compensation claim"),
        choices=CompensationStatus.choices,
        initial=CompensationStatus.NONE,
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept encrypted."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "proceeding")
        super().__init__(*args, **kwargs)

    def to_service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ProceedingUpdateForm(ProceedingForm):
    """One proceeding's fields, as they are."""

    def __init__(self, *args, proceeding, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                name: getattr(proceeding, name)
                for name in (
                    "kind",
                    "court_or_prosecutor",
                    "role",
                    "reference",
                    "legal_representation",
                    "compensation_status",
                    "notes",
                )
            },
        )
        super().__init__(*args, prefix=f"proceeding-{proceeding.pk}", **kwargs)
        self.proceeding = proceeding

    def to_changes(self) -> dict:
        return dict(self.cleaned_data)


class HearingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date"), widget=DateInput, required=False, help_text=_("A date to come, or past.")
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=HearingPurpose.choices)
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=OUTCOME_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Once it is held. Kept encrypted."),
    )

    def __init__(self, *args, proceeding, **kwargs):
        super().__init__(*args, prefix=f"hearing-{proceeding.pk}", **kwargs)
        self.proceeding = proceeding

    def to_service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class MeasureForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    asked_on = forms.DateField(label=_("Asked on"), widget=DateInput, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=MeasureStatus.choices, initial=MeasureStatus.ASKED
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        widget=DateInput,
        required=False,
        help_text=_("For a measure granted or refused."),
    )

    def __init__(self, *args, proceeding, **kwargs):
        super().__init__(*args, prefix=f"measure-{proceeding.pk}", **kwargs)
        self.proceeding = proceeding
        self.fields["asked_on"].initial = timezone.localdate

    def to_service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class MeasureDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=MeasureDecision.choices,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput, required=False)

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, prefix=f"decide-{measure.pk}", **kwargs)
        self.measure = measure
        self.fields["decided_on"].initial = timezone.localdate

    def to_service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


PER_PROCEEDING = (
    ("update_form", ProceedingUpdateForm),
    ("hearing_form", HearingForm),
    ("measure_form", MeasureForm),
)


def give_proceeding_forms(section: CaseProceedings | None, bound=None) -> bool:
    """Give a writer's section its forms: a new proceeding's, and on each proceeding its
    change, hearing and measure forms and a decision form on each measure still asked. The
    submitted form ``bound`` takes the place of the one it was; returns whether it was placed.
    """
    if section is None or not section.may_write:
        return False
    placed = False
    if isinstance(bound, ProceedingForm) and not isinstance(bound, ProceedingUpdateForm):
        section.add_form, placed = bound, True
    else:
        section.add_form = ProceedingForm()
    for proceeding in section.proceedings:
        for name, form_class in PER_PROCEEDING:
            mine = type(bound) is form_class and bound.proceeding.pk == proceeding.pk
            setattr(proceeding, name, bound if mine else form_class(proceeding=proceeding))
            placed = placed or mine
        for measure in proceeding.protection_measures.all():
            if measure.status != MeasureStatus.ASKED:
                continue
            mine = isinstance(bound, MeasureDecisionForm) and bound.measure.pk == measure.pk
            measure.decision_form = bound if mine else MeasureDecisionForm(measure=measure)
            placed = placed or mine
    return placed
