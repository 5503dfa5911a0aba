"""The task forms: a follow-up added on the case page, a task given to someone else, the
list's filters. Plain fields: the services check the values and their errors come back onto
these forms (``cases.forms.add_service_errors``)."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Stage
from core.widgets import DateInput
from tasks import rules, selectors
from tasks.models import TaskState
from tasks.services import TITLE_MAX


class AssignToField(forms.ChoiceField):
    """One choice of where a task goes: an organisation, or one of its members."""

    def __init__(self, *, targets, **kwargs):
        self.targets = {value: (org_id, member) for value, _label, org_id, member in targets}
        super().__init__(choices=[(value, label) for value, label, *_rest in targets], **kwargs)

    def target(self, value) -> dict:
        organisation, assignee = self.targets[value]
        return {"organisation": organisation, "assignee": assignee}


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("What is to be done"),
        max_length=TITLE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept encrypted. Shown to the organisation it is given to and the lead."),
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)

    def __init__(self, *args, user, case, targets=None, **kwargs):
        super().__init__(*args, prefix="task", **kwargs)
        if targets is None:
            targets = selectors.assignment_targets(user, case)
        self.fields["assign_to"] = AssignToField(label=_("Given to"), targets=targets)

    def to_service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "due_on": data["due_on"],
            **self.fields["assign_to"].target(data["assign_to"]),
        }


class ReassignForm(forms.Form):
    def __init__(self, *args, user, task, targets=None, **kwargs):
        super().__init__(*args, auto_id=f"id_task_{task.pk.hex}_%s", **kwargs)
        self.task = task
        if targets is None:
            targets = selectors.assignment_targets(user, task.case)
        self.fields["assign_to"] = AssignToField(label=_("Give it to"), targets=targets)

    def to_service_kwargs(self) -> dict:
        return self.fields["assign_to"].target(self.cleaned_data["assign_to"])


class TaskFilterForm(forms.Form):
    due = forms.ChoiceField(
        label=_("Due"),
        choices=[
            ("", _("Any day")),
            (selectors.OVERDUE, _("Overdue")),
            (selectors.TODAY, _("Today")),
            (selectors.WEEK, _("Within a week")),
        ],
        required=False,
    )
    scope = forms.ChoiceField(
        label=_("Whose"),
        choices=[
            ("", _("My organisation's and its cases'")),
            (selectors.MINE, _("Given to me")),
            (selectors.ORGANISATION, _("Given to my organisation")),
        ],
        required=False,
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[*TaskState.choices, ("", _("All"))],
        required=False,
    )

    def query(self) -> dict:
        """The selector's arguments: open tasks unless another state (or all) was asked."""
        if not self.is_bound:
            return {"state": TaskState.OPEN}
        if not self.is_valid():
            return {"state": TaskState.OPEN}
        data = self.cleaned_data
        state = data["state"] if "state" in self.data else TaskState.OPEN
        return {"due": data["due"], "scope": data["scope"], "state": state}


@dataclass
class CaseTasks:
    """The case page's follow-ups: the tasks the user sees, the form to add one (when the
    rules allow it), and on each task the user may settle ``may_settle`` and a
    ``reassign_form``."""

    tasks: list
    form: TaskForm | None


def case_section(user, case, *, relations, bound=None) -> CaseTasks:
    """The follow-ups of the case page, in a bounded number of queries (the tasks, and the
    places a task may go when a form is offered); ``bound`` is a submitted task form shown
    again (its values and errors)."""
    closed = case.stage == Stage.CLOSED
    tasks = list(selectors.case_tasks(user, case))
    offer_add = not closed and rules.may_on_case(user, "add_task", case, relations=relations)
    settled_by_user = [
        task
        for task in tasks
        if task.is_open and not closed and rules.may(user, "complete_task", task)
    ]
    targets = selectors.assignment_targets(user, case) if offer_add or settled_by_user else []
    for task in tasks:
        task.case = case
        task.overdue = task.is_overdue()
        task.may_settle = task in settled_by_user
        if task.may_settle and rules.may(user, "reassign_task", task):
            if isinstance(bound, ReassignForm) and bound.task.pk == task.pk:
                task.reassign_form = bound
            else:
                task.reassign_form = ReassignForm(
                    user=user, task=task, targets=targets, initial={"assign_to": _current(task)}
                )
    form = None
    if offer_add:
        form = (
            bound
            if isinstance(bound, TaskForm)
            else TaskForm(user=user, case=case, targets=targets)
        )
    return CaseTasks(tasks=tasks, form=form)


def _current(task) -> str:
    return f"user:{task.assignee_id}" if task.assignee_id else f"org:{task.organisation_id}"
