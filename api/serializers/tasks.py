"""Shapes of tasks and follow-ups: a new one, one given to someone else, the list's filters,
and a task as the API shows it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.common import OrganisationField, TextField
from tasks.models import TaskKind, TaskState
from tasks.selectors import DUE_CHOICES, MINE, ORGANISATION
from tasks.services import TITLE_MAX

USERNAME_MAX = 150
# The list's state filter: a task state, or every one (its own enum in the schema).
STATE_FILTER_CHOICES = [*TaskState.values, "all"]


class TaskTargetSerializer(serializers.Serializer):
    organisation = OrganisationField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "The organisation the task is given to: the caller's own (the default), or from "
            "the lead organisation another organisation with an accepted referral on the case."
        ),
    )
    assignee = TextField(
        max_length=USERNAME_MAX,
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text=_("The username of an active member of that organisation; null: nobody."),
    )


class TaskInputSerializer(TaskTargetSerializer):
    title = TextField(max_length=TITLE_MAX, help_text=_("What is to be done; protected."))
    due_on = serializers.DateField(help_text=_("Today or later."))


class TaskFilterSerializer(serializers.Serializer):
    due = serializers.ChoiceField(
        choices=DUE_CHOICES,
        required=False,
        default="",
        help_text=_(
            "overdue: past their due time; today: due today, not yet overdue; week: due "
            "within seven days, the overdue included. Closed cases' tasks are left out."
        ),
    )
    scope = serializers.ChoiceField(
        choices=[MINE, ORGANISATION],
        required=False,
        default="",
        help_text=_(
            "mine: given to the caller; organisation: given to the caller's organisation. "
            "Absent: those and the tasks of the cases the organisation leads."
        ),
    )
    state = serializers.ChoiceField(
        choices=STATE_FILTER_CHOICES,
        required=False,
        default=TaskState.OPEN,
        help_text=_("open (the default), done, dropped or all."),
    )

    def to_query(self) -> dict:
        data = self.validated_data
        state = "" if data["state"] == "all" else data["state"]
        return {"due": data["due"], "scope": data["scope"], "state": state}


class TaskSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    reference = serializers.CharField(source="case.reference", read_only=True)
    kind = serializers.ChoiceField(choices=TaskKind.choices, read_only=True)
    title = serializers.CharField(
        source="display_title",
        read_only=True,
        help_text=_("The title given, or for a task the system made, the words of its kind."),
    )
    due_on = serializers.DateField(read_only=True)
    due_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("The hour it is due, for what is counted in hours (a referral's answer)."),
    )
    overdue = serializers.SerializerMethodField()
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    assignee = serializers.CharField(source="assignee.username", read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=TaskState.choices, read_only=True)
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True
    )
    done_by = serializers.CharField(source="done_by.username", read_only=True, allow_null=True)
    done_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_overdue(self, task) -> bool:
        return task.is_overdue()
