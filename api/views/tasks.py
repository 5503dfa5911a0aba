"""Tasks and follow-ups: a case's tasks and a new one, the caller's due tasks, and a task
marked done, dropped or given to someone else (one POST per action, as the referrals'
answers are: each is its own transition with its own rule)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.exceptions import django_error_detail
from api.pagination import Pagination
from api.permissions import HasCaseAccess
from api.serializers.tasks import (
    TaskFilterSerializer,
    TaskInputSerializer,
    TaskSerializer,
    TaskTargetSerializer,
)
from api.views.common import CASE_ID, parse_id, validated
from audit.entries import record_access
from cases import selectors as case_selectors
from cases.rules import case_relations
from tasks import rules, selectors
from tasks.services import complete_task, create_task, drop_task, reassign_task

TASK_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description=_("The task's UUID."))
LIST_RESPONSES = {**schema.UNAUTHENTICATED, **schema.FORBIDDEN, **schema.NOT_FOUND}
CHANGE_RESPONSES = {
    **schema.BAD_REQUEST,
    **schema.UNAUTHENTICATED,
    **schema.FORBIDDEN,
    **schema.NOT_FOUND,
    **schema.CONFLICT,
}


def _target(data, *, organisation_id) -> dict:
    """The organisation and assignee of a validated body; the username is looked up among
    that organisation's active members only (no other username is confirmed)."""
    organisation = data["organisation"]
    org_id = organisation.pk if organisation is not None else organisation_id
    assignee = None
    if data["assignee"]:
        assignee = selectors.assignable_members(org_id).filter(username=data["assignee"]).first()
        if assignee is None:
            raise ValidationError({"assignee": [rules.NOT_A_MEMBER]})
    return {"organisation": organisation, "assignee": assignee}


def _service_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(django_error_detail(exc))


class CaseTaskListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = TaskSerializer

    @extend_schema(
        operation_id="cases_tasks_list",
        summary=_("The tasks of a case the caller sees"),
        description=_(
            "Those given to the caller's organisation, and every task of a case it leads; "
            "open ones soonest first, then the settled. Each call writes an access entry to "
            "the audit log."
        ),
        parameters=[CASE_ID],
        responses={200: TaskSerializer(many=True), **LIST_RESPONSES},
    )
    def get(self, request, id):
        case = case_selectors.case_for_work(request.user, parse_id(id))
        record_access(case, actor=request.user, request=request, channel="api", read="tasks")
        page = self.paginate_queryset(selectors.case_tasks(request.user, case))
        return self.get_paginated_response(TaskSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_tasks_create",
        summary=_("Add a follow-up to a case"),
        description=_(
            "Lead organisation or an organisation with an accepted referral, frontline roles "
            "(403 for others). Given to the caller's organisation unless the lead gives it to "
            "another organisation working on the case; optionally to one of its active "
            "members, who is told. 409 invalid_transition for a closed case."
        ),
        parameters=[CASE_ID],
        request=TaskInputSerializer,
        responses={201: TaskSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        user = request.user
        case = case_selectors.case_for_work(user, parse_id(id))
        # The rule is asked before the body is read, so a 403 wins over a 400 (API.md).
        rules.require_on_case(user, "add_task", case, relations=case_relations(user, case))
        data = validated(TaskInputSerializer, request).validated_data
        target = _target(data, organisation_id=user.organisation_id)
        try:
            task = create_task(
                case, actor=user, title=data["title"], due_on=data["due_on"], **target
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = TaskSerializer

    @extend_schema(
        operation_id="tasks_list",
        summary=_("The caller's tasks"),
        description=_(
            "Given to the caller's organisation or the caller, and those of the cases the "
            "organisation leads; soonest first, the caller's own first on the same day. "
            "An unknown filter value is a 400."
        ),
        parameters=[TaskFilterSerializer],
        responses={200: TaskSerializer(many=True), **schema.BAD_REQUEST, **LIST_RESPONSES},
    )
    def get(self, request):
        filters = TaskFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        tasks = selectors.tasks_for_list(request.user, **filters.to_query())
        page = self.paginate_queryset(tasks)
        return self.get_paginated_response(TaskSerializer(page, many=True).data)


class _TaskActionView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]
    rule = ""

    def act(self, request, task):
        raise NotImplementedError

    def post(self, request, id):
        task = selectors.task_for_work(request.user, parse_id(id))
        # The rule is asked before the body is read, so a 403 wins over a 400 (API.md).
        rules.require(request.user, self.rule, task)
        task = self.act(request, task)
        task = selectors.task_for_work(request.user, task.pk)
        return Response(TaskSerializer(task).data)


SETTLE_DESCRIPTION = _(
    "Members of the organisation the task is given to (403 for others; 404 for a task the "
    "caller does not see). 409 invalid_transition for a task already done or dropped, or a "
    "closed case. 200 with the task."
)


class TaskDoneView(_TaskActionView):
    rule = "complete_task"

    @extend_schema(
        operation_id="tasks_done",
        summary=_("Mark a task done"),
        description=SETTLE_DESCRIPTION,
        parameters=[TASK_ID],
        request=None,
        responses={200: TaskSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        return super().post(request, id)

    def act(self, request, task):
        return complete_task(task, actor=request.user)


class TaskDropView(_TaskActionView):
    rule = "drop_task"

    @extend_schema(
        operation_id="tasks_drop",
        summary=_("Drop a task that is no longer needed"),
        description=SETTLE_DESCRIPTION,
        parameters=[TASK_ID],
        request=None,
        responses={200: TaskSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        return super().post(request, id)

    def act(self, request, task):
        return drop_task(task, actor=request.user)


class TaskReassignView(_TaskActionView):
    rule = "reassign_task"

    @extend_schema(
        operation_id="tasks_reassign",
        summary=_("Give a task to someone else"),
        description=_(
            "Members of the organisation the task is given to: to another of its members (or "
            'nobody: "assignee" null), or from the lead organisation to another organisation '
            "working on the case. The new assignee (else organisation) is told. 409 "
            "invalid_transition for a task already done or dropped, or a closed case. 200 "
            "with the task."
        ),
        parameters=[TASK_ID],
        request=TaskTargetSerializer,
        responses={200: TaskSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        return super().post(request, id)

    def act(self, request, task):
        data = validated(TaskTargetSerializer, request).validated_data
        target = _target(data, organisation_id=task.organisation_id)
        try:
            return reassign_task(task, actor=request.user, **target)
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
