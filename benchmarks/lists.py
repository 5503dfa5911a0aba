"""The case list, page 1 and page 100 of 50, scoped, unscoped (the floor) and guardian's way.

Three querysets give the same page shape (the list's ``select_related``, prefetched forms,
ordering and a ``can_view_identity`` column), differing only in how visibility is decided:

- scoped: ``cases.selectors.cases_for_list``, the application's query: an ``EXISTS`` on the
  direct-FK table ``cases_casegroupobjectpermission`` (indexed UUID) for the user's group, for
  ``view_case`` and again for the ``view_identity`` flag;
- floor: the same page of every case, no visibility at all (the flag a constant): what the
  list costs when scoping is free;
- guardian: what the common Django way computes, ``guardian.shortcuts.get_objects_for_user(
  user, "cases.view_case", klass=Case, accept_global_perms=False, with_superuser=False)`` on
  guardian's generic ``guardian_groupobjectpermission`` (text ``object_pk`` + content type),
  the identity flag from a second ``get_objects_for_user(..., "cases.view_identity")``.

The project keeps no case grant in guardian's generic table, so ``generic_grants`` copies the
direct-FK rows there (the same groups, permissions and cases, ``object_pk`` as text), refreshes
the planner's statistics, and turns the direct model off for guardian (its documented
``enabled = False`` switch) for the block; the copy is made in a transaction rolled back at the
end, so nothing stays. The rows are uncommitted but the session's own: reading them costs no
more than committed rows, and the guardian timings run in that transaction, as the owner role
(``ANALYZE`` needs it); the scoped and floor timings run outside it, as the serving role.
"""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from guardian.models import GroupObjectPermission
from guardian.shortcuts import get_objects_for_user

from cases.models import Case, CaseGroupObjectPermission
from cases.selectors import LIST_JOINS, LIST_REFERENCE_ROWS
from cases.views import PAGE_SIZE
from database.roles import as_owner

from .figures import RolledBack, measure
from .queries import list_pages, page_rows

PAGES = (1, 100)
# The application's list's own (cases.selectors), so the three compare the same page shape.
LIST_RELATED = LIST_JOINS
LIST_PREFETCH = LIST_REFERENCE_ROWS
LIST_ORDER = ("-created_at", "-reference")
GENERIC = GroupObjectPermission._meta.db_table
DIRECT = CaseGroupObjectPermission._meta.db_table
# The table names are the models' own, not input: nothing to inject.
COPY_GRANTS = (
    f"INSERT INTO {GENERIC} (object_pk, content_type_id, group_id, permission_id) "  # noqa: S608
    f"SELECT content_object_id::text, %s, group_id, permission_id FROM {DIRECT}"
)


def floor_queryset():
    """Every case, as the list shows a page of them: the list without any scoping."""
    return (
        Case.objects.annotate(can_view_identity=models.Value(False))
        .select_related(*LIST_RELATED)
        .prefetch_related(*LIST_PREFETCH)
        .order_by(*LIST_ORDER)
    )


def guardian_queryset(user):
    """The user's visible cases computed by guardian on whichever table it is set to use."""
    options = {"klass": Case, "accept_global_perms": False, "with_superuser": False}
    visible = get_objects_for_user(user, "cases.view_case", **options)
    identity = get_objects_for_user(user, "cases.view_identity", **options)
    return (
        visible.annotate(can_view_identity=Exists(identity.filter(pk=OuterRef("pk"))))
        .select_related(*LIST_RELATED)
        .prefetch_related(*LIST_PREFETCH)
        .order_by(*LIST_ORDER)
    )


@contextmanager
def generic_grants():
    """Guardian reading a copy of the case grants from its generic table, undone at the end."""
    case_type = ContentType.objects.get_for_model(Case)
    try:
        with as_owner(), transaction.atomic():
            GroupObjectPermission.objects.filter(content_type=case_type).delete()
            with connection.cursor() as cursor:
                cursor.execute(COPY_GRANTS, [case_type.pk])
                cursor.execute(f"ANALYZE {GENERIC}")
            CaseGroupObjectPermission.enabled = False
            try:
                yield
            finally:
                del CaseGroupObjectPermission.enabled
            raise RolledBack
    except RolledBack:
        pass


def page_function(queryset, page: int, *, pages=None):
    offset = (page - 1) * PAGE_SIZE
    return lambda: page_rows(queryset, offset, PAGE_SIZE, pages=pages)


def list_figures(users, *, runs: int) -> list:
    """Page 1 and 100 per user: scoped (with its ratios), floor and guardian figures.

    Guardian's first: its block writes (and rolls back) a copy of every grant, which left
    the figures timed after it slower (100,000 cases: the scoped list 1.5-1.8x a floor timed
    before it, 0.8-1.3x timed beside it). The floor and the scoped figures are then timed
    one after the other, in the same state of the database."""
    guardians = {}
    with generic_grants():
        for user in users:
            for page in PAGES:
                guardians[user.pk, page] = measure(
                    f"list p{page} {user.username} guardian generic",
                    page_function(guardian_queryset(user), page),
                    runs=runs,
                )
    floors = {
        page: measure(
            f"list p{page} floor (unscoped)", page_function(floor_queryset(), page), runs=runs
        )
        for page in PAGES
    }
    figures = []
    for user in users:
        for page in PAGES:
            scoped = measure(
                f"list p{page} {user.username}",
                page_function(None, page, pages=list_pages(user)),
                runs=runs,
            )
            guardian = guardians[user.pk, page]
            figures += [scoped.compared(floor=floors[page], guardian=guardian), guardian]
    return figures + list(floors.values())
