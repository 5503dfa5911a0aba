"""Task pages: the list of tasks (due, mine or my organisation's, by state), a follow-up
added from the case page, a task marked done, dropped or given to someone else. Each is one
call of a selector or a service; the rules live in ``tasks.rules``.

The case page's form reuses the case page's own refusal handling (``cases.views._act`` and
``case_page``): a refused follow-up shows the case page again with the form as typed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.forms import add_service_errors
from cases.models import Stage
from cases.rules import can_access_cases
from cases.views import _act, case_page
from core.decorators import user_passes_rule
from core.errors import Conflict
from core.pagination import counted_page
from tasks import rules, selectors
from tasks.forms import ReassignForm, TaskFilterForm, TaskForm
from tasks.services import complete_task, create_task, drop_task, reassign_task

PAGE_SIZE = 50
# Where an action on a task returns: the page its button was on (a name, never a URL).
CASE_PAGE = "case"


def _list_page(request):
    form = TaskFilterForm(request.GET or None)
    query = form.query()
    tasks = selectors.tasks_for_list(request.user, **query)
    page = counted_page(tasks, request.GET.get("page"), per_page=PAGE_SIZE)
    for task in page.object_list:
        task.overdue = task.is_overdue()
        task.may_settle = (
            task.is_open
            and task.case.stage != Stage.CLOSED
            and rules.may(request.user, "complete_task", task)
        )
    get = request.GET.copy()
    get.pop("page", None)
    context = {"page": page, "form": form, "query": get.urlencode()}
    return render(request, "tasks/list.html", context)


@user_passes_rule(can_access_cases)
def task_list(request):
    return _list_page(request)


@user_passes_rule(can_access_cases)
@require_POST
def add_task(request, case_id):
    case = case_selectors.case_for_work(request.user, case_id)
    form = TaskForm(request.POST, user=request.user, case=case)
    return _act(request, case, create_task, form, _("Follow-up added."))


def _back(request, task):
    if request.POST.get("next") == CASE_PAGE:
        return redirect("cases:detail", case_id=task.case_id)
    return redirect("tasks:list")


def _settle(request, task_id, service, done: str):
    task = selectors.task_for_work(request.user, task_id)
    try:
        service(task, actor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(request, task)


@user_passes_rule(can_access_cases)
@require_POST
def task_done(request, task_id):
    return _settle(request, task_id, complete_task, _("Follow-up done."))


@user_passes_rule(can_access_cases)
@require_POST
def task_drop(request, task_id):
    return _settle(request, task_id, drop_task, _("Follow-up dropped."))


@user_passes_rule(can_access_cases)
@require_POST
def task_reassign(request, task_id):
    """A refused choice shows the case page again (the form is offered there), the form as
    typed (400)."""
    task = selectors.task_for_work(request.user, task_id)
    # Asked before the form is read: a 403 wins over a 400, as in the API.
    rules.require(request.user, "reassign_task", task)
    form = ReassignForm(request.POST, user=request.user, task=task)
    if form.is_valid():
        try:
            reassign_task(task, actor=request.user, **form.to_service_kwargs())
        except Conflict as error:
            messages.error(request, error.message)
            return _back(request, task)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Follow-up passed on."))
            return _back(request, task)
    return case_page(request, task.case_id, bound=form, status=400)
