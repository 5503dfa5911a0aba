"""The plan's and the risk assessment's forms: plain fields, the services decide the rest."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.models import RiskLevel
from core.text import NOTE_MAX
from core.widgets import DateInput
from plans.models import FACTORS, Domain, NeedStatus, RiskAssessment
from plans.services import GOAL_MAX


@dataclass(frozen=True)
class NeedLinks:
    """What a need's form offers, read once for the page: the organisations that may be
    responsible, and the case's referrals and services that may meet a goal."""

    organisations: list
    referrals: list
    services: list


def need_links(case, *, referrals=None, services=None) -> NeedLinks:
    """Three queries, however many forms use them; one when the caller has read the case's
    referrals (with their receivers, newest first) and services (with their types, latest
    start first) already (the case page's ``cases.selectors.CaseWork``)."""
    if referrals is None:
        referrals = case.referrals.select_related("to_organisation").order_by("-created_at")
    if services is None:
        services = case.services.select_related("service_type").order_by("-started_on", "-id")
    return NeedLinks(
        organisations=list(Organisation.objects.filter(active=True).order_by("name")),
        referrals=list(referrals),
        services=list(services),
    )


class PlanReviewForm(forms.Form):
    review_on = forms.DateField(
        label=_("Next review of the plan"),
        widget=DateInput,
        required=False,
        help_text=_("The date the plan is reviewed with the person; empty: none set."),
    )

    def __init__(self, *args, plan=None, **kwargs):
        kwargs.setdefault("initial", {"review_on": getattr(plan, "review_on", None)})
        super().__init__(*args, prefix="plan", **kwargs)

    def to_service_kwargs(self) -> dict:
        return {"review_on": self.cleaned_data["review_on"]}


class NeedForm(forms.Form):
    """A need of the plan: its domain, goal, who works on it, by when, and what meets it."""

    domain = forms.ChoiceField(label=_("Domain"), choices=[("", _("Choose…")), *Domain.choices])
    goal = forms.CharField(
        label=_("Goal"),
        max_length=GOAL_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the person and the caseworker agreed to reach. Protected."),
    )
    responsible = forms.ChoiceField(label=_("Responsible organisation"))
    target_on = forms.DateField(label=_("Target date"), widget=DateInput, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices)
    # Plain choices, read once for every need's form (NeedLinks): a constant number of queries
    # however many needs the plan has.
    referrals = forms.MultipleChoiceField(
        label=_("Referrals that meet it"), required=False, widget=forms.CheckboxSelectMultiple
    )
    services = forms.MultipleChoiceField(
        label=_("Services that meet it"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, case, links, need=None, **kwargs):
        prefix = f"need-{need.pk}" if need is not None else "need"
        if need is not None:
            kwargs.setdefault(
                "initial",
                {
                    "goal": need.goal,
                    "responsible": str(need.responsible_id),
                    "target_on": need.target_on,
                    "status": need.status,
                    "referrals": [str(r.pk) for r in need.referrals.all()],
                    "services": [str(s.pk) for s in need.services.all()],
                },
            )
        super().__init__(*args, prefix=prefix, **kwargs)
        self.need, self.links = need, links
        if need is not None:
            # The domain is what the need is: a new need for another domain, not a change.
            del self.fields["domain"]
        else:
            self.fields["responsible"].initial = str(case.lead_organisation_id)
        self.fields["responsible"].choices = [
            ("", _("Choose…")),
            *((str(organisation.pk), organisation.name) for organisation in links.organisations),
        ]
        self.fields["referrals"].choices = [
            (
                str(r.pk),
                f"{r.to_organisation.name} · {r.created_at:%Y-%m-%d} · {r.get_state_display()}",
            )
            for r in links.referrals
        ]
        self.fields["services"].choices = [
            (
                str(s.pk),
                f"{s.service_type.label} · {s.started_on:%Y-%m-%d} · {s.get_status_display()}",
            )
            for s in links.services
        ]

    def to_service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        referrals = {str(r.pk): r for r in self.links.referrals}
        services = {str(s.pk): s for s in self.links.services}
        data["referrals"] = [referrals[pk] for pk in data["referrals"]]
        data["services"] = [services[pk] for pk in data["services"]]
        organisations = {str(o.pk): o for o in self.links.organisations}
        data["responsible"] = organisations.get(data["responsible"])
        return data

    def to_changes(self) -> dict:
        return self.to_service_kwargs()


class NeedUpdateForm(NeedForm):
    """The form of one need of the plan (its own prefix and values; the domain stays)."""

    def __init__(self, *args, case, links, need, **kwargs):
        super().__init__(*args, case=case, links=links, need=need, **kwargs)


class RiskAssessmentForm(forms.Form):
    traffickers_contact = forms.ChoiceField(choices=RiskLevel.choices, widget=forms.RadioSelect)
    retrafficking = forms.ChoiceField(choices=RiskLevel.choices, widget=forms.RadioSelect)
    return_risk = forms.ChoiceField(choices=RiskLevel.choices, widget=forms.RadioSelect)
    family_risk = forms.ChoiceField(choices=RiskLevel.choices, widget=forms.RadioSelect)
    level = forms.ChoiceField(
        label=_("Overall level"),
        choices=[("", _("Choose…")), *RiskLevel.choices],
        help_text=_("A high level flags the case for every organisation working on it."),
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    notes = forms.CharField(
        label=_("What the assessment found"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Protected; shown to the organisations that see the person's identity."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="risk", **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate
        for name in FACTORS:
            label = RiskAssessment._meta.get_field(name).verbose_name
            self.fields[name].label = label[:1].upper() + label[1:]

    def to_service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "factors": {name: data[name] for name in FACTORS},
            "level": data["level"],
            "assessed_on": data["assessed_on"],
            "notes": data["notes"],
        }
